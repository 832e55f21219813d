/**
 * Finance's refunds: partial and several per order, never more than was captured (also when
 * asked at once), idempotent by key, posted to the ledger as reversing entries.
 */
import {
  createQuote,
  hasStatus,
  orderRequest,
  placeOrder,
  recordHistory,
  shipmentOf,
  startOrderWorld,
  waitForOrder,
  type OrderWorld,
} from '../../helpers/order-world';

let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld({ refundWindowMs: 120_000 });
});
afterAll(async () => {
  await world?.close();
});

const refund = (
  orderId: string,
  amount: number,
  key: string,
  currency = 'USD',
  role: 'finance' | 'support' = 'finance',
) =>
  world.api.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderId}/refunds`,
    headers: { ...world.auth(role), 'idempotency-key': key },
    payload: { amount: { amount, currency }, reason: 'requested_by_customer' },
  });

async function deliveredOrder() {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  const { shipmentId } = shipmentOf(world, body.orderId);
  world.carrier.advance(shipmentId, 'handover');
  world.carrier.advance(shipmentId, 'deliver');
  await waitForOrder(world, body.orderId, hasStatus('delivered'));
  return { orderId: body.orderId, charge: quote.chargeNow.amount };
}

const stripeRefunds = (orderId: string) => {
  const intent = [...world.stripe.state.paymentIntents.values()].find(
    (pi) => pi.metadata.order_id === orderId,
  )!;
  return [...world.stripe.state.refunds.values()].filter((r) => r.paymentIntent === intent.id);
};

it('refunds in parts up to the captured amount, then refuses naming what is left; the ledger follows', async () => {
  const { orderId, charge } = await deliveredOrder();
  const first = await refund(orderId, 1000, `${orderId}-r1`);
  expect(first.statusCode).toBe(201);
  expect(first.json()).toMatchObject({
    amount: { amount: 1000 },
    refunded: { amount: 1000 },
    refundable: { amount: charge - 1000 },
  });
  const second = await refund(orderId, charge - 1500, `${orderId}-r2`);
  expect(second.statusCode).toBe(201);
  const over = await refund(orderId, 501, `${orderId}-r3`);
  expect(over.statusCode).toBe(422);
  expect(over.json().error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATION', field: 'amount.amount' });
  expect(over.json().error.message).toMatch(/5\.00 USD is left/);
  expect(over.json().error.details).toEqual({ refundable: { amount: 500, currency: 'USD' } });
  const last = await refund(orderId, 500, `${orderId}-r4`);
  expect(last.statusCode).toBe(201);
  expect(last.json().refundable.amount).toBe(0);

  expect(
    stripeRefunds(orderId)
      .map((r) => r.amount)
      .sort((a, b) => a - b),
  ).toEqual([500, 1000, charge - 1500].sort((a, b) => a - b));
  const view = await waitForOrder(world, orderId, (v) => v.amounts?.refunded?.amount === charge);
  expect(view.amounts?.refunded).toEqual({ amount: charge, currency: 'USD' });

  // Ledger: the capture and three refund entries; processor clearing for this order nets to zero.
  const entries = await world.db.journalEntry.findMany({ where: { orderId }, include: { lines: true } });
  expect(entries.map((e) => e.kind).sort()).toEqual(['capture', 'refund', 'refund', 'refund']);
  const clearing = entries
    .flatMap((e) => e.lines)
    .filter((l) => l.accountCode.startsWith('processor_clearing:'))
    .reduce((total, l) => total + Number(l.amount), 0);
  expect(clearing).toBe(0);
  const duties = entries
    .flatMap((e) => e.lines)
    .filter((l) => l.accountCode.startsWith('duties_payable:'))
    .reduce((total, l) => total + Number(l.amount), 0);
  expect(duties).toBe(0); // DDP duties collected were given back with the refunds
  await recordHistory(world, orderId, 'refunded-in-parts');
});

it('never refunds more than was captured when refunds are asked at once', async () => {
  const { orderId, charge } = await deliveredOrder();
  const part = Math.floor(charge * 0.3);
  const answers = await Promise.all(
    Array.from({ length: 5 }, (_, i) => refund(orderId, part, `${orderId}-c${i}`)),
  );
  const accepted = answers.filter((res) => res.statusCode === 201);
  const refused = answers.filter((res) => res.statusCode === 422);
  expect(accepted).toHaveLength(3);
  expect(refused).toHaveLength(2);
  const total = stripeRefunds(orderId).reduce((sum, r) => sum + r.amount, 0);
  expect(total).toBe(3 * part);
  expect(total).toBeLessThanOrEqual(charge);
});

it('refunds once per Idempotency-Key, and refuses the key with another amount', async () => {
  const { orderId } = await deliveredOrder();
  const a = await refund(orderId, 700, `${orderId}-same`);
  const b = await refund(orderId, 700, `${orderId}-same`);
  expect(a.statusCode).toBe(201);
  expect(b.statusCode).toBe(201);
  expect(b.json().refundId).toBe(a.json().refundId);
  expect(stripeRefunds(orderId)).toHaveLength(1);
  const other = await refund(orderId, 800, `${orderId}-same`);
  expect(other.statusCode).toBe(409);
  expect(other.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
});

describe('refusals', () => {
  it.each([
    ['zero', 0, 'USD', 400, 'amount.amount'],
    ['negative', -5, 'USD', 400, 'amount.amount'],
    ['fractional', 1.5, 'USD', 400, 'amount.amount'],
    ['another currency', 100, 'EUR', 400, 'amount.currency'],
  ])('a %s refund: %s', async (_label, amount, currency, status, field) => {
    const { orderId } = await deliveredOrder();
    const res = await refund(orderId, amount as number, `${orderId}-bad`, currency as string);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.field).toBe(field);
    expect(stripeRefunds(orderId)).toHaveLength(0);
  });

  it('an order not captured yet: 409 saying why', async () => {
    const quote = await createQuote(world);
    const body = orderRequest(quote.id, {
      shippingAddress: {
        name: 'Zephyr Quantum Logistics',
        line1: 'Hauptstraße 5',
        city: 'Berlin',
        country: 'DE',
      },
    });
    expect((await placeOrder(world, body)).statusCode).toBe(201);
    await waitForOrder(world, body.orderId, hasStatus('awaiting_review'));
    const res = await refund(body.orderId, 100, `${body.orderId}-early`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/nothing has been captured/);
  });

  it('only finance refunds; an unknown order is 404', async () => {
    expect((await refund('nobody-here', 100, 'k1')).statusCode).toBe(404);
    expect((await refund('nobody-here', 100, 'k2', 'USD', 'support')).statusCode).toBe(403);
  });
});

describe('after the refund window', () => {
  let closing: OrderWorld;
  beforeAll(async () => {
    closing = await startOrderWorld({ refundWindowMs: 500 });
  });
  afterAll(async () => {
    await closing?.close();
  });

  it('refuses with 409: the order has completed', async () => {
    const quote = await createQuote(closing);
    const body = orderRequest(quote.id);
    expect((await placeOrder(closing, body)).statusCode).toBe(201);
    await waitForOrder(closing, body.orderId, hasStatus('awaiting_handover'));
    const { shipmentId } = shipmentOf(closing, body.orderId);
    closing.carrier.advance(shipmentId, 'handover');
    closing.carrier.advance(shipmentId, 'deliver');
    await waitForOrder(closing, body.orderId, hasStatus('completed'));
    const res = await closing.api.app.inject({
      method: 'POST',
      url: `/v1/orders/${body.orderId}/refunds`,
      headers: { ...closing.auth('finance'), 'idempotency-key': 'late' },
      payload: { amount: { amount: 100, currency: 'USD' }, reason: 'requested_by_customer' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/refund window is closed/);
  });
});
