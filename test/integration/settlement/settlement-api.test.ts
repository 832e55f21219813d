/**
 * Settlement runs through the API, the workflow on the real Temporal dev server and transfers
 * through the Stripe sandbox: merchants paid with the payout idempotency key, the report's totals
 * equal to the ledger's, idempotent starts, bad input refused with nothing written, progress while
 * it runs, overlapping runs settling each line once, the daily schedule, and the list of runs
 * (newest first, paged by cursor, filtered by status and currency).
 */
import type { SettlementRunSummary, SettlementRunView } from '../../../src/infra/settlement';
import { runIdForKey } from '../../../src/infra/settlement';
import { ensureDailySettlementSchedule } from '../../../src/infra/settlement/schedules';
import { dailyPeriod, runIdFromWorkflowId } from '../../../src/domain/settlement';
import { LedgerStore } from '../../../src/infra/ledger';
import { triggerSchedule } from '../../helpers/temporal';
import { uniqueId } from '../../helpers/database';
import { recordWorkflowHistory } from '../../helpers/histories';
import { startOrderWorld, type OrderWorld } from '../../helpers/order-world';
import {
  claimsOf,
  createMerchant,
  merchantBalance,
  parseCsv,
  postCapture,
  postRefund,
} from '../../helpers/settlement';

jest.setTimeout(120_000);

let world: OrderWorld;
let ledger: LedgerStore;
beforeAll(async () => {
  world = await startOrderWorld();
  ledger = new LedgerStore(world.db);
});
afterAll(async () => {
  await world?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(body: Record<string, unknown>, key?: string) {
  return world.api.app.inject({
    method: 'POST',
    url: '/v1/settlements',
    headers: { ...world.auth('finance'), ...(key ? { 'idempotency-key': key } : {}) },
    payload: body,
  });
}

async function getRun(runId: string): Promise<SettlementRunView> {
  const res = await world.api.app.inject({
    method: 'GET',
    url: `/v1/settlements/${runId}`,
    headers: world.auth('finance'),
  });
  if (res.statusCode !== 200) throw new Error(`GET settlement: ${res.statusCode} ${res.body}`);
  return res.json() as SettlementRunView;
}

async function waitFor(
  runId: string,
  predicate: (view: SettlementRunView) => boolean,
  timeoutMs = 60_000,
): Promise<SettlementRunView> {
  const deadline = Date.now() + timeoutMs;
  let last: SettlementRunView | undefined;
  while (Date.now() < deadline) {
    last = await getRun(runId).catch(() => undefined);
    if (last && predicate(last)) return last;
    await sleep(100);
  }
  throw new Error(`run ${runId} did not get there; last: ${JSON.stringify(last)}`);
}

const completed = (v: SettlementRunView) => v.status === 'completed';

type RunList = { data: SettlementRunSummary[]; nextCursor: string | null };

async function list(query: string, role: 'finance' | 'support' = 'finance') {
  return world.api.app.inject({ method: 'GET', url: `/v1/settlements?${query}`, headers: world.auth(role) });
}

/** Every page of the list for `query`, following the cursor; checks each page's size. */
async function listAll(
  query: string,
  limit: number,
): Promise<{ runs: SettlementRunSummary[]; pages: number }> {
  const runs: SettlementRunSummary[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as RunList;
    expect(page.data.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor !== null) expect(page.data).toHaveLength(limit);
    runs.push(...page.data);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null);
  return { runs, pages };
}

/** Sandbox transfers of a run, and the idempotency keys they were asked with. */
function transfersOf(runId: string) {
  const transfers = [...world.stripe.state.transfers.values()].filter(
    (t) => t.metadata.payout_run_id === runId,
  );
  return transfers;
}

describe('a settlement run', () => {
  let runId: string;
  let merchants: { eur: string; usd: string; held: string; negative: string };
  const body = () => ({
    from: '2026-11-10',
    to: '2026-11-11',
    currency: 'EUR',
    merchantIds: Object.values(merchants),
    payoutBatchSize: 2,
  });
  const key = uniqueId('settle-key');

  beforeAll(async () => {
    merchants = {
      eur: await createMerchant(world.db, { platformFeeBps: 290, platformFeeFixed: 30 }),
      usd: await createMerchant(world.db, { platformFeeBps: 0, settlementCurrency: 'USD' }),
      held: await createMerchant(world.db, { platformFeeBps: 290, stripeAccountId: null }),
      negative: await createMerchant(world.db, { platformFeeBps: 290 }),
    };
    await postCapture(ledger, {
      merchantId: merchants.eur,
      goods: 9500,
      shipping: 1000,
      duties: 300,
      taxes: 1995,
      carrier: 840,
      occurredAt: '2026-11-10T09:00:00Z',
    });
    await postCapture(ledger, { merchantId: merchants.eur, goods: 2000, occurredAt: '2026-11-10T15:00:00Z' });
    await postCapture(ledger, { merchantId: merchants.usd, goods: 5000, occurredAt: '2026-11-10T10:00:00Z' });
    await postCapture(ledger, {
      merchantId: merchants.held,
      goods: 3000,
      occurredAt: '2026-11-10T11:00:00Z',
    });
    const refunded = await postCapture(ledger, {
      merchantId: merchants.negative,
      goods: 5000,
      carrier: 840,
      occurredAt: '2026-11-10T12:00:00Z',
    });
    await postRefund(ledger, refunded, 5000, '2026-11-10T13:00:00Z');
    // After the cut-off: not in this run.
    await postCapture(ledger, { merchantId: merchants.eur, goods: 777, occurredAt: '2026-11-11T00:00:00Z' });
  });

  it('pays each merchant once through the sandbox, with the payout idempotency key', async () => {
    const res = await start(body(), key);
    expect(res.statusCode).toBe(201);
    runId = (res.json() as SettlementRunView).runId;
    expect(runId).toBe(runIdForKey(key));
    expect(res.json()).toMatchObject({
      status: 'starting',
      workflowId: `settlement-${runId}`,
      currency: 'EUR',
    });

    const done = await waitFor(runId, completed);
    expect(done).toMatchObject({
      status: 'completed',
      phase: 'done',
      progress: { merchantsDone: 4, merchantsTotal: 4 },
      outcomes: { paid: 2, held: 1, carried_forward: 1, pending: 0, failed: 0, nothing_due: 0 },
      report: `/v1/settlements/${runId}/report.csv`,
      completedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });

    const transfers = transfersOf(runId);
    expect(transfers.map((t) => [t.metadata.merchant_id, t.currency, t.amount]).sort()).toEqual(
      [
        // 10500 − 304 − 840 − 30 fixed, plus 2000 − 58 − 30 fixed
        [merchants.eur, 'eur', 9326 + 1912],
        // EUR 50.00 × 1.0411 = USD 52.055 → 52.06 (half-even to the even cent 6)
        [merchants.usd, 'usd', 5206],
      ].sort(),
    );
    const keys = world.stripe.requests
      .filter((r) => r.method === 'POST' && r.path === '/v1/transfers' && r.idempotencyKey?.includes(runId))
      .map((r) => r.idempotencyKey);
    expect([...new Set(keys)].sort()).toEqual(
      [`payout:${runId}:${merchants.eur}`, `payout:${runId}:${merchants.usd}`].sort(),
    );
    expect(done.payouts).toEqual(
      expect.arrayContaining([
        { currency: 'EUR', amount: 11238, count: 1 },
        { currency: 'USD', amount: 5206, count: 1 },
      ]),
    );
    await recordWorkflowHistory(world.temporal.client, `settlement-${runId}`, 'settlement-paid-held-carried');
  });

  it("reports per merchant, with totals equal to the ledger's", async () => {
    const res = await world.api.app.inject({
      method: 'GET',
      url: `/v1/settlements/${runId}/report.csv`,
      headers: world.auth('finance'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(res.body);
    const byMerchant = Object.fromEntries(rows.map((r) => [r.merchant, r]));
    expect(byMerchant[merchants.eur]).toMatchObject({
      gross: '147.95',
      fees: '4.22',
      duties_taxes: '22.95',
      carrier: '8.40',
      net: '112.38',
      payout_currency: 'EUR',
      payout_amount: '112.38',
      status: 'paid',
    });
    expect(byMerchant[merchants.usd]).toMatchObject({
      net: '50.00',
      fx_rate: '1.0411',
      fx_as_of: '2025-02-28T15:00:00.000Z',
      payout_currency: 'USD',
      payout_amount: '52.06',
      status: 'paid',
    });
    expect(byMerchant[merchants.usd]!.transfer_id).toMatch(/^tr_/);
    expect(byMerchant[merchants.held]).toMatchObject({
      net: '29.13',
      carried_forward: '29.13',
      status: 'held',
    });
    expect(byMerchant[merchants.negative]).toMatchObject({
      gross: '50.00',
      refunds: '50.00',
      carrier: '8.40',
      net: '-8.40',
      carried_forward: '-8.40',
      status: 'carried_forward',
    });

    // The ledger's own totals over the entries the run settled.
    const ids = Object.values(merchants);
    const [ledgerTotals] = await world.db.$queryRaw<
      { gross: bigint; refunds: bigint; fees: bigint; duties_taxes: bigint; carrier: bigint; owed: bigint }[]
    >`
      SELECT sum(l.amount) FILTER (WHERE l.account_code LIKE 'processor_clearing:%' AND l.amount > 0) AS gross,
             -sum(l.amount) FILTER (WHERE l.account_code LIKE 'processor_clearing:%' AND l.amount < 0) AS refunds,
             -sum(l.amount) FILTER (WHERE l.account_code LIKE 'platform_fee_revenue:%') AS fees,
             -sum(l.amount) FILTER (WHERE l.account_code LIKE 'duties_payable:%' OR l.account_code LIKE 'tax_payable:%') AS duties_taxes,
             -sum(l.amount) FILTER (WHERE l.account_code LIKE 'carrier_payable:%') AS carrier,
             -sum(l.amount) FILTER (WHERE l.account_code LIKE 'merchant_payable:%') AS owed
        FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
       WHERE e.merchant_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
         AND e.kind IN ('capture', 'refund') AND l.occurred_at < '2026-11-11T00:00:00Z' AND l.currency = 'EUR'`;
    const total = rows.find((r) => r.merchant === 'TOTAL')!;
    const decimal = (v: bigint) => (Number(v) / 100).toFixed(2);
    expect({
      gross: total.gross,
      refunds: total.refunds,
      fees: total.fees,
      duties_taxes: total.duties_taxes,
      carrier: total.carrier,
      net: total.net,
    }).toEqual({
      gross: decimal(ledgerTotals!.gross),
      refunds: decimal(ledgerTotals!.refunds),
      fees: decimal(ledgerTotals!.fees),
      duties_taxes: decimal(ledgerTotals!.duties_taxes),
      carrier: decimal(ledgerTotals!.carrier),
      net: decimal(ledgerTotals!.owed),
    });
    // What was paid is what the payout entries took off the merchants' payables.
    const payoutLines = await world.db.journalLine.findMany({
      where: { entry: { kind: 'payout', businessKey: { startsWith: `payout:${runId}:` } } },
    });
    const paidFromPayables = payoutLines
      .filter((l) => l.accountCode.startsWith('merchant_payable:'))
      .reduce((s, l) => s + Number(l.amount), 0);
    expect(paidFromPayables).toBe(11238 + 5000);
    // Paid merchants owe and are owed nothing; the others keep exactly what was carried.
    // Only the sale after the cut-off (777 − 23 fee − 30 fixed) is left unsettled.
    expect(await merchantBalance(world.db, merchants.eur, 'merchant_payable', 'EUR', true)).toBe(-724);
    expect(await merchantBalance(world.db, merchants.usd, 'merchant_payable', 'EUR')).toBe(0);
    expect(await merchantBalance(world.db, merchants.held, 'merchant_payable', 'EUR', true)).toBe(-2913);
    expect(await merchantBalance(world.db, merchants.negative, 'merchant_payable', 'EUR', true)).toBe(840);
  });

  it('answers a retried request with the same run and starts nothing', async () => {
    const before = world.stripe.state.transfers.size;
    const again = await start(body(), key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ runId, status: 'completed' });
    expect(world.stripe.state.transfers.size).toBe(before);
    const other = await start({ ...body(), to: '2026-11-10T12:00:00Z' }, key);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('is listed, newest first, with its summary', async () => {
    const { runs } = await listAll('status=completed&currency=EUR', 100);
    expect(runs.find((r) => r.runId === runId)).toEqual({
      runId,
      status: 'completed',
      currency: 'EUR',
      period: { from: '2026-11-10T00:00:00.000Z', to: '2026-11-11T00:00:00.000Z' },
      merchantIds: [...Object.values(merchants)].sort(),
      requestedBy: 'world finance',
      merchantsTotal: 4,
      linesSettled: (await getRun(runId)).linesSettled,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      completedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      report: `/v1/settlements/${runId}/report.csv`,
    });
  });

  describe('refuses bad input, writing nothing', () => {
    const cases: [string, () => Record<string, unknown>, number, string, RegExp][] = [
      ['from after to', () => ({ ...body(), from: '2026-11-12', to: '2026-11-11' }), 400, 'from', /empty/],
      ['from equal to to', () => ({ ...body(), from: '2026-11-11', to: '2026-11-11' }), 400, 'from', /empty/],
      [
        'a period in the future',
        () => ({ ...body(), from: '2026-11-20', to: '2099-01-01' }),
        400,
        'to',
        /future/,
      ],
      [
        'an unknown currency',
        () => ({ ...body(), currency: 'XYZ' }),
        400,
        'currency',
        /XYZ is not an active ISO 4217/,
      ],
      ['a malformed currency', () => ({ ...body(), currency: 'eur' }), 400, 'currency', /pattern/],
      ['a malformed date', () => ({ ...body(), from: '10/11/2026' }), 400, 'from', /ISO 8601/],
      [
        'an unknown merchant',
        () => ({ ...body(), merchantIds: ['mer_nobody'] }),
        400,
        'merchantIds',
        /mer_nobody/,
      ],
      [
        'a period overlapping a completed run of the same merchants',
        () => ({ ...body(), from: '2026-11-10T12:00:00Z', to: '2026-11-12', merchantIds: [merchants.eur] }),
        409,
        'from',
        /overlaps completed settlement run/,
      ],
    ];
    it.each(cases)('%s', async (_name, make, status, field, message) => {
      const requestKey = uniqueId('bad');
      const res = await start(make(), requestKey);
      expect(res.statusCode).toBe(status);
      expect(res.json().error).toMatchObject({ field: expect.stringContaining(field) });
      expect(res.json().error.message).toMatch(message);
      // Nothing is written: no run under the id this key would have given (other test files
      // write runs meanwhile, so the table's count says nothing).
      expect(await world.db.settlementRun.count({ where: { id: runIdForKey(requestKey) } })).toBe(0);
      const started = await world.temporal.client.workflow
        .getHandle(`settlement-${runIdForKey(requestKey)}`)
        .describe()
        .then(() => true)
        .catch(() => false);
      expect(started).toBe(false);
    });

    it('names the run it overlaps', async () => {
      const res = await start({ ...body(), from: '2026-11-09', to: '2026-11-10T10:00:00Z' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details).toMatchObject({ runId });
      expect(res.json().error.message).toContain(runId);
    });

    it('admits finance only, and knows only its runs', async () => {
      const wrongRole = await world.api.app.inject({
        method: 'POST',
        url: '/v1/settlements',
        headers: world.auth('support'),
        payload: body(),
      });
      expect(wrongRole.statusCode).toBe(403);
      const unknown = await world.api.app.inject({
        method: 'GET',
        url: '/v1/settlements/stl_unknown',
        headers: world.auth('finance'),
      });
      expect(unknown.statusCode).toBe(404);
      const report = await world.api.app.inject({
        method: 'GET',
        url: '/v1/settlements/stl_unknown/report.csv',
        headers: world.auth('finance'),
      });
      expect(report.statusCode).toBe(404);
    });
  });
});

it('shows progress while it runs: merchants done of total', async () => {
  const merchants = await Promise.all(
    Array.from({ length: 4 }, () => createMerchant(world.db, { platformFeeBps: 0 })),
  );
  for (const merchantId of merchants) {
    await postCapture(ledger, { merchantId, goods: 1000, occurredAt: '2026-11-12T10:00:00Z' });
  }
  world.stripe.faults.inject({
    kind: 'slow',
    delayMs: 700,
    times: 'always',
    method: 'POST',
    path: '/v1/transfers',
  });
  try {
    const res = await start({
      from: '2026-11-12',
      to: '2026-11-13',
      currency: 'EUR',
      merchantIds: merchants,
      payoutBatchSize: 1,
    });
    expect(res.statusCode).toBe(201);
    const runId = (res.json() as SettlementRunView).runId;
    const paying = await waitFor(
      runId,
      (v) => v.phase === 'paying' && (v.progress.merchantsDone ?? 0) >= 1 && v.progress.merchantsDone < 4,
    );
    expect(paying).toMatchObject({
      status: 'running',
      progress: { merchantsTotal: 4 },
      linesSettled: 4,
      totals: null,
    });
    const early = await world.api.app.inject({
      method: 'GET',
      url: `/v1/settlements/${runId}/report.csv`,
      headers: world.auth('finance'),
    });
    expect(early.statusCode).toBe(409);
    const done = await waitFor(runId, completed);
    expect(done.progress).toEqual({ merchantsDone: 4, merchantsTotal: 4 });
    expect(transfersOf(runId)).toHaveLength(4);
  } finally {
    world.stripe.faults.clear();
  }
});

it('settles each line once when two overlapping runs are started together', async () => {
  const merchants = await Promise.all(
    Array.from({ length: 3 }, () => createMerchant(world.db, { platformFeeBps: 0 })),
  );
  let owed = 0;
  for (const [i, merchantId] of merchants.entries()) {
    for (let hour = 0; hour < 24; hour += 3) {
      const goods = 1000 + hour * 10 + i;
      owed += goods;
      await postCapture(ledger, {
        merchantId,
        goods,
        occurredAt: new Date(Date.UTC(2026, 10, 14, hour)).toISOString(),
      });
    }
  }
  const [a, b] = await Promise.all([
    start({
      from: '2026-11-14T00:00:00Z',
      to: '2026-11-14T15:00:00Z',
      currency: 'EUR',
      merchantIds: merchants,
    }),
    start({
      from: '2026-11-14T06:00:00Z',
      to: '2026-11-15T00:00:00Z',
      currency: 'EUR',
      merchantIds: merchants,
    }),
  ]);
  expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
  const runs = [(a.json() as SettlementRunView).runId, (b.json() as SettlementRunView).runId];
  await Promise.all(runs.map((runId) => waitFor(runId, completed)));

  const items = await claimsOf(world.db, merchants);
  const lines = await world.db.journalLine.count({
    where: { accountCode: { in: merchants.map((m) => `merchant_payable:${m}:EUR`) } },
  });
  expect(items).toHaveLength(lines);
  // Whichever run claimed first took the lines before its cut-off; the other took the rest.
  expect(items.every((i) => runs.includes(i.runId))).toBe(true);
  const transfers = runs.flatMap(transfersOf);
  expect(transfers.reduce((s, t) => s + t.amount, 0)).toBe(owed);
  for (const merchantId of merchants) {
    expect(transfers.filter((t) => t.metadata.merchant_id === merchantId).length).toBeLessThanOrEqual(2);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
  }
  await recordWorkflowHistory(world.temporal.client, `settlement-${runs[0]}`, 'settlement-overlapping-a');
});

it('runs daily from a Temporal Schedule, created idempotently', async () => {
  const currency = 'NOK';
  const yesterday = dailyPeriod(new Date());
  const merchantId = await createMerchant(world.db, { platformFeeBps: 0, settlementCurrency: 'NOK' });
  await postCapture(ledger, {
    merchantId,
    currency,
    goods: 12_345,
    occurredAt: new Date(Date.parse(yesterday.from) + 3_600_000).toISOString(),
  });
  const options = { currency, at: '02:00', taskQueue: world.taskQueue };
  expect(await ensureDailySettlementSchedule(world.temporal.client, options)).toEqual({
    scheduleId: 'settlement-daily-NOK',
    outcome: 'created',
  });
  expect(await ensureDailySettlementSchedule(world.temporal.client, options)).toEqual({
    scheduleId: 'settlement-daily-NOK',
    outcome: 'updated',
  });
  const handle = world.temporal.client.schedule.getHandle('settlement-daily-NOK');
  try {
    const described = await handle.describe();
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }] });
    const workflowId = await triggerSchedule(handle);
    expect(workflowId).toMatch(/^settlement-daily-NOK-\d{4}-\d\d-\d\dT/);
    const result = await world.temporal.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ status: 'completed', currency: 'NOK', period: yesterday });
    const runId = runIdFromWorkflowId(workflowId);
    const view = await getRun(runId);
    expect(view).toMatchObject({
      status: 'completed',
      requestedBy: 'schedule:settlement-daily-NOK',
      merchantIds: null,
    });
    const transfers = transfersOf(runId);
    expect(transfers.map((t) => [t.metadata.merchant_id, t.amount, t.currency])).toEqual([
      [merchantId, 12_345, 'nok'],
    ]);
    await recordWorkflowHistory(world.temporal.client, workflowId, 'settlement-scheduled');
  } finally {
    await handle.delete();
  }
});

describe('GET /v1/settlements', () => {
  // Runs recorded straight in settlement_runs, in a currency no other test file settles: two
  // created at the same instant (the run id breaks the tie), running and completed ones.
  const CCY = 'ISK';
  const tag = uniqueId('list').replace(/[^A-Za-z0-9]/g, '');
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 12, minutes));
  const seeded = [
    { id: `stl_${tag}_a`, createdAt: at(0), status: 'completed', prepared: true },
    { id: `stl_${tag}_b`, createdAt: at(10), status: 'running', prepared: false },
    { id: `stl_${tag}_c`, createdAt: at(20), status: 'completed', prepared: true },
    { id: `stl_${tag}_d`, createdAt: at(20), status: 'completed', prepared: true },
    { id: `stl_${tag}_e`, createdAt: at(30), status: 'running', prepared: true },
  ];
  /** Newest first: by creation, then by run id, both descending. */
  const newestFirst = [`stl_${tag}_e`, `stl_${tag}_d`, `stl_${tag}_c`, `stl_${tag}_b`, `stl_${tag}_a`];

  beforeAll(async () => {
    await world.db.settlementRun.createMany({
      data: seeded.map((r, i) => ({
        id: r.id,
        workflowId: `settlement-${r.id}`,
        currency: CCY,
        periodFrom: new Date(Date.UTC(2025, 0, 1 + i)),
        periodTo: new Date(Date.UTC(2025, 0, 2 + i)),
        merchantIds: ['mer_list_a', 'mer_list_b'],
        status: r.status,
        requestedBy: 'list test',
        merchantsTotal: r.prepared ? 2 : 0,
        linesSettled: r.prepared ? 7 + i : 0,
        preparedAt: r.prepared ? r.createdAt : null,
        createdAt: r.createdAt,
        completedAt: r.status === 'completed' ? new Date(r.createdAt.getTime() + 60_000) : null,
      })),
    });
  });

  it('lists runs newest first, and pages with the cursor without duplicates or gaps', async () => {
    const { runs, pages } = await listAll(`currency=${CCY}`, 2);
    expect(pages).toBe(3);
    expect(runs.map((r) => r.runId)).toEqual(newestFirst);
    expect(runs[0]).toEqual({
      runId: `stl_${tag}_e`,
      status: 'running',
      currency: CCY,
      period: { from: '2025-01-05T00:00:00.000Z', to: '2025-01-06T00:00:00.000Z' },
      merchantIds: ['mer_list_a', 'mer_list_b'],
      requestedBy: 'list test',
      merchantsTotal: 2,
      linesSettled: 11,
      createdAt: '2026-01-05T12:30:00.000Z',
      completedAt: null,
      report: null,
    });
    // Not yet prepared: nothing claimed, no merchants counted.
    expect(runs.find((r) => r.runId === `stl_${tag}_b`)).toMatchObject({
      merchantsTotal: null,
      linesSettled: null,
    });
    expect(runs.find((r) => r.runId === `stl_${tag}_c`)).toMatchObject({
      report: `/v1/settlements/stl_${tag}_c/report.csv`,
      completedAt: '2026-01-05T12:21:00.000Z',
    });

    // Every run, a page at a time (other test files add runs meanwhile: newer, so never seen twice).
    const all = (await listAll('', 3)).runs;
    const ids = all.map((r) => r.runId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => newestFirst.includes(id))).toEqual(newestFirst);
    const times = all.map((r) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    // The default page is 20 runs.
    const first = (await list('')).json() as RunList;
    expect(first.data.length).toBeLessThanOrEqual(20);
    if (first.nextCursor !== null) expect(first.data).toHaveLength(20);
  });

  it('filters by status and currency', async () => {
    const completed = (await listAll(`status=completed&currency=${CCY}`, 100)).runs;
    expect(completed.map((r) => r.runId)).toEqual([`stl_${tag}_d`, `stl_${tag}_c`, `stl_${tag}_a`]);
    const running = (await listAll(`status=running&currency=${CCY}`, 1)).runs;
    expect(running.map((r) => r.runId)).toEqual([`stl_${tag}_e`, `stl_${tag}_b`]);
    const none = (await list('currency=XAU')).json() as RunList;
    expect(none).toEqual({ data: [], nextCursor: null });
    const eur = (await listAll('currency=EUR', 100)).runs;
    expect(eur.length).toBeGreaterThan(0);
    expect(eur.every((r) => r.currency === 'EUR')).toBe(true);
  });

  it.each([
    ['a cursor this API did not return', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['a malformed cursor', 'cursor=%21%21', 'cursor'],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit over 100', 'limit=101', 'limit'],
    ['a limit that is not a number', 'limit=ten', 'limit'],
    ['an unknown status', 'status=failed', 'status'],
    ['a malformed currency', 'currency=eur', 'currency'],
  ])('refuses %s with a 400 naming the field', async (_name, query, field) => {
    const res = await list(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('admits finance only', async () => {
    const res = await list('', 'support');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const noKey = await world.api.app.inject({ method: 'GET', url: '/v1/settlements' });
    expect(noKey.statusCode).toBe(401);
  });
});
