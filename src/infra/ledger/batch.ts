import { AppError } from '../../errors';
import type { Prisma } from '../../generated/prisma/client';
import { parseAccountCode, type LedgerEntryDraft } from '../../domain/ledger';
import { lineSettlements, settlementColumns } from '../../domain/settlement';

type Tx = Prisma.TransactionClient;

export interface PostedBatch {
  /** Each business key's entry id (inserted now, or posted before with the same content). */
  readonly ids: Map<string, string>;
  /** The business keys this call inserted. */
  readonly created: ReadonlySet<string>;
}

/**
 * Posts many entries set-based, inside the caller's transaction: a handful of statements whatever
 * their number. The entries (idempotent by business key: ON CONFLICT DO NOTHING), their accounts
 * (created on first use, in code order as every posting creates them) and their lines (with the
 * settlement class and breakdown a merchant's payable lines carry, src/domain/settlement/breakdown.ts).
 *
 * Entries come from the pure builders (already checked by `ledgerEntry`); PostgreSQL checks them
 * again at commit like any other entry (balanced, immutable). An entry already posted under the
 * same key (a retried step) must have the same kind, order, merchant and lines, else
 * IDEMPOTENCY_KEY_REUSED. Reversals are posted one by one (LedgerStore.post), not here.
 */
export async function postEntries(tx: Tx, drafts: readonly LedgerEntryDraft[]): Promise<PostedBatch> {
  const ids = new Map<string, string>();
  if (drafts.length === 0) return { ids, created: new Set() };
  const reversal = drafts.find((d) => d.reversesEntryId !== null);
  if (reversal) {
    throw new AppError(
      'INTERNAL',
      `entry ${reversal.businessKey} is a reversal: post it with LedgerStore.post`,
    );
  }
  const entries = drafts.map((entry) => ({
    k: entry.businessKey,
    kind: entry.kind,
    o: entry.orderId,
    m: entry.merchantId,
    d: entry.description,
    t: entry.occurredAt,
  }));
  const inserted = await tx.$queryRaw<{ id: string; business_key: string }[]>`
    INSERT INTO journal_entries (business_key, kind, order_id, merchant_id, description, occurred_at)
    SELECT x.k, x.kind, x.o, x.m, x.d, x.t
      FROM jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
           AS x(k text, kind text, o text, m text, d text, t timestamptz)
    ON CONFLICT (business_key) DO NOTHING
    RETURNING id::text AS id, business_key`;
  for (const row of inserted) ids.set(row.business_key, row.id);
  const created = new Set(inserted.map((row) => row.business_key));
  const existing = drafts.filter((d) => !created.has(d.businessKey));
  if (existing.length > 0) await matchExisting(tx, existing, ids);

  const fresh = drafts.filter((d) => created.has(d.businessKey));
  if (fresh.length > 0) {
    const codes = [...new Set(fresh.flatMap((d) => d.lines.map((l) => l.account)))].sort();
    const refs = codes.map((code) => parseAccountCode(code));
    await tx.$executeRaw`
      INSERT INTO ledger_accounts (code, kind, type, normal_balance, currency, party, merchant_id)
      SELECT x.code, x.kind, x.type::ledger_account_type, x.nb::ledger_normal_balance, x.currency, x.party, x.merchant
        FROM jsonb_to_recordset(${JSON.stringify(
          refs.map((r) => ({
            code: r.code,
            kind: r.kind,
            type: r.type,
            nb: r.normalBalance,
            currency: r.currency,
            party: r.party,
            merchant: r.merchantId,
          })),
        )}::jsonb) AS x(code text, kind text, type text, nb text, currency text, party text, merchant text)
       ORDER BY x.code
      ON CONFLICT (code) DO NOTHING`;
    const lines = fresh.flatMap((entry) => {
      const settlements = lineSettlements(entry);
      return entry.lines.map((line, i) => {
        const s = settlementColumns(settlements[i]!);
        return {
          e: ids.get(entry.businessKey)!,
          n: i + 1,
          a: line.account,
          c: line.amount.currency,
          v: line.amount.amount,
          t: entry.occurredAt,
          sc: s.settlementClass,
          bg: s.breakdownGross,
          br: s.breakdownRefunds,
          bf: s.breakdownFees,
          bd: s.breakdownDutiesTaxes,
          bc: s.breakdownCarrier,
          bh: s.breakdownReserveHeld,
        };
      });
    });
    await tx.$executeRaw`
      INSERT INTO journal_lines (entry_id, line_no, account_code, currency, amount, occurred_at, settlement_class,
                                 breakdown_gross, breakdown_refunds, breakdown_fees, breakdown_duties_taxes,
                                 breakdown_carrier, breakdown_reserve_held)
      SELECT x.e, x.n, x.a, x.c, x.v, x.t, x.sc, x.bg, x.br, x.bf, x.bd, x.bc, x.bh
        FROM jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
             AS x(e uuid, n int, a text, c text, v bigint, t timestamptz, sc text, bg bigint, br bigint, bf bigint,
                  bd bigint, bc bigint, bh bigint)`;
  }
  return { ids, created };
}

/** An entry already posted under a draft's key must be the same entry (a retry), else refused. */
async function matchExisting(
  tx: Tx,
  drafts: readonly LedgerEntryDraft[],
  ids: Map<string, string>,
): Promise<void> {
  const rows = await tx.journalEntry.findMany({
    where: { businessKey: { in: drafts.map((d) => d.businessKey) } },
    include: { lines: { orderBy: { lineNo: 'asc' } } },
  });
  const byKey = new Map(rows.map((row) => [row.businessKey, row]));
  for (const entry of drafts) {
    const row = byKey.get(entry.businessKey);
    if (!row) throw new AppError('INTERNAL', `entry ${entry.businessKey} neither inserted nor found; retry`);
    const stored = row.lines.map((l) => `${l.accountCode} ${l.amount}`);
    const wanted = entry.lines.map((l) => `${l.account} ${l.amount.amount}`);
    if (
      row.kind !== entry.kind ||
      row.orderId !== entry.orderId ||
      row.merchantId !== entry.merchantId ||
      stored.join('|') !== wanted.join('|')
    ) {
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        `ledger entry ${entry.businessKey} is already posted with other content`,
        { field: 'businessKey', details: { businessKey: entry.businessKey, existingEntryId: row.id } },
      );
    }
    ids.set(entry.businessKey, row.id);
  }
}
