import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../errors';
import { freePort, isPortInUse } from '../net';

/**
 * PostgreSQL from the `embedded-postgres` package (real PostgreSQL binaries shipped in npm),
 * for machines where DATABASE_URL is not set: a throwaway cluster for tests, a persistent one
 * under DATA_DIR for `npm run dev`.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Persistent data folder; omitted: a throwaway folder removed on stop. */
  dataDir?: string;
  /** Port to listen on; omitted: a free port. */
  port?: number;
  database?: string;
  log?: (message: string) => void;
}

const USER = 'borderline';
const PASSWORD = 'borderline';
const DATABASE = 'borderline';

/** Where an embedded PostgreSQL started with these defaults listens (npm run dev's). */
export function embeddedPostgresUrl(port: number, database = DATABASE): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'borderline-pg-'));
  const port = options.port ?? (await freePort());
  if (persistent && (await isPortInUse(port))) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `Port ${port} is already in use, so embedded PostgreSQL cannot start there. Stop what uses it ` +
        '(another `npm run dev`?) or set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to a running PostgreSQL.',
      { field: 'EMBEDDED_POSTGRES_PORT' },
    );
  }
  const database = options.database ?? DATABASE;
  // embedded-postgres is an ES module; Node 20.19+ loads it with require().
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log = options.log;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => log?.(String(message).trimEnd()),
    onError: (error) => log?.(`postgres: ${String(error).trimEnd()}`),
  });

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) await pg.initialise();
  await pg.start();
  try {
    await pg.createDatabase(database);
  } catch (error) {
    if (!/already exists/.test(String((error as Error).message))) throw error;
  }

  let stopped = false;
  return {
    url: embeddedPostgresUrl(port, database),
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
