/**
 * How the commands stop on a signal. A signal can arrive twice (Ctrl-C signals a terminal's whole
 * process group, and a parent such as the tsx launcher may relay it as well): the two are one
 * request to stop gracefully, while a second signal sent later still ends the process at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'shutdown-signal.ts');

function start(stopMs: number) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, STOP_MS: String(stopMs) };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: ROOT, env });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('ready')) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`exited before it was ready: ${output}`));
    });
  });
  return { child, exited, ready, output: () => output };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const run = start(1_500);
  await run.ready;
  run.child.kill('SIGINT');
  await pause(50);
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(run.output().match(/stopping on/g)).toHaveLength(1);
  expect(run.output()).toContain('stopped');
}, 30_000);

it('a second signal after the relay window ends the process at once', async () => {
  const run = start(20_000);
  await run.ready;
  run.child.kill('SIGTERM');
  await pause(1_300);
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(130);
  expect(run.output()).toContain('SIGTERM again: exiting now');
  expect(run.output()).not.toContain('stopped');
}, 30_000);
