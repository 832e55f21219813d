import { AppError } from '../../errors';
import type { Prisma } from '../../generated/prisma/client';
import type { SettlementPosting } from '../../domain/settlement';
import { postEntries } from '../ledger/batch';

type Tx = Prisma.TransactionClient;

/**
 * Posts settlement entries set-based, inside the caller's transaction, and claims the lines each
 * posting names for `runId` in the same transaction (so no other run can take a payout's or a
 * carry-forward's line between its posting and its claim): the entries through the ledger's batch
 * posting (src/infra/ledger/batch.ts: idempotent by business key, a retried step's entry must be
 * the same), then one statement for the claims, which are added to the run's `lines_settled`.
 * Answers each business key's entry id.
 */
export async function postSettlementEntries(
  tx: Tx,
  runId: string,
  postings: readonly SettlementPosting[],
): Promise<Map<string, string>> {
  if (postings.length === 0) return new Map();
  const { ids } = await postEntries(
    tx,
    postings.map((p) => p.entry),
  );

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
