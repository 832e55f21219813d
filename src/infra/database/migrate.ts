import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppError } from '../../errors';

/**
 * Applies the Prisma-format SQL migrations under prisma/migrations and records them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, SHA-256 checksum,
 * started_at / finished_at, applied_steps_count), so either tool can take over from the other.
 *
 * - Serialised across processes by the same session advisory lock Prisma takes, so several
 *   API and worker processes starting at once apply each migration once.
 * - Each migration runs in one transaction with its bookkeeping row: it is applied whole or not
 *   at all. (So a migration must not use statements that refuse transactions, such as
 *   CREATE INDEX CONCURRENTLY.)
 * - Refuses to go on when the file of an applied migration has changed since, or when an
 *   earlier run of a migration failed without being rolled back.
 */
export const MIGRATIONS_DIR =
  [
    join(__dirname, '..', '..', '..', 'prisma', 'migrations'), // running from src/ (tsx, tests)
    join(__dirname, '..', '..', '..', '..', 'prisma', 'migrations'), // running from dist/src/ (built)
  ].find((dir) => existsSync(dir)) ?? join(__dirname, '..', '..', '..', 'prisma', 'migrations');

/** The key Prisma Migrate locks with on PostgreSQL (so the two tools exclude each other). */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
  /** Applied to the database but missing here (a newer release ran them): left alone. */
  unknown: string[];
}

export interface MigrateOptions {
  databaseUrl: string;
  migrationsDir?: string;
  log?: (message: string) => void;
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) throw new AppError('INTERNAL', `migrations folder ${dir} does not exist`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksum(sql) };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export async function migrate(options: MigrateOptions): Promise<MigrationResult> {
  const log = options.log ?? (() => undefined);
  const files = readMigrations(options.migrationsDir);
  const client = new Client({
    connectionString: options.databaseUrl,
    application_name: 'borderline-migrate',
  });
  try {
    await client.connect();
  } catch (error) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `cannot connect to PostgreSQL to migrate: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      return await migrateLocked(client, files, log);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function migrateLocked(
  client: Client,
  files: MigrationFile[],
  log: (message: string) => void,
): Promise<MigrationResult> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at',
  );

  const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length > 0) {
    throw new AppError(
      'INTERNAL',
      `migration ${failed[0]!.migration_name} started but did not finish (logs: ${failed[0]!.logs ?? 'none'}). ` +
        'Repair the database by hand, then mark it rolled back (`prisma migrate resolve --rolled-back <name>` or ' +
        'set rolled_back_at in _prisma_migrations) before migrating again.',
      { details: { migration: failed[0]!.migration_name } },
    );
  }

  const finished = new Map(
    rows.filter((row) => row.finished_at !== null).map((row) => [row.migration_name, row]),
  );
  for (const file of files) {
    const row = finished.get(file.name);
    if (row && row.checksum !== file.checksum) {
      throw new AppError(
        'INTERNAL',
        `migration ${file.name} was changed after it was applied (checksum ${row.checksum} in the database, ` +
          `${file.checksum} on disk). Applied migrations are immutable: restore the file and add a new migration.`,
        { details: { migration: file.name } },
      );
    }
  }

  const result: MigrationResult = {
    applied: [],
    alreadyApplied: files.filter((f) => finished.has(f.name)).map((f) => f.name),
    unknown: [...finished.keys()].filter((name) => !files.some((f) => f.name === name)),
  };
  for (const name of result.unknown) {
    log(`migration ${name} is applied in the database but not known to this release; leaving it alone`);
  }

  for (const file of files.filter((f) => !finished.has(f.name))) {
    const id = randomUUID();
    log(`applying migration ${file.name}`);
    try {
      await client.query('BEGIN');
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, file.checksum, file.name],
      );
      await client.query(file.sql);
      await client.query(
        'UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
        [id],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // The transaction undid the migration: record the attempt as rolled back, with its error.
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ($1, $2, $3, $4, now(), now(), 0)',
        [id, file.checksum, file.name, String((error as Error).message)],
      );
      throw new AppError(
        'INTERNAL',
        `migration ${file.name} failed and was rolled back: ${(error as Error).message}`,
        {
          cause: error,
          details: { migration: file.name },
        },
      );
    }
    result.applied.push(file.name);
  }
  return result;
}
