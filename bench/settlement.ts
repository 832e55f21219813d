// A settlement run over a million journal lines: the run's SQL path (claim + reserve release +
// aggregate + decide + payouts posted with a no-op transfer port) next to raw SQL aggregates of
// the same lines, in the same run. Starts its own embedded PostgreSQL (throwaway folder),
// migrates it and seeds the ledger with generate_series.
import { Client } from 'pg';
import type { MerchantTransfer, PaymentsPort, TransferToMerchantRequest } from '../src/domain/payments';
import { createDatabase, migrate, startEmbeddedPostgres } from '../src/infra/database';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../src/infra/fx';
import { SettlementStore } from '../src/infra/settlement';
import { fixed, say, table } from './report';

const MERCHANTS = Number(process.env.BENCH_MERCHANTS ?? 1_000);
const CAPTURES = Number(process.env.BENCH_CAPTURES ?? 240_000);
const REFUNDS = Number(process.env.BENCH_REFUNDS ?? 10_000);
const BATCH = Number(process.env.BENCH_PAYOUT_BATCH ?? 100);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const ROUNDS = Number(process.env.BENCH_SETTLEMENT_ROUNDS ?? 3);
const CUTOFF = '2026-11-01T00:00:00.000Z';

/** Answers every transfer at once, as the provider would (one transfer per idempotency key). */
class NoopTransfers implements PaymentsPort {
  count = 0;
  async transferToMerchant(request: TransferToMerchantRequest): Promise<MerchantTransfer> {
    this.count += 1;
    return {
      providerTransferId: `tr_bench_${request.runId}_${request.merchantId}`,
      destinationAccountId: request.destinationAccountId,
      runId: request.runId,
      merchantId: request.merchantId,
      amount: request.amount,
      amountReversed: { amount: 0, currency: request.amount.currency },
      reversed: false,
      transferGroup: request.transferGroup ?? null,
      providerBalanceTransactionId: null,
      createdAt: CUTOFF,
    };
  }
  /** Runs here are paid just after they are prepared: payBatch never needs to look one up. */
  findMerchantTransfer = never;
  authorizePayment = never;
  capturePayment = never;
  cancelAuthorization = never;
  retrievePayment = never;
  findOrderPayment = never;
  findRefund = never;
  refundPayment = never;
  reverseTransfer = never;
  listBalanceTransactions = never;
}
async function never(): Promise<never> {
  throw new Error('not used');
}

/**
 * The ledger, set-based: MERCHANTS merchants (every 10th paid in USD, every 50th without a
 * connected account, those with index ≡ 3 mod 10 holding a 10 % reserve for 7 days), CAPTURES
 * capture entries of 4 lines (clearing, payable, fee, tax or reserve) spread over the 30 days
 * before the cut-off, and REFUNDS refund entries of 4 lines: 4 × (CAPTURES + REFUNDS) lines.
 * Entries are balanced by construction and their payable lines carry their settlement breakdown;
 * the ledger's row triggers (immutability, open-entry check, balance and breakdown at commit) are
 * disabled while seeding, and both are checked afterwards (the breakdown on a sample).
 */
export async function seed(sql: Client): Promise<void> {
  await sql.query('ALTER TABLE journal_entries DISABLE TRIGGER USER');
  await sql.query('ALTER TABLE journal_lines DISABLE TRIGGER USER');
  await sql.query(`
    INSERT INTO merchants (id, name, country, settlement_currency, stripe_account_id, platform_fee_bps,
                           reserve_bps, reserve_days)
    SELECT 'mer_b' || lpad(g::text, 5, '0'), 'Bench merchant ' || g, 'DE',
           CASE WHEN g % 10 = 0 THEN 'USD' ELSE 'EUR' END,
           CASE WHEN g % 50 = 0 THEN NULL ELSE 'acct_bench' || g END,
           290, CASE WHEN g % 10 = 3 THEN 1000 ELSE 0 END, 7
      FROM generate_series(1, ${MERCHANTS}) g`);
  await sql.query(`
    INSERT INTO ledger_accounts (code, kind, type, normal_balance, currency, party, merchant_id)
    VALUES ('processor_clearing:stripe:EUR', 'processor_clearing', 'asset', 'debit', 'EUR', 'stripe', NULL),
           ('platform_fee_revenue:EUR', 'platform_fee_revenue', 'revenue', 'credit', 'EUR', NULL, NULL),
           ('tax_payable:DE:EUR', 'tax_payable', 'liability', 'credit', 'EUR', 'DE', NULL)`);
  await sql.query(`
    INSERT INTO ledger_accounts (code, kind, type, normal_balance, currency, party, merchant_id)
    SELECT k || ':' || m.id || ':EUR', k, 'liability', 'credit', 'EUR', m.id, m.id
      FROM merchants m CROSS JOIN (VALUES ('merchant_payable'), ('merchant_reserve')) AS kinds(k)
     WHERE m.id LIKE 'mer_b%'`);
  // One row per capture with its amounts.
  await sql.query(`
    CREATE TEMP TABLE bench_captures AS
    SELECT g, 'mer_b' || lpad((((g - 1) % ${MERCHANTS}) + 1)::text, 5, '0') AS merchant_id,
           (((g - 1) % ${MERCHANTS}) + 1) % 10 = 3 AS reserved,
           goods, goods * 29 / 1000 AS fee,
           CASE WHEN (((g - 1) % ${MERCHANTS}) + 1) % 10 = 3 THEN (goods - goods * 29 / 1000) / 10 ELSE 0 END AS reserve,
           CASE WHEN (((g - 1) % ${MERCHANTS}) + 1) % 10 = 3 THEN 0 ELSE goods * 19 / 100 END AS tax,
           md5('capture' || g)::uuid AS entry_id,
           '${CUTOFF}'::timestamptz - interval '30 days' + (g * interval '30 days' / ${CAPTURES + 1}) AS at
      FROM (SELECT g, 1000 + (g * 7919) % 20000 AS goods FROM generate_series(1, ${CAPTURES}) g) x`);
  await sql.query(`
    INSERT INTO journal_entries (id, business_key, kind, order_id, merchant_id, description, occurred_at)
    SELECT entry_id, 'order:bench' || g || ':capture', 'capture', 'bench' || g, merchant_id, 'Bench capture', at
      FROM bench_captures`);
  await sql.query(`
    INSERT INTO journal_lines (entry_id, line_no, account_code, currency, amount, occurred_at, settlement_class,
                               breakdown_gross, breakdown_refunds, breakdown_fees, breakdown_duties_taxes,
                               breakdown_carrier, breakdown_reserve_held)
    SELECT c.entry_id, n,
           CASE n WHEN 1 THEN 'processor_clearing:stripe:EUR'
                  WHEN 2 THEN 'merchant_payable:' || c.merchant_id || ':EUR'
                  WHEN 3 THEN 'platform_fee_revenue:EUR'
                  ELSE CASE WHEN c.reserved THEN 'merchant_reserve:' || c.merchant_id || ':EUR' ELSE 'tax_payable:DE:EUR' END END,
           'EUR',
           CASE n WHEN 1 THEN c.goods + c.tax
                  WHEN 2 THEN -(c.goods - c.fee - c.reserve)
                  WHEN 3 THEN -c.fee
                  ELSE CASE WHEN c.reserved THEN -c.reserve ELSE -c.tax END END,
           c.at,
           CASE WHEN n = 2 THEN 'other' END,
           CASE WHEN n = 2 THEN c.goods + c.tax END, CASE WHEN n = 2 THEN 0 END, CASE WHEN n = 2 THEN c.fee END,
           CASE WHEN n = 2 THEN c.tax END, CASE WHEN n = 2 THEN 0 END, CASE WHEN n = 2 THEN c.reserve END
      FROM bench_captures c CROSS JOIN generate_series(1, 4) n
     ORDER BY c.g, n`);
  // Refunds of half of some captures of merchants without a reserve (capture 24 × r).
  await sql.query(`
    INSERT INTO journal_entries (id, business_key, kind, order_id, merchant_id, description, occurred_at)
    SELECT md5('refund' || r)::uuid, 'refund:bench' || r, 'refund', 'bench' || c.g, c.merchant_id, 'Bench refund',
           c.at + interval '1 hour'
      FROM generate_series(1, ${REFUNDS}) r JOIN bench_captures c ON c.g = r * 24`);
  await sql.query(`
    INSERT INTO journal_lines (entry_id, line_no, account_code, currency, amount, occurred_at, settlement_class,
                               breakdown_gross, breakdown_refunds, breakdown_fees, breakdown_duties_taxes,
                               breakdown_carrier, breakdown_reserve_held)
    SELECT md5('refund' || r)::uuid, n,
           CASE n WHEN 1 THEN 'merchant_payable:' || c.merchant_id || ':EUR' WHEN 2 THEN 'platform_fee_revenue:EUR'
                  WHEN 3 THEN 'tax_payable:DE:EUR' ELSE 'processor_clearing:stripe:EUR' END,
           'EUR',
           CASE n WHEN 1 THEN (c.goods - c.fee) / 2 WHEN 2 THEN c.fee / 2 WHEN 3 THEN c.tax / 2
                  ELSE -((c.goods - c.fee) / 2 + c.fee / 2 + c.tax / 2) END,
           c.at + interval '1 hour',
           CASE WHEN n = 1 THEN 'other' END,
           CASE WHEN n = 1 THEN 0 END, CASE WHEN n = 1 THEN (c.goods - c.fee) / 2 + c.fee / 2 + c.tax / 2 END,
           CASE WHEN n = 1 THEN -(c.fee / 2) END, CASE WHEN n = 1 THEN -(c.tax / 2) END,
           CASE WHEN n = 1 THEN 0 END, CASE WHEN n = 1 THEN 0 END
      FROM generate_series(1, ${REFUNDS}) r JOIN bench_captures c ON c.g = r * 24
      CROSS JOIN generate_series(1, 4) n
     ORDER BY r, n`);
  await sql.query('ALTER TABLE journal_entries ENABLE TRIGGER USER');
  await sql.query('ALTER TABLE journal_lines ENABLE TRIGGER USER');
  // A ledger in service has its old lines vacuumed (autovacuum): so has this one before timing,
  // or autovacuum's pass over the freshly loaded tables may run during the measured part.
  await sql.query('VACUUM (ANALYZE)');
  const unbalanced = await sql.query(
    'SELECT count(*)::int AS n FROM (SELECT entry_id FROM journal_lines GROUP BY entry_id HAVING sum(amount) <> 0) x',
  );
  if (unbalanced.rows[0].n !== 0) throw new Error(`${unbalanced.rows[0].n} seeded entries do not balance`);
  // The commit-time check was off while seeding: compare what the payable lines carry with what
  // the database computes (ledger_settlement_breakdown) on every 50th capture and every refund.
  const wrong = await sql.query(`
    SELECT count(*)::int AS n
      FROM (SELECT entry_id FROM bench_captures WHERE g % 50 = 0
            UNION ALL SELECT md5('refund' || r)::uuid FROM generate_series(1, ${REFUNDS}) r) e
     CROSS JOIN LATERAL ledger_settlement_breakdown(e.entry_id) b
      JOIN journal_lines j ON j.id = b.line_id
     WHERE (j.settlement_class, j.breakdown_gross, j.breakdown_refunds, j.breakdown_fees, j.breakdown_duties_taxes,
            j.breakdown_carrier, j.breakdown_reserve_held)
           IS DISTINCT FROM (b.settlement_class, b.gross, b.refunds, b.fees, b.duties_taxes, b.carrier, b.reserve_held)`);
  if (wrong.rows[0].n !== 0)
    throw new Error(`${wrong.rows[0].n} seeded lines carry a wrong settlement breakdown`);
}

/** Raw aggregate A: each merchant's net from the lines the run settles (payable before the cut-off, reserve old enough). */
const RAW_NET = `
  SELECT a.merchant_id, -sum(l.amount) AS net, count(*) AS lines
    FROM ledger_accounts a
    JOIN merchants m ON m.id = a.merchant_id
    JOIN journal_lines l ON l.account_code = a.code AND l.currency = a.currency
   WHERE a.kind IN ('merchant_payable', 'merchant_reserve') AND a.currency = 'EUR'
     AND l.occurred_at < CASE WHEN a.kind = 'merchant_payable' THEN '${CUTOFF}'::timestamptz
                              ELSE '${CUTOFF}'::timestamptz - make_interval(days => m.reserve_days) END
   GROUP BY a.merchant_id`;

/** Raw aggregate B: every line of the merchants' entries, per merchant and account kind (the report's breakdown). */
const RAW_BREAKDOWN = `
  SELECT e.merchant_id, split_part(l.account_code, ':', 1) AS kind, sum(l.amount) AS amount, count(*) AS lines
    FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
   WHERE l.currency = 'EUR' AND l.occurred_at < '${CUTOFF}'::timestamptz
   GROUP BY 1, 2`;

/** Autovacuum and autoanalyze passes over this database's tables so far. */
async function autovacuumRuns(sql: Client): Promise<number> {
  const { rows } = await sql.query(
    'SELECT COALESCE(sum(autovacuum_count + autoanalyze_count), 0)::int AS n FROM pg_stat_user_tables',
  );
  return rows[0].n as number;
}

async function timeQuery(sql: Client, text: string): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const result = await sql.query(text);
  return { ms: performance.now() - started, rows: result.rowCount ?? 0 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface SettlementBenchResult {
  lines: number;
  rawNetMs: number;
  rawBreakdownMs: number;
  settlementMs: number;
  phases: Record<string, number>;
}

interface Round extends SettlementBenchResult {
  rawNetAfterMs: number;
  rawBreakdownAfterMs: number;
  summary: string;
}

/**
 * One round on a fresh copy of the seeded ledger (`url`): the raw aggregates (once to warm the
 * cache, then REPEAT timed runs each), the settlement's SQL path once (it settles the lines),
 * the aggregates again, and the checks of what the run paid against the ledger.
 */
async function round(url: string): Promise<Round> {
  const sql = new Client({ connectionString: url });
  const db = createDatabase({ url, poolSize: 4 });
  try {
    await sql.connect();
    const lines = Number((await sql.query('SELECT count(*) AS n FROM journal_lines')).rows[0].n);
    const autovacuumBefore = await autovacuumRuns(sql);
    await timeQuery(sql, RAW_NET);
    await timeQuery(sql, RAW_BREAKDOWN);
    const rawNet: number[] = [];
    const rawBreakdown: number[] = [];
    let rawNetRows = 0;
    for (let i = 0; i < REPEAT; i++) {
      const a = await timeQuery(sql, RAW_NET);
      rawNet.push(a.ms);
      rawNetRows = a.rows;
      rawBreakdown.push((await timeQuery(sql, RAW_BREAKDOWN)).ms);
    }
    const settledLines = Number((await sql.query(`SELECT sum(lines) AS n FROM (${RAW_NET}) x`)).rows[0].n);

    // The settlement's SQL path, once. The Prisma client is warmed up first, as it is in a
    // running worker.
    const store = new SettlementStore(db);
    await db.$queryRaw`SELECT 1`;
    await db.settlementRun.findMany({ take: 1 });
    await store.totals('warm-up');
    const transfers = new NoopTransfers();
    const phases: Record<string, number> = {};
    const runId = 'stl_bench';
    const started = performance.now();
    let mark = started;
    const lap = (name: string) => {
      const now = performance.now();
      phases[name] = (phases[name] ?? 0) + now - mark;
      mark = now;
    };
    await store.openRun({
      runId,
      workflowId: `settlement-${runId}`,
      currency: 'EUR',
      period: { from: '2026-10-01T00:00:00.000Z', to: CUTOFF },
      merchantIds: null,
      requestedBy: 'bench',
    });
    lap('open run');
    const prepared = await store.prepare(runId, new ReferenceRateSource(ECB_SAMPLE_DAYS), (phase, ms) => {
      phases[`prepare: ${phase}`] = ms;
    });
    const inPrepare = Object.entries(phases)
      .filter(([k]) => k.startsWith('prepare: '))
      .reduce((s, [, v]) => s + v, 0);
    lap('prepare (total)');
    phases['prepare: commit and rest'] = phases['prepare (total)']! - inPrepare;
    let remaining = prepared.pending;
    let batches = 0;
    while (remaining > 0) {
      remaining = (await store.payBatch(runId, BATCH, transfers)).remaining;
      batches += 1;
    }
    lap(`pay (${batches} batches of ≤ ${BATCH})`);
    const finished = await store.finish(runId);
    lap('finish run');
    const settlementMs = performance.now() - started;

    // Same lines, same run: the raw aggregates again after the settlement.
    const rawNetAfterMs = (await timeQuery(sql, RAW_NET)).ms;
    const rawBreakdownAfterMs = (await timeQuery(sql, RAW_BREAKDOWN)).ms;

    const autovacuums = (await autovacuumRuns(sql)) - autovacuumBefore;
    const totals = await store.totals(runId);
    const ledgerNet = Number((await sql.query(`SELECT sum(net) AS n FROM (${RAW_NET}) x`)).rows[0].n);
    if (totals.net !== ledgerNet) {
      throw new Error(
        `the run's net ${totals.net} is not the ledger's net of the lines it settles, ${ledgerNet}`,
      );
    }
    const summary =
      `Run ${runId}: ${fixed(prepared.merchantsTotal)} merchants, ${fixed(finished.linesSettled)} lines settled ` +
      `(${fixed(settledLines)} claimed by selection, the rest reserve releases and payouts), ` +
      `${fixed(transfers.count)} transfers; outcomes ${JSON.stringify(totals.outcomes)}; ` +
      `net EUR ${fixed(totals.net / 100, 2)}, ledger net of the selected lines EUR ${fixed(ledgerNet / 100, 2)}; ` +
      `raw aggregate A rows ${fixed(rawNetRows)}; autovacuum/autoanalyze passes during the timed part: ${autovacuums}.`;

    // The next day's run over the same ledger (no new sales: the lines left are the held
    // merchants' carried-forward balances and the reserve that came due): a run reads what was
    // posted since the runs before, not the ledger's history.
    const nextRunId = 'stl_bench_next';
    const nextDay = new Date(Date.parse(CUTOFF) + 86_400_000).toISOString();
    const nextStarted = performance.now();
    await store.openRun({
      runId: nextRunId,
      workflowId: `settlement-${nextRunId}`,
      currency: 'EUR',
      period: { from: CUTOFF, to: nextDay },
      merchantIds: null,
      requestedBy: 'bench',
    });
    const nextPhases: Record<string, number> = {};
    const next = await store.prepare(nextRunId, new ReferenceRateSource(ECB_SAMPLE_DAYS), (phase, ms) => {
      nextPhases[phase] = ms;
    });
    const nextMs = performance.now() - nextStarted;
    return {
      lines,
      rawNetMs: median(rawNet),
      rawBreakdownMs: median(rawBreakdown),
      settlementMs,
      phases,
      rawNetAfterMs,
      rawBreakdownAfterMs,
      summary:
        `${summary} The next day's run (cut-off ${nextDay}, no new sales): open + prepare ${fixed(nextMs)} ms ` +
        `(claim and aggregate ${fixed(nextPhases['claim and aggregate'] ?? 0)} ms), ${fixed(next.linesSettled)} lines settled, ` +
        `${fixed(next.pending)} payouts pending.`,
    };
  } finally {
    await sql.end().catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
  }
}

/** The URL of another database on the same server. */
function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Seeds the ledger once, then runs ROUNDS rounds, each on its own copy of the seeded database
 * (CREATE DATABASE … TEMPLATE): a run settles the lines, so each round starts from the same
 * ledger. The ratio is judged on the median round.
 */
export async function run(): Promise<SettlementBenchResult> {
  const pg = await startEmbeddedPostgres();
  const admin = new Client({ connectionString: databaseUrl(pg.url, 'postgres') });
  try {
    await migrate({ databaseUrl: pg.url });
    const seeding = new Client({ connectionString: pg.url });
    await seeding.connect();
    const started = performance.now();
    try {
      await seed(seeding);
    } finally {
      await seeding.end();
    }
    say(
      `Seeded ${fixed(4 * (CAPTURES + REFUNDS))} journal lines (${fixed(CAPTURES)} captures, ${fixed(REFUNDS)} refunds, ` +
        `${fixed(MERCHANTS)} merchants) in ${fixed((performance.now() - started) / 1000, 1)} s; cut-off ${CUTOFF}; ` +
        `${ROUNDS} rounds, each on a copy of the seeded database.`,
    );
    await admin.connect();
    const seeded = new URL(pg.url).pathname.slice(1);
    const rounds: Round[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      const name = `bench_round_${i}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${seeded}`);
      try {
        rounds.push(await round(databaseUrl(pg.url, name)));
      } finally {
        await admin.query(`DROP DATABASE ${name}`);
      }
    }
    say();
    say(
      table(
        ['Round', 'A ms', 'B ms', 'run ms', 'run ÷ A', 'run ÷ B'],
        rounds.map((r, i) => [
          String(i + 1),
          fixed(r.rawNetMs),
          fixed(r.rawBreakdownMs),
          fixed(r.settlementMs),
          fixed(r.settlementMs / r.rawNetMs, 2),
          fixed(r.settlementMs / r.rawBreakdownMs, 2),
        ]),
      ),
    );
    const byRatio = [...rounds].sort(
      (x, y) => x.settlementMs / x.rawBreakdownMs - y.settlementMs / y.rawBreakdownMs,
    );
    const mid = byRatio[Math.floor(byRatio.length / 2)]!;
    say();
    say(
      `Median round (${rounds.indexOf(mid) + 1}) by run ÷ B: ${fixed(mid.settlementMs / mid.rawBreakdownMs, 2)}×.`,
    );
    say(mid.summary);
    say();
    say(
      table(
        ['Measure', 'ms', 'ratio to A', 'ratio to B'],
        [
          [
            `A. raw aggregate: net per merchant of the lines the run settles (median of ${REPEAT}; after the run: ${fixed(mid.rawNetAfterMs)} ms)`,
            fixed(mid.rawNetMs),
            '1.0',
            fixed(mid.rawNetMs / mid.rawBreakdownMs, 2),
          ],
          [
            `B. raw aggregate: all ${fixed(mid.lines)} lines per merchant and account kind (median of ${REPEAT}; after the run: ${fixed(mid.rawBreakdownAfterMs)} ms)`,
            fixed(mid.rawBreakdownMs),
            fixed(mid.rawBreakdownMs / mid.rawNetMs, 2),
            '1.0',
          ],
          [
            'Settlement SQL path: open + prepare (claim, release, aggregate, decide) + pay + finish',
            fixed(mid.settlementMs),
            fixed(mid.settlementMs / mid.rawNetMs, 2),
            fixed(mid.settlementMs / mid.rawBreakdownMs, 2),
          ],
          ...Object.entries(mid.phases).map(([name, ms]) => [`  ${name}`, fixed(ms), '', '']),
        ],
      ),
    );
    return mid;
  } finally {
    await admin.end().catch(() => undefined);
    await pg.stop();
  }
}
