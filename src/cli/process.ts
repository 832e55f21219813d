import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';
import { payloadKeyringFrom, type Config } from '../config';
import { embeddedPostgresUrl } from '../infra/database';
import type { PayloadCodec } from '@temporalio/common';
import { EncryptionCodec, type TemporalTarget } from '../infra/temporal';

/**
 * Runs a command's main function: a configuration or start-up error prints its message (which
 * names the variable) and exits with status 1, without a stack trace for expected failures.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof AppError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    }
    process.exit(1);
  });
}

/**
 * A second signal this soon after the first is the same one delivered twice: Ctrl-C in a
 * terminal signals the whole process group, and the tsx (or npm) parent relays it to this process
 * as well, a few milliseconds later. A person's second Ctrl-C comes later than this.
 */
export const SIGNAL_RELAY_WINDOW_MS = 1_000;

/**
 * Calls `stop` on the first SIGINT or SIGTERM; a second signal (not the first one relayed, see
 * SIGNAL_RELAY_WINDOW_MS), or `stop` outlasting the grace time, ends the process at once.
 */
export function onShutdownSignal(stop: (signal: string) => Promise<void>, graceMs: number): void {
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < SIGNAL_RELAY_WINDOW_MS) return;
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    firstAt = Date.now();
    const timer = setTimeout(() => {
      process.stderr.write(`still stopping after ${graceMs} ms: exiting now\n`);
      process.exit(1);
    }, graceMs + 5_000);
    timer.unref();
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String((error as Error)?.stack ?? error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/**
 * The database a separate process (api, worker, keys, migrate) uses: DATABASE_URL, or outside
 * production the embedded PostgreSQL of a running `npm run dev`.
 */
export function databaseUrlFor(config: Config): { url: string; source: string } {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, source: 'DATABASE_URL' };
  return {
    url: embeddedPostgresUrl(config.EMBEDDED_POSTGRES_PORT),
    source: `npm run dev's embedded PostgreSQL on port ${config.EMBEDDED_POSTGRES_PORT} (DATABASE_URL is not set)`,
  };
}

/**
 * The Temporal frontend a separate process uses (TEMPORAL_ADDRESS, or `npm run dev`'s server),
 * with the payload codec of TEMPORAL_PAYLOAD_KEYS.
 */
export function temporalTargetFor(config: Config): {
  target: TemporalTarget & { payloadCodec: PayloadCodec };
  source: string;
} {
  const target = {
    address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`,
    namespace: config.TEMPORAL_NAMESPACE,
    apiKey: config.TEMPORAL_API_KEY,
    tls: config.TEMPORAL_TLS,
    payloadCodec: new EncryptionCodec(payloadKeyringFrom(config)),
  };
  return {
    target,
    source: config.TEMPORAL_ADDRESS
      ? 'TEMPORAL_ADDRESS'
      : `npm run dev's Temporal dev server (TEMPORAL_ADDRESS is not set)`,
  };
}

/**
 * Starts the API's Prometheus listener (GET /metrics on METRICS_HOST:METRICS_PORT) and returns
 * its address. A port already in use (another API process on the machine) does not stop the
 * API: it runs without the listener and says so.
 */
export async function listenForMetrics(
  metricsApp: FastifyInstance,
  where: { host: string; port: number },
  log: { warn(obj: object, message: string): void },
): Promise<string | undefined> {
  try {
    const address = await metricsApp.listen({ host: where.host, port: where.port });
    return `${address}/metrics`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL') throw error;
    log.warn(
      { host: where.host, port: where.port, err: (error as Error).message },
      'the API metrics listener could not start; running without it',
    );
    return undefined;
  }
}
