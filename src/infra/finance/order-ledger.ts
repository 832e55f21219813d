import { orderMoney, type EntryKind, type OrderMoney } from '../../domain/ledger';
import { money, toSafeAmount, type Money } from '../../domain/money';
import type { Database } from '../database';

/** One line of an order's entry, with the settlement run that settled it (merchant lines only). */
export interface OrderLedgerLine {
  lineNo: number;
  account: string;
  /** Signed: debit positive, credit negative. */
  amount: Money;
  /** The settlement run that settled this line (paid the merchant, or carried it forward), if one has. */
  settlementRunId: string | null;
}

export interface OrderLedgerEntry {
  id: string;
  businessKey: string;
  kind: EntryKind;
  /** For a reversal: the key of the entry it reverses. */
  reverses: string | null;
  description: string;
  occurredAt: string;
  postedAt: string;
  lines: OrderLedgerLine[];
}

export interface OrderLedger {
  orderId: string;
  /** Oldest first (business time, then posting). */
  entries: OrderLedgerEntry[];
  /** Where the order's money went, per currency (src/domain/ledger/order-money.ts). */
  money: OrderMoney[];
}

interface Row {
  entry_id: string;
  business_key: string;
  kind: string;
  reversed_key: string | null;
  reversed_kind: string | null;
  description: string;
  occurred_at: Date;
  created_at: Date;
  line_no: number;
  account_code: string;
  currency: string;
  amount: bigint;
  settlement_run_id: string | null;
}

/**
 * Every ledger entry of one order with its lines, and for each merchant line the settlement run
 * that settled it: its `settlement_items` row's, else the run of the account's range that covers
 * it (migration 20261126100000_settlement_ranges). One query. Null when the order has neither
 * entries nor a row in `orders`.
 */
export async function readOrderLedger(db: Database, orderId: string): Promise<OrderLedger | null> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT e.id::text AS entry_id, e.business_key, e.kind, r.business_key AS reversed_key, r.kind AS reversed_kind,
           e.description, e.occurred_at, e.created_at, l.line_no, l.account_code, l.currency::text AS currency,
           l.amount, COALESCE(si.run_id, sr.run_id) AS settlement_run_id
      FROM journal_entries e
      JOIN journal_lines l ON l.entry_id = e.id
      LEFT JOIN journal_entries r ON r.id = e.reverses_entry_id
      LEFT JOIN settlement_items si ON si.line_id = l.id
      LEFT JOIN settlement_ranges sr ON sr.account_code = l.account_code AND sr.currency = l.currency
                                    AND l.id > sr.after_line_id AND l.id <= sr.through_line_id
     WHERE e.order_id = ${orderId}
     ORDER BY e.occurred_at, e.created_at, e.id, l.line_no`;
  if (rows.length === 0) {
    const order = await db.order.findUnique({ where: { id: orderId }, select: { id: true } });
    if (!order) return null;
  }
  const entries: OrderLedgerEntry[] = [];
  const reversedKinds = new Map<string, EntryKind | null>();
  for (const row of rows) {
    let entry = entries[entries.length - 1];
    if (entry?.id !== row.entry_id) {
      entry = {
        id: row.entry_id,
        businessKey: row.business_key,
        kind: row.kind as EntryKind,
        reverses: row.reversed_key,
        description: row.description,
        occurredAt: row.occurred_at.toISOString(),
        postedAt: row.created_at.toISOString(),
        lines: [],
      };
      entries.push(entry);
      reversedKinds.set(row.entry_id, row.reversed_kind as EntryKind | null);
    }
    entry.lines.push({
      lineNo: row.line_no,
      account: row.account_code,
      amount: money(toSafeAmount(row.amount, 'amount'), row.currency),
      settlementRunId: row.settlement_run_id,
    });
  }
  return {
    orderId,
    entries,
    money: orderMoney(entries.map((e) => ({ ...e, reversedKind: reversedKinds.get(e.id) ?? null }))),
  };
}
