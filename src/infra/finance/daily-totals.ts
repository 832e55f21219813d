import type { DailyTotal } from '../../domain/ledger/daily-total';
import type { Database } from '../database';
import { readOrderLedger, type OrderLedger } from './order-ledger';

export type { DailyTotal };

export interface DailyTotalsQuery {
  /** First day (inclusive), midnight UTC. */
  from: Date;
  /** Last day (exclusive), midnight UTC. */
  to: Date;
  currency?: string;
}

interface Row {
  day: string;
  currency: string;
  captured: bigint;
  refunded: bigint;
  paid_out: bigint;
  processor_fees: bigint;
}

/**
 * Finance's read-only reports over the ledger. Everything is read from the processor clearing
 * accounts (`processor_clearing:<processor>:<CCY>`, ledger README): the money the processor
 * holds for the platform moves in on a capture and out on a refund, a payout or the processor's
 * fee (booked by reconciliation, src/domain/reconciliation/fees.ts), so each of the four is the
 * sum of that entry kind's clearing lines, a reversal counting as the kind of the
 * entry it reverses. One set-based query: grouped by day and currency in PostgreSQL.
 */
export class FinanceReports {
  constructor(private readonly db: Database) {}

  /** One order's entries, their settlement, and where its money went; null for an unknown order. */
  async orderLedger(orderId: string): Promise<OrderLedger | null> {
    return readOrderLedger(this.db, orderId);
  }

  async dailyTotals(query: DailyTotalsQuery): Promise<DailyTotal[]> {
    const currency = query.currency ?? null;
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT to_char(date_trunc('day', l.occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
             l.currency::text AS currency,
             COALESCE(SUM(l.amount) FILTER (WHERE COALESCE(r.kind, e.kind) = 'capture'), 0)::bigint AS captured,
             COALESCE(-SUM(l.amount) FILTER (WHERE COALESCE(r.kind, e.kind) = 'refund'), 0)::bigint AS refunded,
             COALESCE(-SUM(l.amount) FILTER (WHERE COALESCE(r.kind, e.kind) = 'payout'), 0)::bigint AS paid_out,
             COALESCE(-SUM(l.amount) FILTER (WHERE COALESCE(r.kind, e.kind) = 'processor_fee'), 0)::bigint
               AS processor_fees
        FROM journal_lines l
        JOIN ledger_accounts a ON a.code = l.account_code AND a.currency = l.currency
        JOIN journal_entries e ON e.id = l.entry_id
        LEFT JOIN journal_entries r ON r.id = e.reverses_entry_id AND e.kind = 'reversal'
       WHERE a.kind = 'processor_clearing'
         AND l.occurred_at >= ${query.from}
         AND l.occurred_at < ${query.to}
         AND (${currency}::text IS NULL OR l.currency = ${currency}::text)
         AND COALESCE(r.kind, e.kind) IN ('capture', 'refund', 'payout', 'processor_fee')
       GROUP BY 1, 2
       ORDER BY 1, 2`;
    return rows.map((row) => ({
      day: row.day,
      currency: row.currency,
      captured: safe(row.captured),
      refunded: safe(row.refunded),
      paidOut: safe(row.paid_out),
      processorFees: safe(row.processor_fees),
    }));
  }
}

function safe(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`amount ${value} is beyond a safe integer`);
  return n;
}
