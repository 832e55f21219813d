import { setTimeout as sleep } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { AppError } from '../../errors';
import { sqlOf, type Database } from '../database';

/**
 * The posting fence (migration 20261126100000_settlement_ranges): every statement that inserts
 * journal lines takes this advisory lock in shared mode before its first row (so before its line
 * ids are drawn) and holds it to its commit. The same expression as the migration's trigger.
 */
const FENCE = `hashtextextended('borderline:journal-lines-posting-fence', 0)`;

export interface FenceOptions {
  /** How long to try without waiting in the lock's queue (postings never wait behind us). */
  readonly tryForMs?: number;
  /** Then how long to wait in the queue (postings that start meanwhile wait behind us). */
  readonly waitForMs?: number;
}

/**
 * The highest journal line id up to which every line is committed: taken with the fence held
 * exclusively, in a transaction of its own that ends at once, when no posting is in flight. Every
 * line up to it is visible to any snapshot taken afterwards, and every line inserted later has a
 * higher id (one sequence, CACHE 1). A settlement range never ends above it.
 *
 * First tries without queueing (pg_try_advisory_xact_lock every 10 ms for `tryForMs`), because
 * a request waiting in the queue makes every new posting wait behind it; then waits at most
 * `waitForMs`. Still held: a retryable DEPENDENCY_UNAVAILABLE (the activity retries).
 */
export async function committedLinesThrough(db: Database, options: FenceOptions = {}): Promise<bigint> {
  const tryForMs = options.tryForMs ?? 2_000;
  const waitForMs = options.waitForMs ?? 2_000;
  const tryUntil = Date.now() + tryForMs;
  const client = await sqlOf(db).connect();
  try {
    for (;;) {
      const through = await readUnderFence(client, null);
      if (through !== null) return through;
      if (Date.now() >= tryUntil) break;
      await sleep(10);
    }
    const through = await readUnderFence(client, waitForMs);
    if (through !== null) return through;
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `ledger postings kept the posting fence for over ${tryForMs + waitForMs} ms; retry`,
    );
  } finally {
    client.release();
  }
}

/** One attempt: null when the fence was not had (not at once, or not within `waitForMs`). */
async function readUnderFence(client: PoolClient, waitForMs: number | null): Promise<bigint | null> {
  await client.query('BEGIN');
  try {
    let held: boolean;
    if (waitForMs === null) {
      held = (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${FENCE}) AS ok`))
        .rows[0]!.ok;
    } else {
      await client.query(`SET LOCAL lock_timeout = '${Math.max(1, Math.round(waitForMs))}ms'`);
      held = await client.query(`SELECT pg_advisory_xact_lock(${FENCE})`).then(
        () => true,
        (error: { code?: string }) => {
          if (error.code === '55P03') return false; // lock_not_available
          throw error;
        },
      );
    }
    if (!held) {
      await client.query('ROLLBACK');
      return null;
    }
    const max = await client.query<{ id: string }>(
      'SELECT COALESCE(max(id), 0)::text AS id FROM journal_lines',
    );
    await client.query('COMMIT');
    return BigInt(max.rows[0]!.id);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
