/**
 * The settlement's SQL path on the real PostgreSQL of the test run (no workflow): fees, reserves
 * held and released, negative balances carried forward, held merchants, FX rounding, refused
 * transfers, overlapping runs. Each case compares the stored row with a table of expected values
 * and with the pure reference model (merchantStatement), and checks the ledger it leaves.
 */
import { merchantStatement, type SettlementRow } from '../../../src/domain/settlement';
import { uniqueId } from '../../helpers/database';
import {
  claimsOf,
  createMerchant,
  merchantBalance,
  postCapture,
  postRefund,
  RecordingTransfers,
  settledLineIds,
  statementLines,
  useSettlementWorld,
} from '../../helpers/settlement';

jest.setTimeout(60_000);

const world = useSettlementWorld();

interface RunOptions {
  currency?: string;
  from: string;
  to: string;
  merchantIds: string[];
  transfers?: RecordingTransfers;
  batch?: number;
}

/** Records a run, as the workflow's first activity does. */
async function open(options: RunOptions): Promise<string> {
  const runId = uniqueId('stl');
  await world.store.openRun({
    runId,
    workflowId: `settlement-${runId}`,
    currency: options.currency ?? 'EUR',
    period: { from: new Date(options.from).toISOString(), to: new Date(options.to).toISOString() },
    merchantIds: options.merchantIds,
    requestedBy: 'test',
  });
  return runId;
}

/** The rest of the run: prepare, pay in batches, finish (the workflow's activities, in order). */
async function complete(runId: string, options: RunOptions) {
  const transfers = options.transfers ?? new RecordingTransfers();
  const prepared = await world.store.prepare(runId, world.fx);
  let remaining = prepared.pending;
  while (remaining > 0)
    remaining = (await world.store.payBatch(runId, options.batch ?? 10, transfers)).remaining;
  await world.store.finish(runId);
  return { runId, rows: await world.store.rows(runId), transfers };
}

async function settle(
  options: RunOptions,
): Promise<{ runId: string; rows: SettlementRow[]; transfers: RecordingTransfers }> {
  return complete(await open(options), options);
}

/** The reference model's view of the merchant, over the ledger as it is before the run. */
async function model(merchantId: string, to: string, currency = 'EUR') {
  const terms = await world.ledger.merchantFeeTerms(merchantId);
  return merchantStatement(await statementLines(world.db, [merchantId]), {
    merchantId,
    currency,
    cutoff: new Date(to).toISOString(),
    reserveDays: terms.reserveDays,
    settled: await settledLineIds(world.db, [merchantId]),
  });
}

const pick = (row: SettlementRow) => ({
  gross: row.gross,
  refunds: row.refunds,
  fees: row.fees,
  dutiesTaxes: row.dutiesTaxes,
  carrier: row.carrier,
  reserveHeld: row.reserveHeld,
  reserveReleased: row.reserveReleased,
  broughtForward: row.broughtForward,
  other: row.other,
  net: row.net,
});

describe('fees: percentage and fixed, duties and taxes, carrier', () => {
  it('pays gross − fees − duties/taxes − carrier, as the ledger README worked example', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 290, platformFeeFixed: 30 });
    await postCapture(world.ledger, {
      merchantId,
      goods: 9500,
      shipping: 1000,
      duties: 300,
      taxes: 1995,
      carrier: 840,
      occurredAt: '2026-10-01T10:00:00Z',
    });
    const expected = await model(merchantId, '2026-10-02');
    const { runId, rows, transfers } = await settle({
      from: '2026-10-01',
      to: '2026-10-02',
      merchantIds: [merchantId],
    });
    // fee = 10500 × 2.9 % = 304.5 → 304 (half-even) + 30 fixed; net = 12795 − 334 − 2295 − 840
    expect(pick(rows[0]!)).toEqual({
      gross: 12795,
      refunds: 0,
      fees: 334,
      dutiesTaxes: 2295,
      carrier: 840,
      reserveHeld: 0,
      reserveReleased: 0,
      broughtForward: 0,
      other: 0,
      net: 9326,
    });
    expect(pick(rows[0]!)).toEqual(pick({ ...rows[0]!, ...expected }));
    expect(rows[0]).toMatchObject({ status: 'paid', payoutCurrency: 'EUR', payoutAmount: 9326, lines: 2 });
    expect(transfers.requests.map((r) => [r.idempotencyKey, r.amount.amount])).toEqual([
      [`payout:${runId}:${merchantId}`, 9326],
    ]);
    // Everything the merchant was owed is paid: its payable is back to zero, every line settled.
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR', true)).toBe(0);
  });
});

describe('rolling reserve: held, then released reserve_days later', () => {
  it('holds 10 % for 7 days and releases it in the first run whose cut-off is 7 days after', async () => {
    const merchantId = await createMerchant(world.db, {
      platformFeeBps: 290,
      platformFeeFixed: 30,
      reserveBps: 1000,
      reserveDays: 7,
    });
    await postCapture(world.ledger, {
      merchantId,
      goods: 9500,
      shipping: 1000,
      duties: 300,
      taxes: 1995,
      carrier: 840,
      occurredAt: '2026-10-01T10:00:00Z',
    });
    const table: [string, string, Partial<ReturnType<typeof pick>>][] = [
      // reserve = (10500 − 304 − 840) × 10 % = 935.6 → 936; net = 12795 − 334 − 2295 − 840 − 936
      ['2026-10-01', '2026-10-03', { reserveHeld: 936, reserveReleased: 0, net: 8390 }],
      // 2026-10-01T10:00 is not 7 days before 2026-10-08T10:00: nothing to release yet
      ['2026-10-03', '2026-10-08T10:00:00Z', { reserveHeld: 0, reserveReleased: 0, net: 0 }],
      [
        '2026-10-08T10:00:00Z',
        '2026-10-08T10:00:00.001Z',
        { reserveHeld: 0, reserveReleased: 936, net: 936 },
      ],
    ];
    const outcomes: string[] = [];
    for (const [from, to, expected] of table) {
      const model0 = await model(merchantId, to);
      const { rows } = await settle({ from, to, merchantIds: [merchantId] });
      if (expected.net === 0) {
        expect(rows).toEqual([]); // nothing was claimed: the merchant is not in the run
        outcomes.push('none');
        continue;
      }
      expect(pick(rows[0]!)).toMatchObject(expected);
      expect(pick(rows[0]!)).toEqual(pick({ ...rows[0]!, ...model0 }));
      outcomes.push(rows[0]!.status);
    }
    expect(outcomes).toEqual(['paid', 'none', 'paid']);
    expect(await merchantBalance(world.db, merchantId, 'merchant_reserve', 'EUR')).toBe(0);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
  });
});

describe('negative balances and held merchants are carried forward', () => {
  it('carries a negative net into the next run, which nets it against new sales', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 290 });
    const capture = await postCapture(world.ledger, {
      merchantId,
      goods: 5000,
      carrier: 840,
      occurredAt: '2026-10-05T10:00:00Z',
    });
    await postRefund(world.ledger, capture, 5000, '2026-10-05T12:00:00Z');
    const first = await settle({ from: '2026-10-05', to: '2026-10-06', merchantIds: [merchantId] });
    // fee 145, refunded with the refund; the label (840) stays with the merchant
    expect(pick(first.rows[0]!)).toEqual({
      gross: 5000,
      refunds: 5000,
      fees: 0,
      dutiesTaxes: 0,
      carrier: 840,
      reserveHeld: 0,
      reserveReleased: 0,
      broughtForward: 0,
      other: 0,
      net: -840,
    });
    expect(first.rows[0]).toMatchObject({
      status: 'carried_forward',
      carriedForward: -840,
      payoutAmount: null,
    });
    expect(first.transfers.requests).toEqual([]);
    // The ledger still says the merchant owes 840, on one unsettled line.
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(840);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR', true)).toBe(840);

    await postCapture(world.ledger, { merchantId, goods: 2000, occurredAt: '2026-10-06T10:00:00Z' });
    const expected = await model(merchantId, '2026-10-07');
    const second = await settle({ from: '2026-10-06', to: '2026-10-07', merchantIds: [merchantId] });
    // 2000 − 58 fee − 840 brought forward
    expect(pick(second.rows[0]!)).toMatchObject({ gross: 2000, fees: 58, broughtForward: -840, net: 1102 });
    expect(pick(second.rows[0]!)).toEqual(pick({ ...second.rows[0]!, ...expected }));
    expect(second.rows[0]).toMatchObject({ status: 'paid', payoutAmount: 1102 });
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
  });

  it('holds a merchant without a connected account and pays it once it has one', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0, stripeAccountId: null });
    await postCapture(world.ledger, { merchantId, goods: 4000, occurredAt: '2026-10-05T10:00:00Z' });
    const first = await settle({ from: '2026-10-05', to: '2026-10-06', merchantIds: [merchantId] });
    expect(first.rows[0]).toMatchObject({
      status: 'held',
      net: 4000,
      carriedForward: 4000,
      transferId: null,
    });
    expect(first.rows[0]!.note).toMatch(/no connected account/);
    expect(first.transfers.requests).toEqual([]);

    await world.db.merchant.update({
      where: { id: merchantId },
      data: { stripeAccountId: 'acct_nowconnected' },
    });
    const second = await settle({ from: '2026-10-06', to: '2026-10-07', merchantIds: [merchantId] });
    expect(second.rows[0]).toMatchObject({
      status: 'paid',
      broughtForward: 4000,
      gross: 0,
      net: 4000,
      payoutAmount: 4000,
    });
    expect(second.transfers.requests[0]!.destinationAccountId).toBe('acct_nowconnected');
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
  });

  it('carries forward a merchant whose transfer the provider refuses', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0 });
    await postCapture(world.ledger, { merchantId, goods: 1500, occurredAt: '2026-10-05T10:00:00Z' });
    const transfers = new RecordingTransfers();
    transfers.refuse.add(merchantId);
    const { rows } = await settle({
      from: '2026-10-05',
      to: '2026-10-06',
      merchantIds: [merchantId],
      transfers,
    });
    expect(rows[0]).toMatchObject({ status: 'failed', net: 1500, carriedForward: 1500, transferId: null });
    expect(rows[0]!.note).toMatch(/transfer refused: No such destination/);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR', true)).toBe(-1500);
  });
});

describe('FX: paid in the settlement currency at the reference rate, rounded half-even', () => {
  it.each([
    // EUR → USD 1.0411 (ECB 2025-02-28, the newest sample day before the cut-off)
    ['USD', 5000, 5206, '1.0411'], // 5205.5 → 5206 (tie to even)
    ['USD', 15000, 15616, '1.0411'], // 15616.5 → 15616 (tie to even)
    ['USD', 1234, 1285, '1.0411'], // 1284.7174 → 1285
    ['JPY', 1001, 1571, '156.96'], // EUR 10.01 × 156.96 = JPY 1571.1696 → 1571
    ['GBP', 1, 1, '0.82608'], // 0.82608 → 1
  ])('pays a %s merchant EUR %i as %i (rate %s)', async (currency, net, paid, rate) => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0, settlementCurrency: currency });
    await postCapture(world.ledger, { merchantId, goods: net, occurredAt: '2026-10-05T10:00:00Z' });
    const { rows, transfers } = await settle({
      from: '2026-10-05',
      to: '2026-10-06',
      merchantIds: [merchantId],
    });
    expect(rows[0]).toMatchObject({
      status: 'paid',
      net,
      payoutCurrency: currency,
      payoutAmount: paid,
      fxRate: rate,
      fxInverted: false,
      fxAsOf: '2025-02-28T15:00:00.000Z',
    });
    expect(rows[0]!.fxSource).toMatch(/ECB euro foreign exchange reference rates 2025-02-28/);
    expect(transfers.requests[0]!.amount).toEqual({ amount: paid, currency });
    // The payout entry: EUR leaves the payable through FX clearing, the settlement currency leaves Stripe.
    const entry = await world.ledger.getEntry(`payout:${transfers.requests[0]!.runId}:${merchantId}`);
    expect(entry!.lines.map((l) => [l.account, l.amount.amount])).toEqual([
      [`merchant_payable:${merchantId}:EUR`, net],
      ['fx_clearing:EUR', -net],
      [`fx_clearing:${currency}`, paid],
      [`processor_clearing:stripe:${currency}`, -paid],
    ]);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
  });

  it('uses the exact inverse of a quoted rate (USD run, EUR merchant) and carries forward what rounds to zero', async () => {
    const eurMerchant = await createMerchant(world.db, { platformFeeBps: 0, settlementCurrency: 'EUR' });
    await postCapture(world.ledger, {
      merchantId: eurMerchant,
      currency: 'USD',
      goods: 10411,
      occurredAt: '2026-10-05T10:00:00Z',
    });
    const usd = await settle({
      currency: 'USD',
      from: '2026-10-05',
      to: '2026-10-06',
      merchantIds: [eurMerchant],
    });
    // USD 104.11 / 1.0411 = EUR 100.00 exactly
    expect(usd.rows[0]).toMatchObject({
      status: 'paid',
      payoutCurrency: 'EUR',
      payoutAmount: 10000,
      fxRate: '1.0411',
      fxInverted: true,
    });

    const tiny = await createMerchant(world.db, { platformFeeBps: 0, settlementCurrency: 'EUR' });
    await postCapture(world.ledger, {
      merchantId: tiny,
      currency: 'KRW',
      goods: 1,
      occurredAt: '2026-10-05T10:00:00Z',
    });
    const krw = await settle({ currency: 'KRW', from: '2026-10-05', to: '2026-10-06', merchantIds: [tiny] });
    // KRW 1 / 1519.92 = EUR 0.00066 → 0 cents: not paid, carried forward in KRW
    expect(krw.rows[0]).toMatchObject({
      status: 'carried_forward',
      net: 1,
      carriedForward: 1,
      payoutAmount: null,
    });
    expect(krw.transfers.requests).toEqual([]);
    expect(await merchantBalance(world.db, tiny, 'merchant_payable', 'KRW', true)).toBe(-1);
  });

  it('reports nothing due when the lines add up to zero', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0 });
    const capture = await postCapture(world.ledger, {
      merchantId,
      goods: 700,
      occurredAt: '2026-10-05T10:00:00Z',
    });
    await postRefund(world.ledger, capture, 700, '2026-10-05T11:00:00Z');
    const { rows, transfers } = await settle({
      from: '2026-10-05',
      to: '2026-10-06',
      merchantIds: [merchantId],
    });
    expect(rows[0]).toMatchObject({
      status: 'nothing_due',
      gross: 700,
      refunds: 700,
      net: 0,
      carriedForward: 0,
    });
    expect(transfers.requests).toEqual([]);
  });
});

describe('each line is settled once', () => {
  it('settles every line exactly once when overlapping runs prepare and pay at the same time', async () => {
    const merchants = await Promise.all(
      Array.from({ length: 6 }, () => createMerchant(world.db, { platformFeeBps: 0 })),
    );
    let owed = 0;
    for (const [i, merchantId] of merchants.entries()) {
      for (let k = 0; k < 15; k++) {
        const goods = 1000 + 37 * k + i;
        await postCapture(world.ledger, {
          merchantId,
          goods,
          occurredAt: new Date(Date.UTC(2026, 9, 10, k)).toISOString(),
        });
        owed += goods;
      }
    }
    const transfers = new RecordingTransfers();
    const options: RunOptions[] = [
      {
        from: '2026-10-10T00:00:00Z',
        to: '2026-10-10T12:00:00Z',
        merchantIds: merchants,
        transfers,
        batch: 2,
      },
      {
        from: '2026-10-10T06:00:00Z',
        to: '2026-10-11T00:00:00Z',
        merchantIds: merchants,
        transfers,
        batch: 2,
      },
      {
        from: '2026-10-09T00:00:00Z',
        to: '2026-10-11T00:00:00Z',
        merchantIds: merchants.slice(2),
        transfers,
      },
    ];
    const runIds = [];
    for (const o of options) runIds.push(await open(o));
    const runs = await Promise.all(runIds.map((runId, i) => complete(runId, options[i]!)));
    const items = await claimsOf(world.db, merchants);
    const lines = await world.db.journalLine.count({
      where: { accountCode: { in: merchants.map((m) => `merchant_payable:${m}:EUR`) } },
    });
    // Every payable line (captures and payouts) settled, by exactly one of the runs.
    expect(items.length).toBe(lines);
    expect(new Set(items.map((i) => i.lineId)).size).toBe(lines);
    expect(new Set(items.map((i) => i.runId)).size).toBeGreaterThanOrEqual(1);
    const paid = runs.flatMap((r) => r.rows).reduce((s, r) => s + (r.payoutAmount ?? 0), 0);
    expect(paid).toBe(owed);
    expect(transfers.transfers.reduce((s, t) => s + t.amount.amount, 0)).toBe(owed);
    for (const merchantId of merchants) {
      expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
    }
  });
});
