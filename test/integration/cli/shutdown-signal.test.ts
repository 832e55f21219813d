/**
 * How the commands stop on a signal. A signal can arrive twice (Ctrl-C signals a terminal's whole
 * process group, and a parent such as the tsx launcher may relay it as well): the two are one
 * request to stop gracefully, while a second signal sent later still ends the process at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, spawnScript } from '../../helpers/processes';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'shutdown-signal.ts');

/** The fixture, taking `stopMs` to stop, sent `signal` twice `gapMs` apart once it is ready. */
async function signalledTwice(signal: NodeJS.Signals, gapMs: number, stopMs: number) {
  const run = spawnScript(FIXTURE, [], { STOP_MS: String(stopMs) });
  await run.waitFor(/^ready$/);
  run.child.kill(signal);
  await new Promise((resolve) => setTimeout(resolve, gapMs));
  run.child.kill(signal);
  return { code: await run.exited, output: run.output() };
}

it('npm run dev, api and worker run their command in one node process, not under the tsx launcher', () => {
  // The launcher relays a signal its child has not reported within 30 ms (a busy event loop), and
  // SIGKILLs the child when it still has not 30 ms later: no graceful stop for a busy worker.
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  for (const name of ['dev', 'api', 'worker'])
    expect(scripts[name]).toBe(`node --import tsx src/cli/${name}.ts`);
});

it('the same signal twice within the relay window stops gracefully, once', async () => {
  const { code, output } = await signalledTwice('SIGINT', 50, 1_500);
  expect(code).toBe(0);
  expect(output.match(/stopping on/g)).toHaveLength(1);
  expect(output).toContain('stopped');
}, 30_000);

it('a second signal after the relay window ends the process at once', async () => {
  const { code, output } = await signalledTwice('SIGTERM', 1_300, 20_000);
  expect(code).toBe(130);
  expect(output).toContain('SIGTERM again: exiting now');
  expect(output).not.toContain('stopped');
}, 30_000);
