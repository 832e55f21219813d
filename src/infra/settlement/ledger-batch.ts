import { AppError } from '../../errors';
import type { Prisma } from '../../generated/prisma/client';
import { parseAccountCode } from '../../domain/ledger';
import { lineSettlements, settlementColumns, type SettlementPosting } from '../../domain/settlement';

type Tx = Prisma.TransactionClient;

/**
 * Posts settlement entries set-based, inside the caller's transaction, and claims the lines each
 * posting names for `runId` in the same transaction (so no other run can take a payout's or a
 * carry-forward's line between its posting and its claim). A handful of statements whatever the
 * number of entries: insert the entries (idempotent by business key: ON CONFLICT DO NOTHING),
 * their accounts (created on first use), their lines (with the settlement class and breakdown
 * the merchant's payable lines carry, src/domain/settlement/breakdown.ts), and the claims, which
 * are added to the run's `lines_settled`.
 *
 * Entries come from the pure builders (already checked by `ledgerEntry`); PostgreSQL checks them
 * again at commit like any other entry (balanced, immutable). An entry already posted under the
 * same key (a retried step) must have the same kind and lines, else IDEMPOTENCY_KEY_REUSED.
 * Answers each business key's entry id.
 */
export async function postSettlementEntries(
  tx: Tx,
  runId: string,
  postings: readonly SettlementPosting[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (postings.length === 0) return ids;
  const entries = postings.map(({ entry }) => ({
    k: entry.businessKey,
    kind: entry.kind,
    m: entry.merchantId,
    d: entry.description,
    t: entry.occurredAt,
  }));
  const inserted = await tx.$queryRaw<{ id: string; business_key: string }[]>`
    INSERT INTO journal_entries (business_key, kind, merchant_id, description, occurred_at)
    SELECT x.k, x.kind, x.m, x.d, x.t
      FROM jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
           AS x(k text, kind text, m text, d text, t timestamptz)
    ON CONFLICT (business_key) DO NOTHING
    RETURNING id::text AS id, business_key`;
  for (const row of inserted) ids.set(row.business_key, row.id);
  const fresh = new Set(inserted.map((row) => row.business_key));
  const existing = postings.filter((p) => !fresh.has(p.entry.businessKey));
  if (existing.length > 0) await matchExisting(tx, existing, ids);

  const newPostings = postings.filter((p) => fresh.has(p.entry.businessKey));
  if (newPostings.length > 0) {
    const codes = [...new Set(newPostings.flatMap((p) => p.entry.lines.map((l) => l.account)))].sort();
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
    const lines = newPostings.flatMap((p) => {
      const settlements = lineSettlements(p.entry);
      return p.entry.lines.map((line, i) => {
        const s = settlementColumns(settlements[i]!);
        return {
          e: ids.get(p.entry.businessKey)!,
          n: i + 1,
          a: line.account,
          c: line.amount.currency,
          v: line.amount.amount,
          t: p.entry.occurredAt,
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

  const claims = postings.flatMap((p) =>
    p.claims.map((claim) => ({ e: ids.get(p.entry.businessKey)!, n: claim.lineIndex + 1 })),
  );
  let claimed = 0;
  if (claims.length > 0) {
    const result = await tx.$queryRaw<{ claimed: bigint; line_id: bigint | null; run_id: string | null }[]>`
      WITH wanted AS (
        SELECT l.id
          FROM jsonb_to_recordset(${JSON.stringify(claims)}::jsonb) AS x(e uuid, n int)
          JOIN journal_lines l ON l.entry_id = x.e AND l.line_no = x.n
      ), inserted AS (
        INSERT INTO settlement_items (line_id, run_id)
        SELECT id, ${runId} FROM wanted ORDER BY id
        ON CONFLICT (line_id) DO NOTHING
        RETURNING line_id
      ), taken AS (
        SELECT s.line_id, s.run_id FROM settlement_items s
         WHERE s.line_id IN (SELECT id FROM wanted) AND s.line_id NOT IN (SELECT line_id FROM inserted)
           AND s.run_id <> ${runId}
      )
      SELECT (SELECT count(*) FROM inserted) AS claimed, t.line_id, t.run_id
        FROM (SELECT 1) one LEFT JOIN taken t ON true`;
    const taken = result.filter((r) => r.line_id !== null);
    if (taken.length > 0) {
      // Cannot happen: these lines are claimed in the transaction that posts them.
      throw new AppError(
        'INTERNAL',
        `settlement lines ${taken.map((t) => t.line_id).join(', ')} of run ${runId} are claimed by run ${taken[0]!.run_id}`,
      );
    }
    claimed = Number(result[0]?.claimed ?? 0);
  }
  if (claimed > 0) {
    await tx.$executeRaw`UPDATE settlement_runs SET lines_settled = lines_settled + ${claimed} WHERE id = ${runId}`;
  }
  return ids;
}

/** An entry already posted under a posting's key must be the same entry (a retry), else refused. */
async function matchExisting(
  tx: Tx,
  postings: readonly SettlementPosting[],
  ids: Map<string, string>,
): Promise<void> {
  const keys = postings.map((p) => p.entry.businessKey);
  const rows = await tx.journalEntry.findMany({
    where: { businessKey: { in: keys } },
    include: { lines: { orderBy: { lineNo: 'asc' } } },
  });
  const byKey = new Map(rows.map((row) => [row.businessKey, row]));
  for (const { entry } of postings) {
    const row = byKey.get(entry.businessKey);
    if (!row) throw new AppError('INTERNAL', `entry ${entry.businessKey} neither inserted nor found; retry`);
    const stored = row.lines.map((l) => `${l.accountCode} ${l.amount}`);
    const wanted = entry.lines.map((l) => `${l.account} ${l.amount.amount}`);
    if (
      row.kind !== entry.kind ||
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
