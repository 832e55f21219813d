import { spawn, type ChildProcess } from 'node:child_process';
import { defaultCacheDir, ensureGoTool, type GoToolSpec } from '../../src/infra/tools/go-tool';

/**
 * Stripe's own mock server (github.com/stripe/stripe-mock): validates every request against
 * Stripe's OpenAPI spec and answers with fixtures. It keeps no state, so tests against it check
 * that our requests are accepted and that we can read its responses, not what they contain.
 */
export const STRIPE_MOCK: GoToolSpec = {
  name: 'stripe-mock',
  goPackage: 'github.com/stripe/stripe-mock',
  version: 'v0.197.0',
  pathVariable: 'STRIPE_MOCK_PATH',
};

export interface RunningStripeMock {
  host: string;
  port: number;
  url: string;
  stop(): Promise<void>;
}

const LISTENING = /Listening for HTTP at address: (\S+):(\d+)/;

export async function startStripeMock(options: { startTimeoutMs?: number } = {}): Promise<RunningStripeMock> {
  const executable = await ensureGoTool({
    spec: STRIPE_MOCK,
    explicitPath: process.env.STRIPE_MOCK_PATH,
    cacheDir: defaultCacheDir(),
  });
  // Port 0 for both listeners: the OS picks free ports (without -https-addr it binds :12112).
  const child = spawn(executable, ['-http-addr', '127.0.0.1:0', '-https-addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await waitForPort(child, options.startTimeoutMs ?? 30_000);
  return {
    host: '127.0.0.1',
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () => stop(child),
  };
}

function waitForPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stripe-mock did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep draining its output so that it never blocks on a full pipe.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(Number(match[2]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stripe-mock exited with code ${code}:\n${output}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
