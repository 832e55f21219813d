/**
 * The reconciliation API: finance only, validated input (nothing written for a bad request),
 * Idempotency-Key, the run read while running and once completed, mismatches filtered and paged,
 * runs listed newest first, and every route documented with its responses.
 *
 * Keeps to CHF, which no other test file posts to the shared ledger.
 */
import { idempotencyKeys } from '../../../src/domain/payments';
import type { ReconciliationView } from '../../../src/infra/reconciliation';
import { LedgerStore } from '../../../src/infra/ledger';
import { uniqueId } from '../../helpers/database';
import { startOrderWorld, type OrderWorld } from '../../helpers/order-world';
import {
  MERCHANT,
  periodStart,
  postClearingEntry,
  waitForReconciliation,
} from '../../helpers/reconciliation';

jest.setTimeout(120_000);

const CCY = 'CHF';
let world: OrderWorld;
let period: { from: string; to: string };
let chargeId: string;

beforeAll(async () => {
  world = await startOrderWorld();
  await world.db.merchant.createMany({
    data: [{ id: MERCHANT, name: 'Test Outdoor Co', country: 'US', settlementCurrency: 'USD' }],
    skipDuplicates: true,
  });
  const from = periodStart();
  // One charge posted right, one capture entry the processor never saw.
  const orderId = uniqueId('ord-api');
  const payment = await world.deps.payments.authorizePayment({
    orderId,
    amount: { amount: 12_345, currency: CCY },
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: idempotencyKeys.authorize(orderId),
  });
  const captured = await world.deps.payments.capturePayment({
    providerPaymentId: payment.providerPaymentId,
    idempotencyKey: idempotencyKeys.capture(orderId),
  });
  chargeId = captured.providerChargeId!;
  const ledger = new LedgerStore(world.db);
  await postClearingEntry(ledger, {
    businessKey: `order:${orderId}:capture`,
    kind: 'capture',
    clearing: 12_345,
    currency: CCY,
    orderId,
  });
  for (const phantom of [uniqueId('ord-x'), uniqueId('ord-y')]) {
    await postClearingEntry(ledger, {
      businessKey: `order:${phantom}:capture`,
      kind: 'capture',
      clearing: 100,
      currency: CCY,
      orderId: phantom,
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  period = { from, to: new Date().toISOString() };
});
afterAll(async () => {
  await world?.close();
});

const post = (
  payload: unknown,
  headers: Record<string, string> = {},
  role: 'finance' | 'support' = 'finance',
) =>
  world.api.app.inject({
    method: 'POST',
    url: '/v1/reconciliations',
    headers: { ...world.auth(role), ...headers },
    payload: payload as object,
  });

/** Runs recorded under this Idempotency-Key (other test files write runs meanwhile). */
const runsUnder = (key: string) => world.db.reconciliation.count({ where: { idempotencyKey: key } });

describe('who may', () => {
  test('finance only: support, checkout and admin are 403, no key 401', async () => {
    const body = { ...period, currency: CCY };
    for (const role of ['support', 'checkout', 'admin'] as const) {
      const key = uniqueId('who');
      const headers = world.auth(role);
      const res = await world.api.app.inject({
        method: 'POST',
        url: '/v1/reconciliations',
        headers: { ...headers, 'idempotency-key': key },
        payload: body,
      });
      expect({ role, status: res.statusCode, code: res.json().error.code }).toEqual({
        role,
        status: 403,
        code: 'FORBIDDEN',
      });
      expect(await runsUnder(key)).toBe(0);
      const list = await world.api.app.inject({ method: 'GET', url: '/v1/reconciliations', headers });
      expect(list.statusCode).toBe(403);
      const one = await world.api.app.inject({
        method: 'GET',
        url: '/v1/reconciliations/rec_000000000000000000000000',
        headers,
      });
      expect(one.statusCode).toBe(403);
    }
    const anonymous = await world.api.app.inject({ method: 'GET', url: '/v1/reconciliations' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('bad input', () => {
  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const now = Date.now();
  test.each([
    ['a period in the future', { from: iso(now + day), to: iso(now + 2 * day), currency: CCY }, 'from'],
    ['a period not over yet', { from: iso(now - day), to: iso(now + day), currency: CCY }, 'to'],
    ['from equal to to', { from: iso(now - day), to: iso(now - day), currency: CCY }, 'to'],
    ['from after to', { from: iso(now - day), to: iso(now - 2 * day), currency: CCY }, 'to'],
    ['a period over 92 days', { from: iso(now - 100 * day), to: iso(now - day), currency: CCY }, 'to'],
    ['an unknown currency', { from: iso(now - 2 * day), to: iso(now - day), currency: 'XYZ' }, 'currency'],
    [
      'a currency Stripe cannot hold',
      { from: iso(now - 2 * day), to: iso(now - day), currency: 'LYD' },
      'currency',
    ],
    ['a lowercase currency', { from: iso(now - 2 * day), to: iso(now - day), currency: 'chf' }, 'currency'],
    [
      'a date-time without a zone',
      { from: '2026-11-01T00:00:00', to: iso(now - day), currency: CCY },
      'from',
    ],
    ['an impossible date', { from: '2026-02-30', to: iso(now - day), currency: CCY }, 'from'],
    ['a missing currency', { from: iso(now - 2 * day), to: iso(now - day) }, 'currency'],
    [
      'an unknown field',
      { from: iso(now - 2 * day), to: iso(now - day), currency: CCY, merchant: 'x' },
      'merchant',
    ],
  ])('%s is a 400 naming the field, and nothing is written', async (_name, body, field) => {
    const key = uniqueId('bad');
    const res = await post(body, { 'idempotency-key': key });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(await runsUnder(key)).toBe(0);
  });

  test('a malformed Idempotency-Key, id or query is a 400', async () => {
    const res = await post({ ...period, currency: CCY }, { 'idempotency-key': 'not a key!' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'idempotency-key', location: 'headers' });
    const badId = await world.api.app.inject({
      method: 'GET',
      url: '/v1/reconciliations/abc',
      headers: world.auth('finance'),
    });
    expect(badId.statusCode).toBe(400);
    const badKind = await world.api.app.inject({
      method: 'GET',
      url: '/v1/reconciliations/rec_000000000000000000000000?kind=wrong',
      headers: world.auth('finance'),
    });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.field).toBe('kind');
  });

  test('an unknown run is a 404', async () => {
    const res = await world.api.app.inject({
      method: 'GET',
      url: '/v1/reconciliations/rec_000000000000000000000000',
      headers: world.auth('finance'),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });
});

describe('a run', () => {
  let run: ReconciliationView;

  test('POST starts it (202, running); the same key and body answer the same run; another body 409', async () => {
    const key = uniqueId('recon-key');
    const res = await post({ ...period, currency: CCY }, { 'idempotency-key': key });
    expect(res.statusCode).toBe(202);
    run = res.json() as ReconciliationView;
    expect(run).toMatchObject({
      id: expect.stringMatching(/^rec_[0-9a-f]{24}$/),
      currency: CCY,
      processor: 'stripe',
      period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() },
      requestedBy: 'world finance',
      counts: null,
      totals: null,
      mismatches: [],
    });
    expect(['running', 'completed']).toContain(run.status);

    const again = await post({ ...period, currency: CCY }, { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(run.id);
    const other = await post({ ...period, currency: 'USD' }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotency-key' });
    expect(await world.db.reconciliation.count({ where: { idempotencyKey: key } })).toBe(1);
  });

  test('GET shows it completed: counts by kind, totals, fees and the mismatches with their details', async () => {
    const done = await waitForReconciliation(world, run.id);
    const fee = world.stripe.state.balanceTransactions
      .filter((t) => t.currency === 'chf')
      .reduce((s, t) => s + t.fee, 0);
    expect(fee).toBeGreaterThan(0);
    expect(done).toMatchObject({
      status: 'completed',
      completedAt: expect.any(String),
      counts: {
        processorTransactions: 1,
        ledgerEntries: 3,
        matched: 1,
        missing: 0,
        extra: 2,
        differentAmount: 0,
      },
      totals: {
        processorGross: { amount: 12_345, currency: CCY },
        // The captures, less the processor's fee on the charge, which the run booked.
        ledgerClearing: { amount: 12_545 - fee, currency: CCY },
      },
      fees: {
        ledgerPostsFees: true,
        processor: { amount: fee, currency: CCY },
        ledger: { amount: fee, currency: CCY },
        difference: { amount: 0, currency: CCY },
      },
      nextMismatchCursor: null,
    });
    expect(done.progress).toBeUndefined();
    expect(done.mismatches).toHaveLength(2);
    for (const m of done.mismatches) {
      expect(m).toMatchObject({
        kind: 'extra',
        category: 'charge',
        processorAmount: null,
        ledgerAmount: { amount: 100, currency: CCY },
        difference: { amount: -100, currency: CCY },
        processor: [],
        ledger: [{ kind: 'capture', inPeriod: true, amount: { amount: 100, currency: CCY } }],
      });
      expect(m.orderId).toEqual(expect.any(String));
    }
    expect(done.mismatches.some((m) => m.processor.some((p) => p.sourceId === chargeId))).toBe(false);

    const firstPage = await world.api.app.inject({
      method: 'GET',
      url: `/v1/reconciliations/${run.id}?kind=extra&mismatchLimit=1`,
      headers: world.auth('finance'),
    });
    expect(firstPage.statusCode).toBe(200);
    const page1 = firstPage.json() as ReconciliationView;
    expect(page1.mismatches).toHaveLength(1);
    expect(page1.nextMismatchCursor).toEqual(expect.any(String));
    const second = await world.api.app.inject({
      method: 'GET',
      url: `/v1/reconciliations/${run.id}?kind=extra&mismatchLimit=1&mismatchCursor=${page1.nextMismatchCursor}`,
      headers: world.auth('finance'),
    });
    const page2 = second.json() as ReconciliationView;
    expect(page2.mismatches).toHaveLength(1);
    expect(page2.mismatches[0]!.id).not.toBe(page1.mismatches[0]!.id);
    expect(page2.nextMismatchCursor).toBeNull();
    const none = await world.api.app.inject({
      method: 'GET',
      url: `/v1/reconciliations/${run.id}?kind=missing`,
      headers: world.auth('finance'),
    });
    expect((none.json() as ReconciliationView).mismatches).toEqual([]);
  });

  test('GET /v1/reconciliations lists runs newest first, paged', async () => {
    const res = await post({ ...period, currency: CCY }); // no key: a new run
    expect(res.statusCode).toBe(202);
    const newest = res.json() as ReconciliationView;
    expect(newest.id).not.toBe(run.id);
    await waitForReconciliation(world, newest.id);

    // Other test files start runs too: read every page, and look at the order of ours.
    const summaries: { id: string; status: string; createdAt: string; counts: unknown }[] = [];
    let cursor: string | null = null;
    do {
      const res = await world.api.app.inject({
        method: 'GET',
        url: `/v1/reconciliations?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: world.auth('finance'),
      });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { data: typeof summaries; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      summaries.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor !== null);
    const ids = summaries.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.indexOf(newest.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(newest.id)).toBeLessThan(ids.indexOf(run.id));
    const times = summaries.map((r) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(summaries.find((r) => r.id === newest.id)).toMatchObject({
      status: 'completed',
      counts: { extra: 2 },
    });
    const badCursor = await world.api.app.inject({
      method: 'GET',
      url: '/v1/reconciliations?cursor=bm90LWEtY3Vyc29y',
      headers: world.auth('finance'),
    });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.field).toBe('cursor');
  });
});

test('the OpenAPI document describes the routes with their responses', async () => {
  const res = await world.api.app.inject({ method: 'GET', url: '/docs/json' });
  const doc = res.json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  expect(Object.keys(doc.paths['/v1/reconciliations']!).sort()).toEqual(['get', 'post']);
  expect(Object.keys(doc.paths['/v1/reconciliations']!.post!.responses)).toEqual(
    expect.arrayContaining(['200', '202', '4XX', '5XX']),
  );
  expect(Object.keys(doc.paths['/v1/reconciliations/{id}']!.get!.responses)).toEqual(
    expect.arrayContaining(['200', '4XX', '5XX']),
  );
});
