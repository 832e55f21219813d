import { AppError } from '../../errors';
import { Prisma } from '../../generated/prisma/client';
import {
  IDEMPOTENCY_KEY_TRUST_MS,
  idempotencyKeys,
  type MerchantTransfer,
  type PaymentsPort,
} from '../../domain/payments';
import { currencyInfo, money, toSafeAmount, type FxRateSource, type FxRateTable } from '../../domain/money';
import {
  carryForwardEntry,
  COMPONENT_NAMES,
  decidePayout,
  netOf,
  payoutEntry,
  reserveReleaseEntry,
  type PayoutStatus,
  type SettlementComponents,
  type SettlementPeriod,
  type SettlementPosting,
  type SettlementRow,
} from '../../domain/settlement';
import type { Database } from '../database';
import { decodeCursor, keysetPage, olderThan } from '../database/keyset';
import { postSettlementEntries } from './ledger-batch';
import { committedLinesThrough, type FenceOptions } from './posting-fence';

type Tx = Prisma.TransactionClient;

/** A run as stored (settlement_runs). */
export interface StoredRun {
  readonly runId: string;
  readonly workflowId: string;
  readonly currency: string;
  readonly period: SettlementPeriod;
  readonly merchantIds: string[] | null;
  readonly status: 'running' | 'completed';
  readonly requestedBy: string;
  readonly merchantsTotal: number;
  readonly linesSettled: number;
  readonly preparedAt: string | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
}

export interface OpenRunInput {
  readonly runId: string;
  readonly workflowId: string;
  readonly currency: string;
  readonly period: SettlementPeriod;
  readonly merchantIds: readonly string[] | null;
  readonly requestedBy: string;
}

export interface PrepareResult {
  readonly merchantsTotal: number;
  /** Merchants left to pay. */
  readonly pending: number;
  readonly linesSettled: number;
}

export interface PayBatchResult {
  readonly handled: number;
  readonly paid: number;
  readonly failed: number;
  /** Merchants of the run still to pay after this batch. */
  readonly remaining: number;
}

/** Totals of a run over its merchants (settlement_payouts), in the run currency. */
export interface RunTotals extends SettlementComponents {
  readonly net: number;
  readonly carriedForward: number;
  readonly outcomes: Record<PayoutStatus, number>;
  /** Paid out, per payout currency. */
  readonly payouts: { currency: string; amount: number; count: number }[];
}

/** Which runs GET /v1/settlements lists (newest first). */
export interface RunListFilter {
  /** 1..100. */
  readonly limit: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  readonly status?: StoredRun['status'];
  readonly currency?: string;
}

/** A completed run overlapping a requested one (same currency, overlapping period and merchants). */
export interface OverlappingRun {
  readonly runId: string;
  readonly period: SettlementPeriod;
  readonly merchantIds: string[] | null;
}

const LONG_TRANSACTION = {
  isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted,
  maxWait: 60_000,
  timeout: 30 * 60_000,
} as const;
const SHORT_TRANSACTION = {
  isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted,
  maxWait: 10_000,
  timeout: 60_000,
} as const;

/**
 * How long after a run is prepared its payout idempotency keys can be trusted: the payment
 * provider's key lifetime less a margin (IDEMPOTENCY_KEY_TRUST_MS, shared with the order's
 * authorisation and refunds). A run's keys are first used after it is prepared, so until then a
 * retried transfer is answered from Stripe's saved result. Later, payBatch looks each transfer up
 * before creating it.
 */
export const PAYOUT_KEY_TRUST_MS = IDEMPOTENCY_KEY_TRUST_MS;

/** work_mem of the prepare transaction: its groupings and hashed set of items. */
const PREPARE_WORK_MEM = '256MB';

const amountOf = (value: bigint | number | null, field: string): number =>
  toSafeAmount(BigInt(value ?? 0), field);

/** The merchant accounts a run settles (alias `a`): payable and reserve, in its currency, of its merchants. */
function runAccounts(run: StoredRun, ids: string | null): Prisma.Sql {
  return Prisma.sql`a.kind IN ('merchant_payable', 'merchant_reserve')
       AND a.currency = ${run.currency}::char(3)
       AND (${ids}::jsonb IS NULL OR a.merchant_id IN (SELECT jsonb_array_elements_text(${ids}::jsonb)))`;
}

/** The line id account `a` is settled through: its last range's end (0 before its first). */
const SETTLED_THROUGH = Prisma.sql`COALESCE((SELECT r.through_line_id FROM settlement_ranges r
                                    WHERE r.account_code = a.code AND r.currency = a.currency
                                    ORDER BY r.through_line_id DESC LIMIT 1), 0)`;

/**
 * The lowest line id a run's accounts are settled through (0 when one has no range yet): every
 * line the run can settle is above it.
 */
async function lowestRangeEnd(tx: Tx, run: StoredRun, ids: string | null): Promise<bigint> {
  const rows = await tx.$queryRaw<{ lowest: bigint }[]>`
    SELECT COALESCE(min(${SETTLED_THROUGH}), 0)::bigint AS lowest
      FROM ledger_accounts a
     WHERE ${runAccounts(run, ids)}`;
  return BigInt(rows[0]?.lowest ?? 0);
}

/** Serialises the claim steps of runs of one currency (the primary key decides anyway). */
async function lockCurrency(tx: Tx, currency: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`settlement:${currency}`}, 0))`;
}

function runOf(row: {
  id: string;
  workflowId: string;
  currency: string;
  periodFrom: Date;
  periodTo: Date;
  merchantIds: unknown;
  status: string;
  requestedBy: string;
  merchantsTotal: number;
  linesSettled: number;
  preparedAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}): StoredRun {
  return {
    runId: row.id,
    workflowId: row.workflowId,
    currency: row.currency,
    period: { from: row.periodFrom.toISOString(), to: row.periodTo.toISOString() },
    merchantIds: (row.merchantIds as string[] | null) ?? null,
    status: row.status as StoredRun['status'],
    requestedBy: row.requestedBy,
    merchantsTotal: row.merchantsTotal,
    linesSettled: row.linesSettled,
    preparedAt: row.preparedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

/** A merchant's sums over the lines a run claims, before the reserve release (claimAndAggregate). */
interface ClaimRow extends AggregateRow {
  /** −Σ of the claimed merchant_reserve lines: what the release moves to the payable. */
  reserve_to_release: bigint;
}

interface AggregateRow {
  merchant_id: string;
  lines: bigint;
  net: bigint;
  gross: bigint;
  refunds: bigint;
  fees: bigint;
  duties_taxes: bigint;
  carrier: bigint;
  reserve_held: bigint;
  reserve_released: bigint;
  brought_forward: bigint;
  settlement_currency: string;
  stripe_account_id: string | null;
}

/**
 * Settlement runs in PostgreSQL. The heavy steps are set-based: one statement claims every line
 * a run settles (a range of line ids per merchant account, and one by one the few due lines a
 * range cannot take, under the currency's advisory lock) and aggregates them per merchant, and
 * entries and payout rows are written a batch at a time. Every step is idempotent by run id
 * (see each method).
 */
export class SettlementStore {
  constructor(
    private readonly db: Database,
    /** The store's clock (`prepared_at`, the payout key window); tests move it. */
    private readonly now: () => Date = () => new Date(),
    /** How long prepare tries for the posting fence (committedLinesThrough). */
    private readonly fence: FenceOptions = {},
  ) {}

  /** Completed runs of the currency whose period overlaps `period` and whose merchants overlap. */
  async findOverlap(
    currency: string,
    period: SettlementPeriod,
    merchantIds: readonly string[] | null,
    db: Tx | Database = this.db,
  ): Promise<OverlappingRun | null> {
    const ids = merchantIds === null ? null : JSON.stringify(merchantIds);
    const rows = await db.$queryRaw<
      { id: string; period_from: Date; period_to: Date; merchant_ids: unknown }[]
    >`
      SELECT r.id, r.period_from, r.period_to, r.merchant_ids
        FROM settlement_runs r
       WHERE r.currency = ${currency} AND r.status = 'completed'
         AND r.period_from < ${period.to}::timestamptz AND r.period_to > ${period.from}::timestamptz
         AND (r.merchant_ids IS NULL OR ${ids}::jsonb IS NULL
              OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.merchant_ids) a(id)
                          WHERE a.id IN (SELECT jsonb_array_elements_text(${ids}::jsonb))))
       ORDER BY r.period_to DESC, r.id
       LIMIT 1`;
    const row = rows[0];
    if (!row) return null;
    return {
      runId: row.id,
      period: { from: row.period_from.toISOString(), to: row.period_to.toISOString() },
      merchantIds: (row.merchant_ids as string[] | null) ?? null,
    };
  }

  /** Merchant ids of the list that do not exist. */
  async unknownMerchants(merchantIds: readonly string[]): Promise<string[]> {
    const found = await this.db.merchant.findMany({
      where: { id: { in: [...merchantIds] } },
      select: { id: true },
    });
    const known = new Set(found.map((m) => m.id));
    return merchantIds.filter((id) => !known.has(id));
  }

  /**
   * Records the run (idempotent: the same run id again answers `created: false`). Refuses with
   * CONFLICT a run overlapping a completed run of the same currency and merchants; checked under
   * the currency's lock, so a run that completes meanwhile is seen.
   */
  async openRun(input: OpenRunInput): Promise<{ created: boolean; run: StoredRun }> {
    currencyInfo(input.currency, 'currency');
    return this.db.$transaction(async (tx) => {
      await lockCurrency(tx, input.currency);
      const existing = await tx.settlementRun.findUnique({ where: { id: input.runId } });
      if (existing) return { created: false, run: runOf(existing) };
      const overlap = await this.findOverlap(input.currency, input.period, input.merchantIds, tx);
      if (overlap) throw overlapError(overlap, input.currency);
      const row = await tx.settlementRun.create({
        data: {
          id: input.runId,
          workflowId: input.workflowId,
          currency: input.currency,
          periodFrom: new Date(input.period.from),
          periodTo: new Date(input.period.to),
          merchantIds:
            input.merchantIds === null ? Prisma.DbNull : ([...input.merchantIds] as Prisma.InputJsonValue),
          requestedBy: input.requestedBy,
        },
      });
      return { created: true, run: runOf(row) };
    }, SHORT_TRANSACTION);
  }

  async getRun(runId: string): Promise<StoredRun | null> {
    const row = await this.db.settlementRun.findUnique({ where: { id: runId } });
    return row === null ? null : runOf(row);
  }

  /** Recorded runs, newest first; keyset pagination on (created_at, id). */
  async listRuns(filter: RunListFilter): Promise<{ runs: StoredRun[]; nextCursor: string | null }> {
    const rows = await this.db.settlementRun.findMany({
      where: {
        ...(filter.cursor ? olderThan(decodeCursor(filter.cursor)) : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.currency ? { currency: filter.currency } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
    });
    const page = keysetPage(rows, filter.limit);
    return { runs: page.rows.map(runOf), nextCursor: page.nextCursor };
  }

  /**
   * Claims, aggregates and decides, in one transaction (all or nothing; `prepared_at` marks it
   * done, so a retry after commit only reads the result):
   * 1. claim and aggregate: one statement claims every line the run settles and sums them per
   *    merchant from what the lines carry (claimAndAggregate);
   * 2. release: per merchant, the claimed reserve moves to the payable (reserve_release entries,
   *    whose two lines the run claims);
   * 3. decide each merchant's payout (pure decidePayout, FX at the cut-off), carry forward what is
   *    not paid (carry_forward entries), and write the payout rows.
   * `lines_settled` counts the claims: the statement's, then each posted entry's.
   */
  async prepare(
    runId: string,
    fx: FxRateSource,
    /** Called with each phase's duration (the benchmark's profile). */
    timed: (phase: string, ms: number) => void = () => undefined,
  ): Promise<PrepareResult> {
    let mark = performance.now();
    const lap = (phase: string) => {
      const now = performance.now();
      timed(phase, now - mark);
      mark = now;
    };
    // Before the transaction: the highest line id a range of this run may end at.
    const committedThrough = await committedLinesThrough(this.db, this.fence);
    lap('fence');
    return this.db.$transaction(async (tx) => {
      const first = await tx.settlementRun.findUnique({ where: { id: runId } });
      if (!first)
        throw new AppError('NOT_FOUND', `settlement run ${runId} does not exist`, { field: 'runId' });
      await lockCurrency(tx, first.currency);
      // Room for the claim's hash tables and sort (a run is one big statement).
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '${PREPARE_WORK_MEM}'`);
      // Read again under the lock: a concurrent attempt may have prepared it meanwhile.
      const run = runOf(await tx.settlementRun.findUniqueOrThrow({ where: { id: runId } }));
      if (run.preparedAt !== null) return this.prepared(tx, run);
      const ids = run.merchantIds === null ? null : JSON.stringify(run.merchantIds);
      lap('lock');

      // 1. Claim and aggregate, in one statement: the lines a run settles carry what it reports.
      const claimedRows = await this.claimAndAggregate(tx, run, ids, committedThrough);
      const claimed = claimedRows.reduce((sum, r) => sum + Number(r.lines), 0);
      lap('claim and aggregate');

      // 2. Release the claimed reserve into the payable.
      const releases = claimedRows.filter((r) => BigInt(r.reserve_to_release) !== 0n);
      await postSettlementEntries(
        tx,
        runId,
        releases.map((r) =>
          reserveReleaseEntry({
            runId,
            merchantId: r.merchant_id,
            amount: money(amountOf(r.reserve_to_release, 'reserve'), run.currency),
            occurredAt: run.period.to,
          }),
        ),
      );
      // Its two lines (the reserve's and the payable's) are the run's too.
      const rows: AggregateRow[] = claimedRows.map((r) => {
        const release = BigInt(r.reserve_to_release);
        return {
          ...r,
          lines: BigInt(r.lines) + (release !== 0n ? 2n : 0n),
          net: BigInt(r.net) + release,
          reserve_released: BigInt(r.reserve_released) + release,
        };
      });
      lap('release');

      // 3. Decide, carry forward, record.
      const table = await this.ratesFor(fx, run, rows);
      const postings: SettlementPosting[] = [];
      const payouts = rows.map((r) => {
        const components = componentsOf(r);
        const net = amountOf(r.net, 'net');
        const other = net - netOf(components);
        const row = { ...components, other };
        const terms = { settlementCurrency: r.settlement_currency, stripeAccountId: r.stripe_account_id };
        const decision =
          net > 0 &&
          terms.stripeAccountId &&
          r.settlement_currency !== run.currency &&
          table.missing.has(r.settlement_currency)
            ? ({
                status: 'held',
                carriedForward: net,
                payout: null,
                conversion: null,
                note: `held: no reference exchange rate ${run.currency}→${r.settlement_currency} at ${run.period.to}; carried forward`,
              } as const)
            : decidePayout(money(net, run.currency), terms, table.table);
        if (decision.carriedForward !== 0) {
          postings.push(
            carryForwardEntry({
              runId,
              merchantId: r.merchant_id,
              owed: money(decision.carriedForward, run.currency),
              occurredAt: run.period.to,
              reason: decision.note ?? decision.status,
            }),
          );
        }
        return {
          run_id: runId,
          merchant_id: r.merchant_id,
          currency: run.currency,
          lines: Number(r.lines),
          ...Object.fromEntries(COMPONENT_NAMES.map((name) => [snake(name), row[name]])),
          net,
          carried_forward: decision.carriedForward,
          status: decision.status,
          payout_currency: decision.payout?.currency ?? null,
          payout_amount: decision.payout?.amount ?? null,
          fx_rate: decision.conversion?.rate ?? null,
          fx_inverted: decision.conversion?.inverted ?? null,
          fx_source: decision.conversion?.source ?? null,
          fx_as_of: decision.conversion?.asOf ?? null,
          destination_account: decision.status === 'pending' ? terms.stripeAccountId : null,
          note: decision.note,
        };
      });
      await postSettlementEntries(tx, runId, postings);
      await tx.$executeRaw`
        INSERT INTO settlement_payouts (run_id, merchant_id, currency, lines, gross, refunds, fees, duties_taxes,
               carrier, reserve_held, reserve_released, brought_forward, other, net, carried_forward, status,
               payout_currency, payout_amount, fx_rate, fx_inverted, fx_source, fx_as_of, destination_account, note)
        SELECT run_id, merchant_id, currency, lines, gross, refunds, fees, duties_taxes,
               carrier, reserve_held, reserve_released, brought_forward, other, net, carried_forward, status,
               payout_currency, payout_amount, fx_rate, fx_inverted, fx_source, fx_as_of, destination_account, note
          FROM jsonb_to_recordset(${JSON.stringify(payouts)}::jsonb) AS x(
               run_id text, merchant_id text, currency text, lines int, gross bigint, refunds bigint, fees bigint,
               duties_taxes bigint, carrier bigint, reserve_held bigint, reserve_released bigint,
               brought_forward bigint, other bigint, net bigint, carried_forward bigint, status text,
               payout_currency text, payout_amount bigint, fx_rate text, fx_inverted boolean, fx_source text,
               fx_as_of timestamptz, destination_account text, note text)
        ON CONFLICT (run_id, merchant_id) DO NOTHING`;
      lap('decide');
      // The claims of the release and carry-forward entries are counted as they are posted.
      const recorded = await tx.settlementRun.update({
        where: { id: runId },
        data: {
          preparedAt: this.now(),
          merchantsTotal: payouts.length,
          linesSettled: { increment: claimed },
        },
      });
      lap('record');
      return {
        merchantsTotal: payouts.length,
        pending: payouts.filter((p) => p.status === 'pending').length,
        linesSettled: recorded.linesSettled,
      };
    }, LONG_TRANSACTION);
  }

  /**
   * Claims every line the run settles and sums them per merchant, in one statement (the claims
   * are data-modifying WITHs that read the same snapshot as the sums):
   * - the lines: every unsettled merchant_payable line of the run's merchants in its currency
   *   that occurred before the cut-off, and every unsettled merchant_reserve line held at least
   *   reserve_days before it, among the lines up to `through` (committedLinesThrough:
   *   every line up to it is committed, so none can appear later). Unsettled: after the account's
   *   last range and not claimed one by one (settlement_items);
   * - the claims, per account: a range from where its last one ended through the line before its
   *   first line not yet due, or through `through` when it has none; and a
   *   settlement_items row for each due line after that first line not yet due (it is found
   *   after the account's last range, so those lines are too; none while lines
   *   are posted in time order). The currency's advisory lock, taken before the statement's
   *   snapshot, means every earlier claim of these accounts is committed and seen; the ranges'
   *   unique keys and contiguity trigger, and the items' primary key, would refuse a second claim
   *   all the same, failing the transaction rather than settling a line twice;
   * - the sums, from what each payable line carries since it was posted (its settlement class
   *   and, once per entry, the entry's breakdown: src/domain/settlement/breakdown.ts):
   *   `net` is what the payable lines owe the merchant (−Σ amount), split into reserve released
   *   and brought forward by class, and the components of class `other`; `reserve_to_release`
   *   is the reserve lines' −Σ amount, which step 2 moves to the payable.
   * A run reads the lines posted since the runs before, not the ledger's history: the lines
   * after the lowest range end of its accounts (`lowest`, read first and passed as a value, so
   * the planner knows how many lines follow it: one pass over the table on a first run, an index
   * range on id later), the items after it (an anti-join that may spill to disk: a ledger settled
   * line by line before ranges has an item per line), each account's unsettled lines not yet
   * due (`id + 0`: through the occurred_at index, not by walking the account's lines in id order;
   * never a line a range settled already, which a run with an earlier cut-off than the last, or
   * a longer reserve, finds not due), and the lines after those (`OFFSET 0` keeps that a
   * per-account index scan).
   */
  private async claimAndAggregate(
    tx: Tx,
    run: StoredRun,
    ids: string | null,
    /** committedLinesThrough: no range ends above it. */
    through: bigint,
  ): Promise<ClaimRow[]> {
    const cutoff = run.period.to;
    const lowest = await lowestRangeEnd(tx, run, ids);
    return tx.$queryRaw<ClaimRow[]>`
      WITH accounts AS MATERIALIZED (
        SELECT a.code, a.currency, a.merchant_id, a.kind = 'merchant_payable' AS payable, d.due_before,
               s.settled_through, nd.first_not_due,
               LEAST(COALESCE(nd.first_not_due - 1, ${through}::bigint), ${through}::bigint) AS range_end
          FROM ledger_accounts a
          JOIN merchants m ON m.id = a.merchant_id
         CROSS JOIN LATERAL (
               SELECT CASE WHEN a.kind = 'merchant_payable' THEN ${cutoff}::timestamptz
                           ELSE ${cutoff}::timestamptz - make_interval(days => m.reserve_days) END AS due_before) d
         CROSS JOIN LATERAL (SELECT ${SETTLED_THROUGH} AS settled_through) s
         CROSS JOIN LATERAL (
               SELECT min(l.id + 0) AS first_not_due FROM journal_lines l
                WHERE l.account_code = a.code AND l.currency = a.currency AND l.occurred_at >= d.due_before
                  AND l.id + 0 > s.settled_through) nd
         WHERE ${runAccounts(run, ids)}
      ), claimed_one_by_one AS MATERIALIZED (
        SELECT s.line_id FROM settlement_items s WHERE s.line_id > ${lowest}::bigint
      ), ranges AS (
        INSERT INTO settlement_ranges (account_code, currency, after_line_id, through_line_id, run_id)
        SELECT acc.code, acc.currency, acc.settled_through, acc.range_end, ${run.runId}
          FROM accounts acc
         WHERE acc.range_end > acc.settled_through
      ), items AS (
        INSERT INTO settlement_items (line_id, run_id)
        SELECT l.id, ${run.runId}
          FROM accounts acc
         CROSS JOIN LATERAL (
               SELECT l.id FROM journal_lines l
                WHERE l.account_code = acc.code AND l.currency = acc.currency
                  AND l.id > acc.first_not_due AND l.id <= ${through}::bigint AND l.occurred_at < acc.due_before
               OFFSET 0) l
         WHERE acc.first_not_due IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claimed_one_by_one c WHERE c.line_id = l.id)
         ORDER BY l.id
      ), sums AS (
        SELECT acc.merchant_id, count(*) AS lines,
               COALESCE(-sum(l.amount) FILTER (WHERE acc.payable), 0) AS net,
               COALESCE(-sum(l.amount) FILTER (WHERE l.settlement_class = 'released'), 0) AS reserve_released,
               COALESCE(-sum(l.amount) FILTER (WHERE l.settlement_class = 'brought'), 0) AS brought_forward,
               COALESCE(sum(l.breakdown_gross), 0) AS gross,
               COALESCE(sum(l.breakdown_refunds), 0) AS refunds,
               COALESCE(sum(l.breakdown_fees), 0) AS fees,
               COALESCE(sum(l.breakdown_duties_taxes), 0) AS duties_taxes,
               COALESCE(sum(l.breakdown_carrier), 0) AS carrier,
               COALESCE(sum(l.breakdown_reserve_held), 0) AS reserve_held,
               COALESCE(-sum(l.amount) FILTER (WHERE NOT acc.payable), 0) AS reserve_to_release
          FROM accounts acc
          JOIN journal_lines l ON l.account_code = acc.code AND l.currency = acc.currency
                              AND l.id > acc.settled_through AND l.occurred_at < acc.due_before
         WHERE l.id > ${lowest}::bigint AND l.id <= ${through}::bigint
           AND NOT EXISTS (SELECT 1 FROM claimed_one_by_one c WHERE c.line_id = l.id)
         GROUP BY acc.merchant_id
      )
      SELECT s.merchant_id, s.lines::bigint AS lines, s.net::bigint AS net,
             s.gross::bigint AS gross, s.refunds::bigint AS refunds, s.fees::bigint AS fees,
             s.duties_taxes::bigint AS duties_taxes, s.carrier::bigint AS carrier,
             s.reserve_held::bigint AS reserve_held, s.reserve_released::bigint AS reserve_released,
             s.brought_forward::bigint AS brought_forward, s.reserve_to_release::bigint AS reserve_to_release,
             m.settlement_currency, m.stripe_account_id
        FROM sums s
        JOIN merchants m ON m.id = s.merchant_id
       ORDER BY s.merchant_id`;
  }

  /** The reference rates in force at the cut-off for the settlement currencies that need one. */
  private async ratesFor(
    fx: FxRateSource,
    run: StoredRun,
    rows: readonly AggregateRow[],
  ): Promise<{ table: FxRateTable | null; missing: Set<string> }> {
    const wanted = [
      ...new Set(
        rows
          .filter((r) => r.settlement_currency !== run.currency && BigInt(r.net) > 0n && r.stripe_account_id)
          .map((r) => r.settlement_currency),
      ),
    ].sort();
    if (wanted.length === 0) return { table: null, missing: new Set() };
    const answer = await fx.ratesFor({ currencies: [run.currency, ...wanted], at: new Date(run.period.to) });
    const missing = new Set(answer.unsupported);
    if (missing.has(run.currency)) return { table: answer.table, missing: new Set(wanted) };
    return { table: answer.table, missing };
  }

  private async prepared(tx: Tx, run: StoredRun): Promise<PrepareResult> {
    const pending = await tx.settlementPayout.count({ where: { runId: run.runId, status: 'pending' } });
    return { merchantsTotal: run.merchantsTotal, pending, linesSettled: run.linesSettled };
  }

  /**
   * Pays up to `limit` pending merchants of the run, in merchant order: one transfer each with
   * the idempotency key `payout:<runId>:<merchantId>` (a retry after a crash gets the provider's
   * saved answer, never a second transfer), then, in one transaction for the batch, the payout
   * entries with their payable lines claimed and the payout rows marked paid. A transfer the
   * provider refuses for good marks the merchant failed and carries its net forward; a transient
   * failure records what was paid so far and is rethrown (the activity retries).
   *
   * Stripe forgets idempotency keys after 24 hours, and the activity retries without limit: once
   * PAYOUT_KEY_TRUST_MS have passed since the run was prepared, a transfer made but not recorded
   * (a crash or an outage after Stripe committed it) would be made again. From then on each
   * merchant's transfer is first looked up (by transfer group, destination and metadata) and the
   * one found is recorded instead of creating another.
   */
  async payBatch(
    runId: string,
    limit: number,
    payments: PaymentsPort,
    onProgress: (done: number) => void = () => undefined,
  ): Promise<PayBatchResult> {
    const run = await this.getRun(runId);
    if (!run) throw new AppError('NOT_FOUND', `settlement run ${runId} does not exist`, { field: 'runId' });
    const rows = await this.db.settlementPayout.findMany({
      where: { runId, status: 'pending' },
      orderBy: { merchantId: 'asc' },
      take: limit,
    });
    const transferGroup = `settlement-${runId}`;
    // Asked before each transfer: a batch of slow transfers can outlast the margin.
    const keysMayHaveExpired = () =>
      run.preparedAt === null || this.now().getTime() - Date.parse(run.preparedAt) >= PAYOUT_KEY_TRUST_MS;
    const outcomes: Outcome[] = [];
    let transient: unknown;
    for (const row of rows) {
      let made: MerchantTransfer | null = null;
      if (keysMayHaveExpired()) {
        try {
          made = await payments.findMerchantTransfer({
            transferGroup,
            destinationAccountId: row.destinationAccount!,
            runId,
            merchantId: row.merchantId,
          });
        } catch (error) {
          // Not knowing whether it was paid is never a refusal: record the batch so far, rethrow.
          transient = error;
          break;
        }
      }
      try {
        const transfer =
          made ??
          (await payments.transferToMerchant({
            runId,
            merchantId: row.merchantId,
            destinationAccountId: row.destinationAccount!,
            amount: money(row.payoutAmount!, row.payoutCurrency!),
            transferGroup,
            idempotencyKey: idempotencyKeys.payout(runId, row.merchantId),
          }));
        if (
          transfer.amount.amount !== Number(row.payoutAmount) ||
          transfer.amount.currency !== row.payoutCurrency
        ) {
          throw new AppError(
            'INTERNAL',
            `transfer ${transfer.providerTransferId} moved ${transfer.amount.amount} ${transfer.amount.currency}, not the payout`,
          );
        }
        outcomes.push({ kind: 'paid', merchantId: row.merchantId, net: Number(row.net), transfer });
      } catch (error) {
        if (error instanceof AppError && !error.retryable) {
          outcomes.push({
            kind: 'failed',
            merchantId: row.merchantId,
            net: Number(row.net),
            reason: error.message,
          });
        } else {
          transient = error;
          break;
        }
      }
      onProgress(outcomes.length);
    }
    if (outcomes.length > 0) await this.recordPayouts(run, outcomes);
    if (transient !== undefined) throw transient;
    const remaining = await this.db.settlementPayout.count({ where: { runId, status: 'pending' } });
    return {
      handled: outcomes.length,
      paid: outcomes.filter((o) => o.kind === 'paid').length,
      failed: outcomes.filter((o) => o.kind === 'failed').length,
      remaining,
    };
  }

  private async recordPayouts(run: StoredRun, outcomes: readonly Outcome[]): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const merchantIds = outcomes.map((o) => o.merchantId);
      const rows = await tx.$queryRaw<
        { merchant_id: string; payout_currency: string; payout_amount: bigint }[]
      >`
        SELECT merchant_id, payout_currency, payout_amount FROM settlement_payouts
         WHERE run_id = ${run.runId} AND status = 'pending'
           AND merchant_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(merchantIds)}::jsonb))
         ORDER BY merchant_id
           FOR UPDATE`;
      const pending = new Map(rows.map((r) => [r.merchant_id, r]));
      const todo = outcomes.filter((o) => pending.has(o.merchantId));
      const postings = todo.map((o) =>
        o.kind === 'paid'
          ? payoutEntry({
              runId: run.runId,
              merchantId: o.merchantId,
              net: money(o.net, run.currency),
              paid: money(
                pending.get(o.merchantId)!.payout_amount,
                pending.get(o.merchantId)!.payout_currency,
              ),
              transferId: o.transfer.providerTransferId,
              occurredAt: o.transfer.createdAt,
            })
          : carryForwardEntry({
              runId: run.runId,
              merchantId: o.merchantId,
              owed: money(o.net, run.currency),
              occurredAt: run.period.to,
              reason: `transfer refused: ${o.reason}`,
            }),
      );
      const ids = await postSettlementEntries(tx, run.runId, postings);
      const updates = todo.map((o, i) =>
        o.kind === 'paid'
          ? {
              m: o.merchantId,
              s: 'paid',
              t: o.transfer.providerTransferId,
              e: ids.get(postings[i]!.entry.businessKey)!,
              c: 0,
              n: null,
            }
          : {
              m: o.merchantId,
              s: 'failed',
              t: null,
              e: null,
              c: o.net,
              n: `transfer refused: ${o.reason}`.slice(0, 500),
            },
      );
      await tx.$executeRaw`
        UPDATE settlement_payouts p
           SET status = x.s, transfer_id = x.t, payout_entry_id = x.e, carried_forward = x.c,
               note = COALESCE(x.n, p.note), paid_at = CASE WHEN x.s = 'paid' THEN now() ELSE NULL END
          FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS x(m text, s text, t text, e uuid, c bigint, n text)
         WHERE p.run_id = ${run.runId} AND p.merchant_id = x.m AND p.status = 'pending'`;
    }, SHORT_TRANSACTION);
  }

  /** Marks the run completed once no payout is pending (idempotent). */
  async finish(runId: string): Promise<StoredRun> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.settlementRun.findUnique({ where: { id: runId } });
      if (!row) throw new AppError('NOT_FOUND', `settlement run ${runId} does not exist`, { field: 'runId' });
      if (row.status === 'completed') return runOf(row);
      const pending = await tx.settlementPayout.count({ where: { runId, status: 'pending' } });
      if (row.preparedAt === null || pending > 0) {
        throw new AppError('INTERNAL', `settlement run ${runId} is not finished: ${pending} payouts pending`);
      }
      const updated = await tx.settlementRun.update({
        where: { id: runId },
        data: { status: 'completed', completedAt: new Date() },
      });
      return runOf(updated);
    }, SHORT_TRANSACTION);
  }

  /** Totals over the run's merchants. */
  async totals(runId: string): Promise<RunTotals> {
    const [sums] = await this.db.$queryRaw<Record<string, bigint | null>[]>`
      SELECT sum(gross) AS gross, sum(refunds) AS refunds, sum(fees) AS fees, sum(duties_taxes) AS duties_taxes,
             sum(carrier) AS carrier, sum(reserve_held) AS reserve_held, sum(reserve_released) AS reserve_released,
             sum(brought_forward) AS brought_forward, sum(other) AS other, sum(net) AS net,
             sum(carried_forward) AS carried_forward
        FROM settlement_payouts WHERE run_id = ${runId}`;
    const byStatus = await this.db.settlementPayout.groupBy({
      by: ['status'],
      where: { runId },
      _count: { _all: true },
    });
    const paid = await this.db.settlementPayout.groupBy({
      by: ['payoutCurrency'],
      where: { runId, status: 'paid' },
      _sum: { payoutAmount: true },
      _count: { _all: true },
      orderBy: { payoutCurrency: 'asc' },
    });
    const outcomes = Object.fromEntries(
      ['pending', 'paid', 'held', 'carried_forward', 'nothing_due', 'failed'].map((s) => [s, 0]),
    ) as Record<PayoutStatus, number>;
    for (const group of byStatus) outcomes[group.status as PayoutStatus] = group._count._all;
    const get = (name: string) => amountOf(sums?.[name] ?? 0n, name);
    return {
      gross: get('gross'),
      refunds: get('refunds'),
      fees: get('fees'),
      dutiesTaxes: get('duties_taxes'),
      carrier: get('carrier'),
      reserveHeld: get('reserve_held'),
      reserveReleased: get('reserve_released'),
      broughtForward: get('brought_forward'),
      other: get('other'),
      net: get('net'),
      carriedForward: get('carried_forward'),
      outcomes,
      payouts: paid.map((p) => ({
        currency: p.payoutCurrency!,
        amount: amountOf(p._sum.payoutAmount, 'payoutAmount'),
        count: p._count._all,
      })),
    };
  }

  /** The run's merchants, the report's rows, in merchant order. */
  async rows(runId: string): Promise<SettlementRow[]> {
    const rows = await this.db.settlementPayout.findMany({
      where: { runId },
      orderBy: { merchantId: 'asc' },
    });
    return rows.map((r) => ({
      merchantId: r.merchantId,
      currency: r.currency,
      lines: r.lines,
      gross: amountOf(r.gross, 'gross'),
      refunds: amountOf(r.refunds, 'refunds'),
      fees: amountOf(r.fees, 'fees'),
      dutiesTaxes: amountOf(r.dutiesTaxes, 'dutiesTaxes'),
      carrier: amountOf(r.carrier, 'carrier'),
      reserveHeld: amountOf(r.reserveHeld, 'reserveHeld'),
      reserveReleased: amountOf(r.reserveReleased, 'reserveReleased'),
      broughtForward: amountOf(r.broughtForward, 'broughtForward'),
      other: amountOf(r.other, 'other'),
      net: amountOf(r.net, 'net'),
      carriedForward: amountOf(r.carriedForward, 'carriedForward'),
      status: r.status as PayoutStatus,
      payoutCurrency: r.payoutCurrency,
      payoutAmount: r.payoutAmount === null ? null : amountOf(r.payoutAmount, 'payoutAmount'),
      fxRate: r.fxRate,
      fxInverted: r.fxInverted,
      fxSource: r.fxSource,
      fxAsOf: r.fxAsOf?.toISOString() ?? null,
      transferId: r.transferId,
      note: r.note,
    }));
  }
}

type Outcome =
  | { kind: 'paid'; merchantId: string; net: number; transfer: MerchantTransfer }
  | { kind: 'failed'; merchantId: string; net: number; reason: string };

function componentsOf(r: AggregateRow): Omit<SettlementComponents, 'other'> & { other: 0 } {
  return {
    gross: amountOf(r.gross, 'gross'),
    refunds: amountOf(r.refunds, 'refunds'),
    fees: amountOf(r.fees, 'fees'),
    dutiesTaxes: amountOf(r.duties_taxes, 'dutiesTaxes'),
    carrier: amountOf(r.carrier, 'carrier'),
    reserveHeld: amountOf(r.reserve_held, 'reserveHeld'),
    reserveReleased: amountOf(r.reserve_released, 'reserveReleased'),
    broughtForward: amountOf(r.brought_forward, 'broughtForward'),
    other: 0,
  };
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function overlapError(overlap: OverlappingRun, currency: string): AppError {
  const scope =
    overlap.merchantIds === null ? 'every merchant' : `merchants ${overlap.merchantIds.join(', ')}`;
  return new AppError(
    'CONFLICT',
    `the period overlaps completed settlement run ${overlap.runId} (${currency}, ${overlap.period.from} to ${overlap.period.to}, ${scope})`,
    { field: 'from', details: { runId: overlap.runId, period: overlap.period } },
  );
}
