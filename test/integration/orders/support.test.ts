/**
 * Support's hands on an order: cancelling at each step (the steps done are undone, newest
 * first), the refusal once the carrier has the parcel, and a compensation that keeps failing
 * until support fixes its cause and asks for a retry.
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
  world = await startOrderWorld();
});
afterAll(async () => {
  await world?.close();
});

const cancel = (orderId: string, role: 'support' | 'checkout' = 'support') =>
  world.api.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderId}/cancel`,
    headers: world.auth(role),
    payload: { reason: 'the shopper asked to cancel' },
  });
const intentOf = (orderId: string) =>
  [...world.stripe.state.paymentIntents.values()].find((pi) => pi.metadata.order_id === orderId);
const timelineOf = async (orderId: string) =>
  (
    (
      await world.api.app.inject({
        method: 'GET',
        url: `/v1/orders/${orderId}/timeline`,
        headers: world.auth('support'),
      })
    ).json() as { timeline: { step: string; status: string }[] }
  ).timeline.map((e) => `${e.step}:${e.status}`);

async function start(overrides: Record<string, unknown> = {}) {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id, overrides);
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  return body;
}

it('cancels an order held for review: nothing was charged, nothing to undo', async () => {
  const body = await start({
    shippingAddress: {
      name: 'Zephyr Quantum Logistics',
      line1: 'Hauptstraße 5',
      city: 'Berlin',
      country: 'DE',
    },
  });
  await waitForOrder(world, body.orderId, hasStatus('awaiting_review'));
  const res = await cancel(body.orderId);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ status: 'cancelled', outcome: { code: 'CANCELLED' } });
  expect(intentOf(body.orderId)).toBeUndefined();
  await recordHistory(world, body.orderId, 'cancelled-in-review');
});

it('cancels while customs is deciding: the filing is voided and the authorisation cancelled', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  world.customs.outcomes.forceReference(`order:${body.orderId}:declaration:v1`, {
    status: 'accepted',
    delayMs: 60_000,
  });
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  await waitForOrder(
    world,
    body.orderId,
    (v) => v.status === 'declaring' && v.declaration?.status === 'pending',
  );
  const res = await cancel(body.orderId);
  expect(res.statusCode).toBe(200);
  expect(res.json().status).toBe('cancelled');
  expect(world.customs.findByReference(`order:${body.orderId}:declaration:v1`)?.status).toBe('voided');
  expect(intentOf(body.orderId)?.status).toBe('canceled');
  expect((await timelineOf(body.orderId)).slice(-2)).toEqual([
    'void_declaration:compensated',
    'cancel_authorization:compensated',
  ]);
  await recordHistory(world, body.orderId, 'cancelled-while-declaring');
});

it('cancels a paid order waiting for the carrier: label voided, declaration voided, capture refunded', async () => {
  const body = await start();
  const paid = await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  const res = await cancel(body.orderId);
  expect(res.statusCode).toBe(200);
  expect(res.json().status).toBe('cancelled');
  expect(shipmentOf(world, body.orderId).status).toBe('label_voided');
  expect(world.customs.findByReference(`order:${body.orderId}:declaration:v1`)?.status).toBe('voided');
  const intent = intentOf(body.orderId)!;
  const refunds = [...world.stripe.state.refunds.values()].filter((r) => r.paymentIntent === intent.id);
  expect(refunds.map((r) => r.amount)).toEqual([paid.amounts!.charge.amount]);
  expect((await timelineOf(body.orderId)).slice(-3)).toEqual([
    'void_label:compensated',
    'void_declaration:compensated',
    'refund_capture:compensated',
  ]);
  // Cancelling again: the order is already cancelled.
  expect((await cancel(body.orderId)).statusCode).toBe(409);
  await recordHistory(world, body.orderId, 'cancelled-after-label');
});

it('refuses to cancel once the carrier has the parcel, naming the reason', async () => {
  const body = await start();
  await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  world.carrier.advance(shipmentOf(world, body.orderId).shipmentId, 'handover');
  await waitForOrder(world, body.orderId, hasStatus('in_transit')).catch((error: Error) => {
    throw new Error(
      `${error.message}\ndeliveries: ${JSON.stringify(world.carrier.webhooks.deliveries.slice(-6))}`,
    );
  });
  const res = await cancel(body.orderId);
  expect(res.statusCode).toBe(409);
  expect(res.json().error.message).toMatch(/handed over to the carrier/);
  expect((await waitForOrder(world, body.orderId, hasStatus('in_transit'))).status).toBe('in_transit');
  await recordHistory(world, body.orderId, 'cancel-refused-in-transit');
});

it('only support cancels; an unknown order is 404', async () => {
  expect((await cancel('no-such-order')).statusCode).toBe(404);
  expect((await cancel('no-such-order', 'checkout')).statusCode).toBe(403);
});

it('a compensation that keeps failing puts the order in needs_attention until support retries it', async () => {
  const body = await start();
  await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  const shipmentId = shipmentOf(world, body.orderId).shipmentId;
  world.carrier.faults.inject({ kind: '500', times: 'always', path: `/v2/shipments/${shipmentId}` });

  const cancelling = cancel(body.orderId);
  const stuck = await waitForOrder(world, body.orderId, hasStatus('needs_attention'));
  expect(stuck.attention).toMatchObject({ step: 'void_label' });
  const res = await cancelling;
  expect(res.statusCode).toBe(200);
  expect(res.json().status).toBe('needs_attention');
  // The list reads the projection row, written by the activity that follows the status change:
  // it shows the order a moment after the workflow does.
  const needingAttention = async () => {
    const listed = await world.api.app.inject({
      method: 'GET',
      url: '/v1/orders?needsAttention=true&limit=200',
      headers: world.auth('support'),
    });
    expect(listed.statusCode).toBe(200);
    return listed.json().data.map((o: { orderId: string }) => o.orderId) as string[];
  };
  let listed = await needingAttention();
  for (let tries = 0; !listed.includes(body.orderId) && tries < 50; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    listed = await needingAttention();
  }
  expect(listed).toContain(body.orderId);

  // Still broken: the retry fails again and the order stays where it was.
  const failedRetry = await world.api.app.inject({
    method: 'POST',
    url: `/v1/orders/${body.orderId}/retry`,
    headers: world.auth('support'),
  });
  expect(failedRetry.statusCode).toBe(200);
  expect(failedRetry.json().status).toBe('needs_attention');

  world.carrier.faults.clear();
  const retried = await world.api.app.inject({
    method: 'POST',
    url: `/v1/orders/${body.orderId}/retry`,
    headers: world.auth('support'),
  });
  expect(retried.statusCode).toBe(200);
  const done = await waitForOrder(world, body.orderId, hasStatus('cancelled'));
  expect(done.attention).toBeUndefined();
  expect(shipmentOf(world, body.orderId).status).toBe('label_voided');
  const timeline = await timelineOf(body.orderId);
  expect(timeline.filter((e) => e === 'void_label:failed').length).toBeGreaterThanOrEqual(2);
  expect(timeline).toContain('void_label:compensated');
  // Nothing to retry any more.
  expect(
    (
      await world.api.app.inject({
        method: 'POST',
        url: `/v1/orders/${body.orderId}/retry`,
        headers: world.auth('support'),
      })
    ).statusCode,
  ).toBe(409);
  await recordHistory(world, body.orderId, 'compensation-retried');
});
