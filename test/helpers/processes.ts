import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Spawned {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves with the first output line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  /** SIGKILL, as a crash: resolves once the process is gone (and fails if it is not). */
  killHard(): Promise<void>;
}

/**
 * Runs one of the project's commands (src/cli/<name>.ts) as `npm run <name>` would, in ONE
 * process: node with tsx's loader, not the `tsx` launcher. The launcher runs the script in a
 * child process and only relays signals it can catch, so a SIGKILL sent to it would leave the
 * real worker running, orphaned, and a "killed" worker would go on working.
 */
export function spawnCli(name: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  return spawnScript(join(ROOT, 'src', 'cli', `${name}.ts`), args, env);
}

/** Runs a TypeScript file of the project the same way (one node process with tsx's loader). */
export function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  let output = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      const line = output.split('\n').find((l) => waiter.pattern.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async killHard() {
      const pid = child.pid!;
      child.kill('SIGKILL');
      const code = await exited;
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (code !== null || alive) throw new Error(`process ${pid} survived SIGKILL (exit code ${code})`);
    },
    waitFor(pattern, timeoutMs = 30_000) {
      const line = output.split('\n').find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${output}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before printing ${pattern}; output:\n${output}`));
        });
      });
    },
  };
}
