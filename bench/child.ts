// Benchmark servers and workers run in child processes (tsx): started here, answered by their
// first IPC message (ready, or the ports they listen on), stopped by closing the channel.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';

/** Forks `script` with tsx and waits for its first message; fails if it exits first. */
export async function forkUntilReady<M>(
  script: string,
  env: NodeJS.ProcessEnv,
  what: string,
  execArgv: readonly string[] = [],
): Promise<{ child: ChildProcess; message: M }> {
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error(`the bench ${what} exited before it was ready`);
    }),
  ])) as [M];
  return { child, message };
}

/** Closes a server child's IPC channel (its cue to stop) and waits for it to exit. */
export async function stopServerChild(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = once(child, 'exit');
    child.disconnect();
    await exited;
  }
}

/** In a child: when the parent closes the channel (or sends SIGTERM), `close`, then exit 0. */
export function stopWhenParentLeaves(close: () => Promise<unknown>): void {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** In a child: runs `main`; if it fails, prints the stack and exits 1. */
export function runChild(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
}
