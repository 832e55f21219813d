/**
 * createDatabase: the Prisma client and the node-postgres pool under it (sqlOf) share
 * connections; a connection the server closes while idle neither ends the process nor breaks
 * the next statement.
 */
import { Client } from 'pg';
import pino from 'pino';
import { createDatabase, sqlOf, warnOfIdleConnectionError, type Database } from '../../../src/infra/database';
import { testDatabaseUrl } from '../../helpers/database';

let db: Database;
beforeAll(() => {
  db = createDatabase({ url: testDatabaseUrl(), poolSize: 2 });
});
afterAll(async () => {
  await db.$disconnect();
});

it('sqlOf runs statements on the pool Prisma uses, and refuses a client it did not make', async () => {
  const { rows } = await sqlOf(db).query<{ n: number }>('SELECT 1 AS n');
  expect(rows).toEqual([{ n: 1 }]);
  expect(await db.$queryRaw`SELECT 2 AS n`).toEqual([{ n: 2 }]);
  expect(() => sqlOf({} as Database)).toThrow(/not made by createDatabase/);
});

it('an idle connection closed by the server (a restart, a failover) is dropped, not fatal', async () => {
  // Only sqlOf has used this pool so far: Prisma's adapter has not attached its own listener.
  const told: Error[] = [];
  const fresh = createDatabase({
    url: testDatabaseUrl(),
    poolSize: 1,
    onIdleConnectionError: (error) => told.push(error),
  });
  try {
    const pool = sqlOf(fresh);
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const admin = new Client({ connectionString: testDatabaseUrl() });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      // The idle client learns of it, the pool drops it.
      const deadline = Date.now() + 5_000;
      while (pool.idleCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(pool.idleCount).toBe(0);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    // The process is told, to log it.
    expect(told.map((e) => e.message)).toEqual([expect.stringMatching(/terminating connection/)]);
    // The log line has what the server said, not the client the pool attached to the error.
    expect(told[0]).toHaveProperty('client');
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    warnOfIdleConnectionError(logger)(told[0]!);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        msg: 'database: the server closed an idle connection; the pool opens another',
        pg: { message: expect.stringMatching(/terminating connection/), code: '57P01', severity: 'FATAL' },
      }),
    ]);
    expect(lines[0]!.length).toBeLessThan(400);
    const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
  } finally {
    await fresh.$disconnect();
  }
});
