import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from '../../generated/prisma/client';

export type Database = PrismaClient;

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /**
   * Told of an error on an idle connection (the server closed it: a restart, a failover, an
   * idle timeout); the pool has dropped the connection already. Processes log it as a warning.
   */
  onIdleConnectionError?: (error: Error) => void;
}

const pools = new WeakMap<Database, Pool>();

/**
 * `onIdleConnectionError` for a process: a warning in its log with what the server said (message,
 * SQLSTATE, severity), not the error object, to which the pool attaches its whole client
 * (connection settings, prepared statements): kilobytes of noise in every log line.
 */
export function warnOfIdleConnectionError(log: {
  warn: (fields: object, message: string) => void;
}): (error: Error) => void {
  return (error) => {
    const { code, severity } = error as Error & { code?: string; severity?: string };
    // Under `pg`, not `err`: pino's error serializer would take the plain object for an error.
    log.warn(
      { pg: { message: error.message, code, severity } },
      'database: the server closed an idle connection; the pool opens another',
    );
  };
}

/**
 * The Prisma client over node-postgres (`@prisma/adapter-pg`): queries are compiled in
 * WebAssembly, no native query engine is involved. The pg pool is ours (handed to the adapter,
 * ended with the client), so the few hot statements can use it directly (`sqlOf`).
 */
export function createDatabase(options: DatabaseOptions): Database {
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: 'borderline',
  });
  // An idle connection the server closes (a restart, a failover, an idle timeout) makes the pool
  // emit 'error'; without a listener that would end the process. The pool drops the connection
  // and the next query opens another (or fails itself, and its caller retries). The adapter
  // listens only while Prisma has the pool open, and the statements of sqlOf may come first.
  pool.on('error', (error) => options.onIdleConnectionError?.(error));
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const db = new PrismaClient({ adapter });
  pools.set(db, pool);
  return db;
}

/**
 * The node-postgres pool under a client made by createDatabase, for the statements every order
 * runs on the request path (the idempotency record, the quote): a statement sent straight to
 * pg costs about half the CPU of the same one through Prisma's raw queries (query building in
 * WebAssembly and result mapping; measured in bench/README.md). They are named, so each
 * connection parses and plans them once. Same connections, same transactions rules: a
 * statement here runs on its own (autocommit), never inside a Prisma transaction.
 */
export function sqlOf(db: Database): Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('sqlOf: this database client was not made by createDatabase');
  return pool;
}

/** Cheap round trip used by the readiness check. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
