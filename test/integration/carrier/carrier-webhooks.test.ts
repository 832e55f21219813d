import { foldTrackingEvents, handedOver } from '../../../src/domain/shipping/tracking';
import type { HttpCarrier } from '../../../src/infra/carrier';
import type { CarrierSandbox } from '../../../src/sandboxes/carrier';
import {
  carrierAdmin,
  sampleShipment,
  startCarrierWebhookReceiver,
  startTestCarrier,
  type CarrierWebhookReceiver,
} from '../../helpers/carrier-sandbox';

jest.setTimeout(30_000);

/** A shipment with a label, ready to be advanced. */
async function labelled(carrier: HttpCarrier): Promise<string> {
  const shipment = await carrier.createShipment(sampleShipment());
  const rate = shipment.rates.find((candidate) => candidate.service === 'express')!;
  await carrier.buyLabel(shipment.shipmentId, rate.rateId);
  return shipment.shipmentId;
}

function deliverAll(sandbox: CarrierSandbox, shipmentId: string): void {
  for (const step of ['handover', 'out_for_delivery', 'deliver'] as const) sandbox.advance(shipmentId, step);
}

describe('tracking webhooks from the carrier sandbox', () => {
  let receiver: CarrierWebhookReceiver;

  beforeEach(async () => {
    receiver = await startCarrierWebhookReceiver();
  });
  afterEach(() => receiver.close());

  it('delivers every tracking event once, in order, signed so that verifyCarrierWebhook accepts it', async () => {
    const { sandbox, carrier } = await startTestCarrier({ webhookUrl: receiver.url });
    try {
      const shipmentId = await labelled(carrier);
      deliverAll(sandbox, shipmentId);
      const events = await receiver.waitForEvents(4);
      await sandbox.webhooks.idle();
      expect(receiver.received.every((delivery) => delivery.status === 200)).toBe(true);
      expect(events.map((event) => event.status)).toEqual([
        'pre_transit',
        'in_transit',
        'out_for_delivery',
        'delivered',
      ]);
      expect(events).toEqual(sandbox.events(shipmentId));
      const first = receiver.received[0]!;
      expect(first.headers['x-hmac-signature']).toMatch(/^hmac-sha256-hex=[0-9a-f]{64}$/);
      expect(JSON.parse(first.rawBody.toString('utf8'))).toMatchObject({
        id: events[0]!.eventId,
        object: 'Event',
        description: 'tracker.updated',
        created_at: expect.any(String),
        signed_at: expect.any(String),
        result: { shipmentId, reference: expect.stringMatching(/^order:.+:shipment$/) },
      });
      const state = foldTrackingEvents(events);
      expect(state.status).toBe('delivered');
      expect(handedOver(state)).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it('delivers held events twice and in reverse; the fold still ends delivered, each event once', async () => {
    const { sandbox, carrier } = await startTestCarrier({ webhookUrl: receiver.url });
    try {
      sandbox.webhooks.hold();
      const shipmentId = await labelled(carrier);
      deliverAll(sandbox, shipmentId);
      expect(sandbox.webhooks.held().map((event) => event.status)).toEqual([
        'pre_transit',
        'in_transit',
        'out_for_delivery',
        'delivered',
      ]);
      sandbox.webhooks.release({ order: 'reverse', duplicate: true });
      const arrived = await receiver.waitForEvents(8);
      expect(arrived.map((event) => event.status)).toEqual([
        'delivered',
        'delivered',
        'out_for_delivery',
        'out_for_delivery',
        'in_transit',
        'in_transit',
        'pre_transit',
        'pre_transit',
      ]);
      // Every copy is signed afresh; ids repeat, so the receiver can deduplicate on them.
      expect(new Set(arrived.map((event) => event.eventId)).size).toBe(4);
      const state = foldTrackingEvents(arrived);
      expect(state.status).toBe('delivered');
      expect(state.events.map((event) => event.status)).toEqual([
        'pre_transit',
        'in_transit',
        'out_for_delivery',
        'delivered',
      ]);
      const afterPreTransitOnly = foldTrackingEvents(arrived.slice(0, 2));
      expect(afterPreTransitOnly.status).toBe('delivered');
    } finally {
      await sandbox.close();
    }
  });

  it('duplicates and reorders on its own when switched on (as npm run dev does)', async () => {
    const { sandbox, carrier } = await startTestCarrier({
      webhookUrl: receiver.url,
      duplicates: true,
      duplicateDelayMs: 10,
      outOfOrder: true,
      outOfOrderHoldMs: 2_000,
    });
    try {
      const shipmentId = await labelled(carrier);
      sandbox.advance(shipmentId, 'handover');
      await receiver.waitForEvents(4);
      await sandbox.webhooks.idle();
      const statuses = receiver.events().map((event) => event.status);
      // pre_transit was held until in_transit was emitted, then sent after it; each one twice.
      expect(statuses.slice(0, 2)).toEqual(['in_transit', 'pre_transit']);
      expect([...statuses].sort()).toEqual(['in_transit', 'in_transit', 'pre_transit', 'pre_transit']);
      const state = foldTrackingEvents(receiver.events());
      expect(state.status).toBe('in_transit');
      expect(state.events).toHaveLength(2);
    } finally {
      await sandbox.close();
    }
  });

  it('sends a lone held event when nothing follows it within the hold time', async () => {
    const { sandbox, carrier } = await startTestCarrier({
      webhookUrl: receiver.url,
      outOfOrder: true,
      outOfOrderHoldMs: 100,
    });
    try {
      await labelled(carrier);
      const [event] = await receiver.waitForEvents(1, 3_000);
      expect(event?.status).toBe('pre_transit');
    } finally {
      await sandbox.close();
    }
  });

  it('retries a delivery the endpoint refused, and redelivers on request', async () => {
    const { sandbox, carrier } = await startTestCarrier({ webhookUrl: receiver.url });
    try {
      receiver.failNext(500, 503);
      const shipmentId = await labelled(carrier);
      const [event] = await receiver.waitForEvents(1);
      await sandbox.webhooks.idle();
      expect(receiver.received.map((delivery) => delivery.status)).toEqual([500, 503, 200]);
      expect(sandbox.webhooks.deliveries.map((d) => [d.attempt, d.httpStatus, d.delivered])).toEqual([
        [1, 500, false],
        [2, 503, false],
        [3, 200, true],
      ]);
      expect(sandbox.webhooks.redeliver(event!.eventId)).toBe(true);
      await receiver.waitForEvents(2);
      expect(receiver.events().map((e) => e.eventId)).toEqual([event!.eventId, event!.eventId]);
      expect(sandbox.events(shipmentId)).toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  });

  it('is refused by an endpoint holding another secret (400), and retried', async () => {
    const wrong = await startCarrierWebhookReceiver('another_secret_entirely_0123');
    const { sandbox, carrier } = await startTestCarrier({
      webhookUrl: wrong.url,
      webhookRetryDelaysMs: [20],
    });
    try {
      await labelled(carrier);
      await sandbox.webhooks.idle();
      expect(wrong.received.map((delivery) => [delivery.status, delivery.error?.details])).toEqual([
        [400, { problem: 'mismatch' }],
        [400, { problem: 'mismatch' }],
      ]);
    } finally {
      await sandbox.close();
      await wrong.close();
    }
  });

  it('fails deliveries to an unreachable endpoint quietly: retried, logged, nothing thrown', async () => {
    const { sandbox, carrier } = await startTestCarrier({
      webhookUrl: 'http://127.0.0.1:9/v1/webhooks/carrier',
      webhookRetryDelaysMs: [10, 10],
    });
    try {
      const shipmentId = await labelled(carrier);
      sandbox.advance(shipmentId, 'handover');
      await sandbox.webhooks.idle();
      expect(sandbox.webhooks.deliveries).toHaveLength(6);
      expect(sandbox.webhooks.deliveries.every((d) => !d.delivered && d.httpStatus === null && d.error)).toBe(
        true,
      );
      expect((await carrier.getShipment(shipmentId)).status).toBe('in_transit');
    } finally {
      await sandbox.close();
    }
  });

  it('is driven over HTTP too: webhook settings, hold and release', async () => {
    const { sandbox, carrier } = await startTestCarrier();
    try {
      expect(
        (await carrierAdmin(sandbox, 'POST', '/webhooks', { url: receiver.url, duplicates: false })).status,
      ).toBe(200);
      await carrierAdmin(sandbox, 'POST', '/webhooks/hold');
      const shipmentId = await labelled(carrier);
      await carrierAdmin(sandbox, 'POST', `/shipments/${shipmentId}/advance`, { step: 'handover' });
      const held = await carrierAdmin(sandbox, 'GET', '/webhooks');
      expect((held.body.held as { status: string }[]).map((event) => event.status)).toEqual([
        'pre_transit',
        'in_transit',
      ]);
      const released = await carrierAdmin(sandbox, 'POST', '/webhooks/release', {
        order: 'reverse',
        duplicate: true,
      });
      expect((released.body.released as unknown[]).length).toBe(2);
      const arrived = await receiver.waitForEvents(4);
      expect(arrived.map((event) => event.status)).toEqual([
        'in_transit',
        'in_transit',
        'pre_transit',
        'pre_transit',
      ]);
    } finally {
      await sandbox.close();
    }
  });
});
