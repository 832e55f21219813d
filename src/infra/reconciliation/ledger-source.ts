import { Prisma } from '../../generated/prisma/client';
import { accounts, DEFAULT_PROCESSOR } from '../../domain/ledger';
import { toSafeAmount } from '../../domain/money';
import type { LedgerItem } from '../../domain/reconciliation';
import type { Database } from '../database';

interface Row {
  id: string;
  business_key: string;
  kind: string;
  order_id: string | null;
  merchant_id: string | null;
  occurred_at: Date;
  reversed_key: string | null;
  reversed_kind: string | null;
  clearing: bigint;
  clearing_lines: number;
  debits: bigint;
}

/** How many entries one query reads; the ledger side never costs a round trip per entry. */
export const LEDGER_BATCH_SIZE = 1_000;
/** How many business keys one look-up query carries. */
export const LEDGER_KEY_BATCH_SIZE = 500;

/**
 * The ledger's side of a reconciliation: journal entries that moved money on the processor's
 * clearing account in one currency, each with that movement (Σ its clearing lines). Payout
 * entries are included even without a clearing line (their movement is then what they paid out:
 * minus their debits), so a payout booked elsewhere still meets its transfer.
 */
export class ReconciliationLedgerSource {
  constructor(
    private readonly db: Database,
    private readonly processor: string = DEFAULT_PROCESSOR,
  ) {}

  /** Every entry of the period [from, to), read in batches of LEDGER_BATCH_SIZE (keyset on time, id). */
  async entriesInPeriod(
    currency: string,
    period: { from: string; to: string },
    onBatch?: (count: number) => void,
  ): Promise<LedgerItem[]> {
    const items: LedgerItem[] = [];
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const keyset: Prisma.Sql = after
        ? Prisma.sql`AND (e.occurred_at, e.id) > (${after.at}::timestamptz, ${after.id}::uuid)`
        : Prisma.empty;
      const rows = await this.query(
        currency,
        Prisma.sql`e.occurred_at >= ${period.from}::timestamptz AND e.occurred_at < ${period.to}::timestamptz ${keyset}`,
        LEDGER_BATCH_SIZE,
      );
      items.push(...rows.map((row) => toItem(row, currency)));
      onBatch?.(rows.length);
      const last = rows[rows.length - 1];
      if (rows.length < LEDGER_BATCH_SIZE || !last) return items;
      after = { at: last.occurred_at, id: last.id };
    }
  }

  /**
   * Entries (at any time) with one of these business keys, the reversals of those entries, and
   * payout reversals (`payout-reversal:<runId>:<merchantId>:<reversalId>`) of these reversal ids:
   * the counterparts of processor transactions, wherever the ledger put them in time.
   */
  async entriesByKeys(
    currency: string,
    businessKeys: string[],
    reversalIds: string[],
  ): Promise<LedgerItem[]> {
    const items: LedgerItem[] = [];
    const keys = [...new Set(businessKeys)];
    const patterns = [...new Set(reversalIds)].map((id) => `payout-reversal:%:%:${escapeLike(id)}`);
    for (let i = 0; i < Math.max(keys.length, patterns.length); i += LEDGER_KEY_BATCH_SIZE) {
      const keyBatch = keys.slice(i, i + LEDGER_KEY_BATCH_SIZE);
      const patternBatch = patterns.slice(i, i + LEDGER_KEY_BATCH_SIZE);
      const rows = await this.query(
        currency,
        Prisma.sql`(e.business_key = ANY(${keyBatch}::text[]) OR r.business_key = ANY(${keyBatch}::text[])
             OR e.business_key LIKE ANY(${patternBatch}::text[]) OR r.business_key LIKE ANY(${patternBatch}::text[]))`,
        null,
      );
      items.push(...rows.map((row) => toItem(row, currency)));
    }
    return items;
  }

  private async query(currency: string, where: Prisma.Sql, limit: number | null): Promise<Row[]> {
    const clearing = accounts.processorClearing(this.processor, currency);
    return this.db.$queryRaw<Row[]>`
      SELECT e.id::text AS id, e.business_key, e.kind, e.order_id, e.merchant_id, e.occurred_at,
             r.business_key AS reversed_key, r.kind AS reversed_kind,
             COALESCE(SUM(l.amount) FILTER (WHERE l.account_code = ${clearing}), 0)::bigint AS clearing,
             COUNT(*) FILTER (WHERE l.account_code = ${clearing})::int AS clearing_lines,
             COALESCE(SUM(l.amount) FILTER (WHERE l.amount > 0), 0)::bigint AS debits
        FROM journal_entries e
        JOIN journal_lines l ON l.entry_id = e.id AND l.currency = ${currency}
        LEFT JOIN journal_entries r ON r.id = e.reverses_entry_id
       WHERE ${where}
         AND (EXISTS (SELECT 1 FROM journal_lines c
                       WHERE c.entry_id = e.id AND c.account_code = ${clearing} AND c.currency = ${currency})
              OR e.kind = 'payout' OR r.kind = 'payout')
       GROUP BY e.id, r.business_key, r.kind
       ORDER BY e.occurred_at, e.id
       ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`;
  }
}

function toItem(row: Row, currency: string): LedgerItem {
  const movement = row.clearing_lines > 0 ? BigInt(row.clearing) : -BigInt(row.debits);
  return {
    entryId: row.id,
    businessKey: row.business_key,
    kind: row.kind,
    orderId: row.order_id,
    merchantId: row.merchant_id,
    occurredAt: row.occurred_at.toISOString(),
    amount: toSafeAmount(movement, 'amount'),
    currency,
    reversedBusinessKey: row.reversed_key,
    reversedKind: row.reversed_kind,
  };
}

/** Business keys may hold `_`, a LIKE wildcard. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
