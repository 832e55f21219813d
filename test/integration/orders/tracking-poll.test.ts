/**
 * Tracking webhooks can be lost. When they have been silent for `trackingPollMs`, the order reads
 * the carrier's tracking list (GET /v2/shipments/:id/tracking) and applies what it missed; an
 * event that arrives both ways counts once, and a carrier that cannot answer the read never fails
 * the order: it goes on waiting.
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

const POLL_MS = 1_500;

let world: OrderWorld;
let webhookUrl: string | null;
beforeAll(async () => {
  world = await startOrderWorld({ trackingPollMs: POLL_MS });
  webhookUrl = world.carrier.webhooks.url;
});
afterAll(async () => {
  await world?.close();
});
afterEach(() => {
  world.carrier.faults.clear();
  world.carrier.webhooks.configure({ url: webhookUrl });
});

const trackingReads = (shipmentId: string) =>
  world.carrier.requests.filter(
    (r) => r.method === 'GET' && r.path === `/v2/shipments/${shipmentId}/tracking`,
  );

async function orderAwaitingHandover() {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  return { orderId: body.orderId, shipmentId: shipmentOf(world, body.orderId).shipmentId };
}

it('follows the shipment to delivery from the tracking list once its webhooks are lost; each event once', async () => {
  const { orderId, shipmentId } = await orderAwaitingHandover();
  // The handover arrives by webhook.
  world.carrier.advance(shipmentId, 'handover');
  await waitForOrder(world, orderId, hasStatus('in_transit'));
  const stored = await world.db.carrierEvent.count({ where: { orderId } });

  // From now on every webhook is lost.
  world.carrier.webhooks.configure({ url: null });
  world.carrier.advance(shipmentId, 'out_for_delivery');
  world.carrier.advance(shipmentId, 'deliver');
  const done = await waitForOrder(world, orderId, hasStatus('completed'), 30_000);

  const sent = world.carrier.events(shipmentId);
  expect(done.tracking?.status).toBe('delivered');
  // Every event once, though the list repeated the ones that had come by webhook.
  expect(done.tracking?.events.map((e) => e.eventId)).toEqual(sent.map((e) => e.eventId));
  // The record has every event once: those before the webhooks were lost from them, the rest from
  // the list, all handed over.
  const recorded = await world.db.carrierEvent.findMany({
    where: { orderId },
    orderBy: { occurredAt: 'asc' },
  });
  expect(recorded.length).toBeGreaterThan(stored);
  expect(recorded.map((e) => e.id).sort()).toEqual(sent.map((e) => e.eventId).sort());
  expect(recorded.every((e) => e.processedAt !== null)).toBe(true);
  expect(trackingReads(shipmentId).length).toBeGreaterThanOrEqual(1);
  await recordHistory(world, orderId, 'tracking-polled');
});

it('goes on waiting when the carrier cannot answer the read, and delivers once it can', async () => {
  const { orderId, shipmentId } = await orderAwaitingHandover();
  world.carrier.webhooks.configure({ url: null });
  const path = `/v2/shipments/${shipmentId}/tracking`;
  world.carrier.faults.inject({ kind: '503', times: 'always', method: 'GET', path });
  world.carrier.advance(shipmentId, 'handover');
  world.carrier.advance(shipmentId, 'deliver');

  // At least two reads (each retried three times) fail: the order is still waiting, not failed.
  const deadline = Date.now() + 20_000;
  while (trackingReads(shipmentId).length < 6 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(trackingReads(shipmentId).length).toBeGreaterThanOrEqual(6);
  const waiting = await waitForOrder(world, orderId, () => true);
  expect(waiting.status).toBe('awaiting_handover');
  expect(waiting.attention).toBeUndefined();

  world.carrier.faults.clear();
  const done = await waitForOrder(world, orderId, hasStatus('completed'), 30_000);
  expect(done.tracking?.events.map((e) => e.status)).toEqual(['pre_transit', 'in_transit', 'delivered']);
});
