/**
 * At most one order and one charge per order id, whatever the retries: concurrent duplicate
 * starts, a payment provider that fails and drops connections during capture, and carrier
 * webhooks delivered twice and out of order.
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
import { hashRequest } from '../../../src/infra/orders/desk';

let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld();
});
afterAll(async () => {
  await world?.close();
});

const intentsOf = (orderId: string) =>
  [...world.stripe.state.paymentIntents.values()].filter((pi) => pi.metadata.order_id === orderId);

it('50 concurrent duplicate starts give one order, one workflow and one PaymentIntent', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  const answers = await Promise.all(Array.from({ length: 50 }, () => placeOrder(world, body)));
  const statuses = answers.map((res) => res.statusCode);
  expect(statuses.every((s) => s === 200 || s === 201)).toBe(true);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(new Set(answers.map((res) => res.json().orderId))).toEqual(new Set([body.orderId]));

  await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  const runs = [];
  for await (const run of world.temporal.client.workflow.list({
    query: `WorkflowId = 'order-${body.orderId}'`,
  })) {
    runs.push(run);
  }
  expect(runs).toHaveLength(1);
  expect(intentsOf(body.orderId)).toHaveLength(1);
  expect(await world.db.order.count({ where: { id: body.orderId } })).toBe(1);
});

it('answers a repeated order with the existing one, and refuses the same id or key with another body', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  const again = await placeOrder(world, body);
  expect(again.statusCode).toBe(200);
  expect(again.json().orderId).toBe(body.orderId);

  const otherBody = { ...body, customer: { ...body.customer, email: 'someone-else@example.com' } };
  const sameId = await placeOrder(world, otherBody, `other-key-${body.orderId}`);
  expect(sameId.statusCode).toBe(409);
  expect(sameId.json().error).toMatchObject({ code: 'CONFLICT', field: 'orderId' });
  // Its key was recorded beside the refused start: a retry under it is refused the same way.
  const sameIdAgain = await placeOrder(world, otherBody, `other-key-${body.orderId}`);
  expect(sameIdAgain.statusCode).toBe(409);
  expect(sameIdAgain.json().error).toMatchObject({ code: 'CONFLICT', field: 'orderId' });

  const sameKey = await placeOrder(world, orderRequest(quote.id), body.orderId);
  expect(sameKey.statusCode).toBe(409);
  expect(sameKey.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotency-key' });
  expect(intentsOf(body.orderId).length).toBeLessThanOrEqual(1);
});

it('starts the order on a retry whose first attempt recorded its key but never started it', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  // What a first attempt leaves when its process dies, or Temporal refuses, after the key's
  // record is written (the two are written side by side) and before the workflow starts.
  await world.db.idempotencyRecord.create({
    data: {
      scope: 'POST /v1/orders',
      key: `retry-${body.orderId}`,
      requestHash: hashRequest(body),
      responseBody: { orderId: body.orderId },
      expiresAt: new Date(Date.now() + 3600_000),
    },
  });
  const retry = await placeOrder(world, body, `retry-${body.orderId}`);
  expect(retry.statusCode).toBe(201);
  await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  expect(intentsOf(body.orderId)).toHaveLength(1);
});

it('captures exactly once through 503s and a connection dropped after the capture committed', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  // Hold the declaration long enough to arm the faults between authorisation and capture.
  world.customs.outcomes.forceReference(`order:${body.orderId}:declaration:v1`, {
    status: 'accepted',
    delayMs: 1_500,
  });
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  await waitForOrder(world, body.orderId, (v) => v.status === 'declaring' && v.paymentIntentId !== undefined);
  const [intent] = intentsOf(body.orderId);
  const capturePath = `/v1/payment_intents/${intent!.id}/capture`;
  world.stripe.faults.inject({ kind: '503', times: 2, method: 'POST', path: capturePath });
  world.stripe.faults.inject({ kind: 'drop-after-commit', times: 1, method: 'POST', path: capturePath });

  const view = await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'), 45_000);
  expect(view.amounts?.captured).toEqual(quote.chargeNow);
  const hits = world.stripe.faults.triggered.filter((t) => t.path === capturePath).map((t) => t.kind);
  expect(hits).toEqual(['503', '503', 'drop-after-commit']);
  const charges = [...world.stripe.state.charges.values()].filter((c) => c.paymentIntent === intent!.id);
  expect(charges).toHaveLength(1);
  expect(intentsOf(body.orderId)[0]).toMatchObject({
    status: 'succeeded',
    amountReceived: quote.chargeNow.amount,
  });
  const timeline = await world.api.app.inject({
    method: 'GET',
    url: `/v1/orders/${body.orderId}/timeline`,
    headers: world.auth('support'),
  });
  const capture = timeline.json().timeline.find((e: { step: string }) => e.step === 'capture');
  expect(capture.attempts).toBeGreaterThanOrEqual(3);
  await recordHistory(world, body.orderId, 'capture-retried');
});

describe('carrier webhooks delivered twice and out of order', () => {
  let noisy: OrderWorld;
  beforeAll(async () => {
    noisy = await startOrderWorld();
    noisy.carrier.webhooks.configure({ duplicates: true, outOfOrder: true });
  });
  afterAll(async () => {
    await noisy?.close();
  });

  it('follows the shipment to delivery, each event once, never backwards', async () => {
    const quote = await createQuote(noisy);
    const body = orderRequest(quote.id);
    expect((await placeOrder(noisy, body)).statusCode).toBe(201);
    await waitForOrder(noisy, body.orderId, hasStatus('awaiting_handover'));
    const { shipmentId } = shipmentOf(noisy, body.orderId);
    noisy.carrier.advance(shipmentId, 'handover');
    noisy.carrier.advance(shipmentId, 'out_for_delivery');
    noisy.carrier.advance(shipmentId, 'deliver');
    const done = await waitForOrder(noisy, body.orderId, hasStatus('completed'), 45_000);
    const sent = noisy.carrier.events(shipmentId);
    expect(done.tracking?.status).toBe('delivered');
    expect(done.tracking?.events.map((e) => e.eventId).sort()).toEqual(sent.map((e) => e.eventId).sort());
    const deliveries = noisy.carrier.webhooks.deliveries.filter((d) =>
      sent.some((e) => e.eventId === d.eventId),
    );
    expect(deliveries.length).toBeGreaterThan(sent.length);
    expect(await noisy.db.carrierEvent.count({ where: { orderId: body.orderId } })).toBe(sent.length);
    await recordHistory(noisy, body.orderId, 'tracking-out-of-order');
  });
});
