import {
  createQuote,
  getOrder,
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

it.each(['DDP', 'DAP'] as const)(
  'runs a %s order from quote to completion, charging the quoted total once',
  async (incoterm) => {
    const quote = await createQuote(world, { incoterm });
    const body = orderRequest(quote.id);
    const placed = await placeOrder(world, body);
    expect(placed.statusCode).toBe(201);
    expect(placed.json()).toMatchObject({ orderId: body.orderId, status: 'received' });

    const awaiting = await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
    expect(awaiting.amounts?.captured).toEqual(quote.chargeNow);
    expect(awaiting.declaration?.status).toBe('accepted');
    expect(awaiting.label?.trackingNumber).toEqual(expect.any(String));

    const shipment = shipmentOf(world, body.orderId);
    world.carrier.advance(shipment.shipmentId, 'handover');
    await waitForOrder(world, body.orderId, hasStatus('in_transit'));
    world.carrier.advance(shipment.shipmentId, 'deliver');
    const done = await waitForOrder(world, body.orderId, hasStatus('completed'));
    expect(done.tracking?.status).toBe('delivered');

    // Exactly one PaymentIntent for the order, captured for the quoted total.
    const intents = [...world.stripe.state.paymentIntents.values()].filter(
      (pi) => pi.metadata.order_id === body.orderId,
    );
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ status: 'succeeded', amountReceived: quote.chargeNow.amount });

    const timeline = await world.api.app.inject({
      method: 'GET',
      url: `/v1/orders/${body.orderId}/timeline`,
      headers: world.auth('support'),
    });
    expect(
      timeline.json().timeline.map((e: { step: string; status: string }) => `${e.step}:${e.status}`),
    ).toEqual([
      'lock_quote:done',
      'screen:done',
      'authorize:done',
      'declare:done',
      'buy_label:done',
      'capture:done',
      'post_ledger:done',
      'track:done',
      'refund_window:done',
    ]);
    const row = await world.db.order.findUniqueOrThrow({ where: { id: body.orderId } });
    expect(row.status).toBe('completed');
    expect(row.closedAt).not.toBeNull();
    expect((await getOrder(world, body.orderId)).status).toBe('completed');
    await recordHistory(world, body.orderId, `completed-${incoterm.toLowerCase()}`);
  },
);
