/**
 * What the web console reads that the API did not serve before: captured, refunded and paid out
 * per day and currency (GET /v1/finance/daily-totals, from the ledger), and the order list
 * needing attention first and searched by order id prefix (GET /v1/orders).
 *
 * The ledger is shared by every test file: this one posts in DKK, which no other posts to.
 */
import { orderCaptureEntry, reversalOf } from '../../../src/domain/ledger';
import { money } from '../../../src/domain/money';
import { processorFeeEntries, type ProcessorItem } from '../../../src/domain/reconciliation';
import { payoutEntry } from '../../../src/domain/settlement';
import { LedgerStore } from '../../../src/infra/ledger';
import { startTestApi, type TestApi } from '../../helpers/api';
import { processorItem } from '../../helpers/processor-items';
import { uniqueId } from '../../helpers/database';
import { captureInput, createMerchant, postCapture, postRefund } from '../../helpers/settlement';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

/** A charge's balance transaction with the processor's fee on it (negative: given back). */
const feeItem = (id: string, fee: number, createdAt: string): ProcessorItem =>
  processorItem({
    transactionId: `${id}_${process.pid}_${Date.now()}`,
    type: 'charge',
    amount: 10_000,
    fee,
    currency: 'DKK',
    createdAt,
  });

const totals = (query: string, role: 'finance' | 'admin' | 'support' = 'finance') =>
  api.app.inject({ method: 'GET', url: `/v1/finance/daily-totals${query}`, headers: api.auth(role) });

describe('GET /v1/finance/daily-totals', () => {
  beforeAll(async () => {
    const ledger = new LedgerStore(api.db);
    const merchant = await createMerchant(api.db, { settlementCurrency: 'DKK' });
    const spec = { merchantId: merchant, currency: 'DKK' };
    const first = await postCapture(ledger, {
      ...spec,
      goods: 10_000,
      occurredAt: '2026-10-02T08:00:00.000Z',
    });
    await postCapture(ledger, { ...spec, goods: 4_000, occurredAt: '2026-10-02T23:59:59.999Z' });
    const reversed = await ledger.post(
      orderCaptureEntry(
        await captureInput(ledger, { ...spec, goods: 5_000, occurredAt: '2026-10-02T12:00:00.000Z' }),
      ),
    );
    // The next day: a refund, the reversal of a capture, then a payout.
    await postRefund(ledger, first, 2_000, '2026-10-03T00:00:00.000Z');
    await ledger.post(reversalOf(reversed, { occurredAt: '2026-10-03T10:00:00.000Z' }));
    await ledger.postMany(
      processorFeeEntries(
        [
          feeItem('txn_dkk_fee_1', 500, '2026-10-03T01:00:00.000Z'),
          feeItem('txn_dkk_fee_2', 200, '2026-10-03T02:00:00.000Z'),
          feeItem('txn_dkk_fee_3', -80, '2026-10-03T03:00:00.000Z'),
        ],
        { from: '2026-10-01T00:00:00.000Z', to: '2026-10-05T00:00:00.000Z' },
        'DKK',
      ),
    );
    await ledger.post(
      payoutEntry({
        runId: uniqueId('stl'),
        merchantId: merchant,
        net: money(3_000, 'DKK'),
        paid: money(3_000, 'DKK'),
        transferId: uniqueId('tr'),
        occurredAt: '2026-10-04T09:00:00.000Z',
      }).entry,
    );
  });

  /** A refund, a reversed capture and the processor's fees (two, and one given back). */
  const OCTOBER_3RD = {
    day: '2026-10-03',
    currency: 'DKK',
    captured: -5_000,
    refunded: 2_000,
    paidOut: 0,
    processorFees: 620,
  };

  it('sums the processor clearing lines by day (UTC), entry kind and currency; a reversal counts as what it reverses', async () => {
    const res = await totals('?from=2026-10-01&to=2026-10-05&currency=DKK');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: '2026-10-01',
      to: '2026-10-05',
      currency: 'DKK',
      currencies: ['DKK'],
      days: [
        { day: '2026-10-02', currency: 'DKK', captured: 19_000, refunded: 0, paidOut: 0, processorFees: 0 },
        OCTOBER_3RD,
        { day: '2026-10-04', currency: 'DKK', captured: 0, refunded: 0, paidOut: 3_000, processorFees: 0 },
      ],
      totals: [{ currency: 'DKK', captured: 14_000, refunded: 2_000, paidOut: 3_000, processorFees: 620 }],
    });
  });

  it('takes whole days: `to` is inclusive, `from` too', async () => {
    const res = await totals('?from=2026-10-03&to=2026-10-03&currency=DKK');
    expect(res.json().days).toEqual([OCTOBER_3RD]);
  });

  it('answers every currency without a filter, and admins too', async () => {
    const res = await totals('?from=2026-10-01&to=2026-10-05', 'admin');
    expect(res.statusCode).toBe(200);
    expect(res.json().currency).toBeNull();
    expect(res.json().currencies).toContain('DKK');
  });

  it('defaults to the last 30 days up to today', async () => {
    const res = await totals('');
    expect(res.statusCode).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.json().to).toBe(today);
    expect(res.json().from).toBe(new Date(Date.parse(today) - 29 * 86_400_000).toISOString().slice(0, 10));
  });

  it.each([
    ['?from=2026-10-05&to=2026-10-01', 'from'],
    ['?from=2025-01-01&to=2026-10-01', 'from'],
    ['?from=2026-02-30&to=2026-03-01', 'from'],
    ['?from=2026-10-01&currency=dkk', 'currency'],
    ['?from=yesterday', 'from'],
  ])('refuses %s (400, naming the field)', async (query, field) => {
    const res = await totals(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().error.field).toContain(field);
  });

  it('is for finance and admin only', async () => {
    expect((await totals('', 'support')).statusCode).toBe(403);
  });
});

describe('GET /v1/orders for the console', () => {
  const u = uniqueId('lst').replace(/-/g, '');
  const merchantId = `mer_${u}`;
  const ids = {
    old: `${u}_a`,
    attentionOld: `${u}_b`,
    newest: `${u}_c`,
    attentionNew: `${u}_d`,
    other: `${u}xa`,
  };

  beforeAll(async () => {
    await api.db.merchant.create({
      data: { id: merchantId, name: 'List merchant', country: 'DE', settlementCurrency: 'EUR' },
    });
    const rows: [string, number, boolean][] = [
      [ids.old, 1, false],
      [ids.attentionOld, 2, true],
      [ids.other, 3, false],
      [ids.newest, 5, false],
      [ids.attentionNew, 4, true],
    ];
    for (const [id, minute, needsAttention] of rows) {
      await api.db.order.create({
        data: {
          id,
          merchantId,
          status: needsAttention ? 'needs_attention' : 'delivered',
          currency: 'EUR',
          totalAmount: 1000n,
          shipFromCountry: 'DE',
          shipToCountry: 'FR',
          workflowId: `order-${id}`,
          needsAttention,
          createdAt: new Date(Date.UTC(2026, 9, 1, 12, minute)),
        },
      });
    }
  });

  const list = (query: string) =>
    api.app.inject({
      method: 'GET',
      url: `/v1/orders?merchantId=${merchantId}&${query}`,
      headers: api.auth('support'),
    });

  it('lists needing attention first, then newest, page after page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`sort=attention&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { data: { orderId: string }[]; nextCursor: string | null };
      seen.push(...body.data.map((o) => o.orderId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.attentionNew, ids.attentionOld, ids.newest, ids.other, ids.old]);
    const newest = (await list('limit=10')).json() as { data: { orderId: string }[] };
    expect(newest.data.map((o) => o.orderId)).toEqual([
      ids.newest,
      ids.attentionNew,
      ids.other,
      ids.attentionOld,
      ids.old,
    ]);
  });

  it('searches by the start of the order id; `_` is a character, not a wildcard', async () => {
    const res = await list(`orderIdPrefix=${u}_`);
    expect((res.json() as { data: { orderId: string }[] }).data.map((o) => o.orderId).sort()).toEqual(
      [ids.old, ids.attentionOld, ids.newest, ids.attentionNew].sort(),
    );
    expect(
      (await list(`orderIdPrefix=${u}x`)).json().data.map((o: { orderId: string }) => o.orderId),
    ).toEqual([ids.other]);
    expect((await list('orderIdPrefix=a%25b')).statusCode).toBe(400);
  });

  it('refuses a cursor of the other sort', async () => {
    const first = (await list('limit=1')).json() as { nextCursor: string };
    const res = await list(`sort=attention&limit=1&cursor=${first.nextCursor}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'cursor' });
  });
});
