/** POST /v1/orders and the read routes: bad input is a 4xx naming the field, and nothing starts. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { orderWorkflowId } from '../../../src/domain/orders/temporal';
import {
  createQuote,
  orderRequest,
  placeOrder,
  startOrderWorld,
  type OrderWorld,
} from '../../helpers/order-world';
import { uniqueId } from '../../helpers/database';
import { PgQuoteStore } from '../../../src/infra/quotes';

let world: OrderWorld;
let quoteId: string;
beforeAll(async () => {
  world = await startOrderWorld();
  quoteId = (await createQuote(world)).id;
});
afterAll(async () => {
  await world?.close();
});

async function notStarted(orderId: string): Promise<boolean> {
  try {
    await world.temporal.client.workflow.getHandle(orderWorkflowId(orderId)).describe();
    return false;
  } catch (error) {
    return error instanceof WorkflowNotFoundError;
  }
}

describe('POST /v1/orders refuses bad input, naming the field, and starts nothing', () => {
  const cases: [
    string,
    (body: ReturnType<typeof orderRequest>) => Record<string, unknown>,
    number,
    string,
    string?,
  ][] = [
    ['an orderId with spaces', (b) => ({ ...b, orderId: 'order 1' }), 400, 'VALIDATION_FAILED', 'orderId'],
    ['a malformed quote id', (b) => ({ ...b, quoteId: 'quote-1' }), 400, 'VALIDATION_FAILED', 'quoteId'],
    [
      'a bad email',
      (b) => ({ ...b, customer: { ...b.customer, email: 'not-an-email' } }),
      400,
      'VALIDATION_FAILED',
      'customer.email',
    ],
    [
      'a missing address line',
      (b) => ({ ...b, shippingAddress: { ...b.shippingAddress, line1: undefined } }),
      400,
      'VALIDATION_FAILED',
      'shippingAddress.line1',
    ],
    [
      'a lowercase country',
      (b) => ({ ...b, shippingAddress: { ...b.shippingAddress, country: 'de' } }),
      400,
      'VALIDATION_FAILED',
      'shippingAddress.country',
    ],
    [
      'a raw card number instead of a payment method',
      (b) => ({ ...b, paymentMethodId: '4242424242424242' }),
      400,
      'VALIDATION_FAILED',
      'paymentMethodId',
    ],
    ['an extra field', (b) => ({ ...b, amount: 1 }), 400, 'VALIDATION_FAILED', 'amount'],
    [
      'an unknown quote',
      (b) => ({ ...b, quoteId: 'qt_000000000000000000000000' }),
      404,
      'NOT_FOUND',
      'quoteId',
    ],
    [
      'a country the quote was not made for',
      (b) => ({ ...b, shippingAddress: { ...b.shippingAddress, country: 'FR' } }),
      422,
      'BUSINESS_RULE_VIOLATION',
      'shippingAddress.country',
    ],
  ];
  it.each(cases)('%s', async (_label, change, status, code, field) => {
    const body = change(orderRequest(quoteId));
    const res = await placeOrder(world, body, `key-${String(body.orderId).replace(/\s/g, '')}-${status}`);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    if (field) expect(res.json().error.field).toBe(field);
    if (typeof body.orderId === 'string' && /^[\w.-]+$/.test(body.orderId))
      expect(await notStarted(body.orderId)).toBe(true);
  });

  it('requires an Idempotency-Key header', async () => {
    const body = orderRequest(quoteId);
    const res = await world.api.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: world.auth('checkout'),
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'idempotency-key', location: 'headers' });
    expect(await notStarted(body.orderId)).toBe(true);
  });

  it('refuses an expired quote with 409', async () => {
    const expired = await createQuote(world);
    const past = Date.now() - 3_600_000;
    await world.db.quote.update({
      where: { id: expired.id },
      data: { createdAt: new Date(past), expiresAt: new Date(past + 1_800_000) },
    });
    const body = orderRequest(expired.id);
    const res = await placeOrder(world, body);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'QUOTE_EXPIRED', field: 'quoteId' });
    expect(await notStarted(body.orderId)).toBe(true);
  });

  it('refuses a quote compliance screening blocked with 422, giving the reasons', async () => {
    // A party on the denied-party list, by its exact name and in its country: the quote is blocked.
    const blocked = await createQuote(world, {
      shipTo: 'FR',
      consigneeName: 'Société Fictive d’Exportation Ardente SARL',
    });
    const stored = await new PgQuoteStore(world.db).find(blocked.id);
    expect(stored?.screeningDecision).toBe('BLOCK');
    const body = orderRequest(blocked.id);
    body.shippingAddress = { ...body.shippingAddress, city: 'Paris', postalCode: '75001', country: 'FR' };
    const res = await placeOrder(world, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'BUSINESS_RULE_VIOLATION',
      field: 'quoteId',
      details: { reasons: stored!.breakdown.screening.reasons.map((reason) => reason.message) },
    });
    expect(res.json().error.details.reasons.length).toBeGreaterThan(0);
    expect(await notStarted(body.orderId)).toBe(true);
  });

  it('reads a quote for an order without its request and breakdown: the totals from their column, screening only when it blocked', async () => {
    const store = new PgQuoteStore(world.db);
    const whole = await store.find(quoteId);
    const { request: _request, breakdown, ...rest } = whole!;
    expect(whole!.screeningDecision).toBe('ALLOW');
    const expected = { ...rest, totals: breakdown.totals, blockingScreening: null };
    expect(await store.findForOrder(quoteId)).toEqual(expected);
    expect(await store.findForOrder('qt_000000000000000000000000')).toBeNull();

    // The totals column is the breakdown's totals; a quote stored before the column existed
    // (totals NULL) is read from its breakdown, with the same answer.
    const [row] = await world.db.$queryRaw<{ same: boolean }[]>`
      SELECT totals = breakdown->'totals' AS same FROM quotes WHERE id = ${quoteId}`;
    expect(row!.same).toBe(true);
    const older = await createQuote(world);
    await world.db.$executeRaw`UPDATE quotes SET totals = NULL WHERE id = ${older.id}`;
    const olderWhole = (await store.find(older.id))!;
    expect(await store.findForOrder(older.id)).toMatchObject({
      id: older.id,
      totals: olderWhole.breakdown.totals,
      blockingScreening: null,
    });

    // A blocked quote's screening result is read: the refusal names its reasons.
    const blocked = await createQuote(world, {
      shipTo: 'FR',
      consigneeName: 'Société Fictive d’Exportation Ardente SARL',
    });
    const blockedWhole = (await store.find(blocked.id))!;
    expect(blockedWhole.screeningDecision).toBe('BLOCK');
    expect((await store.findForOrder(blocked.id))!.blockingScreening).toEqual(
      blockedWhole.breakdown.screening,
    );
  });

  it('only checkout places orders', async () => {
    const res = await world.api.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...world.auth('support'), 'idempotency-key': 'k' },
      payload: orderRequest(quoteId),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('reading orders', () => {
  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    const unknown = await world.api.app.inject({
      method: 'GET',
      url: '/v1/orders/nope-123',
      headers: world.auth('support'),
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await world.api.app.inject({
      method: 'GET',
      url: '/v1/orders/bad%20id',
      headers: world.auth('support'),
    });
    expect(bad.statusCode).toBe(400);
  });

  it('lists orders newest first with filters and a cursor', async () => {
    // Other test files place orders for the same merchant at the same time: this test's orders
    // share an id prefix of their own, and the listing is filtered by it as well.
    const prefix = uniqueId('ord-list');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const quote = await createQuote(world);
      const body = orderRequest(quote.id, { orderId: `${prefix}-${i}` });
      expect((await placeOrder(world, body)).statusCode).toBe(201);
      ids.push(body.orderId);
    }
    // The projection row appears once the workflow has locked its quote.
    const deadline = Date.now() + 15_000;
    while ((await world.db.order.count({ where: { id: { in: ids } } })) < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const first = await world.api.app.inject({
      method: 'GET',
      url: `/v1/orders?merchantId=mer_test_outdoor&orderIdPrefix=${prefix}&limit=2`,
      headers: world.auth('support'),
    });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.data).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await world.api.app.inject({
      method: 'GET',
      url: `/v1/orders?merchantId=mer_test_outdoor&orderIdPrefix=${prefix}&limit=2&cursor=${page1.nextCursor}`,
      headers: world.auth('support'),
    });
    const seen = [...page1.data, ...second.json().data].map((o: { orderId: string }) => o.orderId);
    expect(seen.slice(0, 3).sort()).toEqual([...ids].sort());
    const placedAt = [...page1.data, ...second.json().data].map((o: { placedAt: string }) => o.placedAt);
    expect([...placedAt].sort().reverse()).toEqual(placedAt);
    const badCursor = await world.api.app.inject({
      method: 'GET',
      url: '/v1/orders?cursor=zzz',
      headers: world.auth('support'),
    });
    expect(badCursor.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'cursor' });
    const badStatus = await world.api.app.inject({
      method: 'GET',
      url: '/v1/orders?status=lost',
      headers: world.auth('support'),
    });
    expect(badStatus.statusCode).toBe(400);
  });
});
