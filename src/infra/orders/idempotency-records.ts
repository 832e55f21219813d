import { sqlOf, type Database } from '../database';

/**
 * The Idempotency-Key records of POST /v1/orders (table idempotency_records), as the order desk
 * reads and writes them. Both statements are on the path of every new order, so they go straight
 * through pg (sqlOf), named: Prisma's findUnique and createMany spent 0.2 and 0.8 ms more CPU on
 * them, its raw queries about half as much (bench/README.md).
 */
export interface IdempotencyRecord {
  /** SHA-256 (hex) of the canonical request body. */
  readonly requestHash: string;
  readonly responseBody: unknown;
  readonly expiresAt: Date;
}

/** The record of `key` in `scope`, expired or not; undefined if there is none. */
export async function readIdempotencyRecord(
  db: Database,
  scope: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const { rows } = await sqlOf(db).query<IdempotencyRecord>({
    name: 'borderline.idempotency-record',
    text: `SELECT request_hash AS "requestHash", response_body AS "responseBody", expires_at AS "expiresAt"
             FROM idempotency_records
            WHERE scope = $1 AND key = $2`,
    values: [scope, key],
  });
  return rows[0];
}

/**
 * Records the key's use. A live record of the key stays as it is (the first use wins); an expired
 * one not yet swept is replaced, so the key's new use is remembered for its own lifetime.
 */
export async function writeIdempotencyRecord(
  db: Database,
  record: {
    scope: string;
    key: string;
    requestHash: string;
    /** JSON text. */
    responseBody: string;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await sqlOf(db).query({
    name: 'borderline.idempotency-write',
    text: `INSERT INTO idempotency_records (scope, key, request_hash, response_body, created_at, expires_at)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6)
           ON CONFLICT (scope, key) DO UPDATE
             SET request_hash = EXCLUDED.request_hash, response_body = EXCLUDED.response_body,
                 response_status = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
             WHERE idempotency_records.expires_at <= $5`,
    values: [
      record.scope,
      record.key,
      record.requestHash,
      record.responseBody,
      record.createdAt,
      record.expiresAt,
    ],
  });
}

/**
 * Deletes up to `limit` records expired at `now` (any scope), oldest first; returns how many.
 * Safe to run from every API process at once: each row goes once.
 */
export function sweepExpiredIdempotencyRecords(db: Database, now: Date, limit: number): Promise<number> {
  return db.$executeRaw`
    DELETE FROM idempotency_records
     WHERE ctid IN (SELECT ctid FROM idempotency_records
                     WHERE expires_at <= ${now}
                     ORDER BY expires_at
                     LIMIT ${limit}
                       FOR UPDATE SKIP LOCKED)`;
}
