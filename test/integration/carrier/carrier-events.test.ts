/**
 * CarrierEventStore against PostgreSQL: webhook deliveries stored once, and a tracking list read
 * by an order recorded in one statement, every event of it processed.
 */
import type { TrackingEvent } from '../../../src/domain/shipping/tracking';
import { CarrierEventStore } from '../../../src/infra/carrier';
import type { Database } from '../../../src/infra/database';
import { openTestDatabase, uniqueId } from '../../helpers/database';

let db: Database;
let store: CarrierEventStore;
beforeAll(() => {
  db = openTestDatabase();
  store = new CarrierEventStore(db);
});
afterAll(async () => {
  await db.$disconnect();
});

function trackingEvent(orderId: string, status: TrackingEvent['status'], minute: number): TrackingEvent {
  return {
    eventId: uniqueId('evt'),
    shipmentId: `shp_${orderId}`,
    reference: `order:${orderId}:shipment`,
    trackingNumber: `1Z${orderId}`,
    status,
    occurredAt: new Date(Date.UTC(2026, 10, 26, 10, minute)).toISOString(),
    description: status,
  };
}

const rows = (ids: string[]) =>
  db.carrierEvent.findMany({ where: { id: { in: ids } }, orderBy: { occurredAt: 'asc' } });

test('a read list is stored once, every event of it processed; events a webhook stored are marked, processed ones kept', async () => {
  const orderId = uniqueId('ord');
  const [pickedUp, outForDelivery, delivered] = [
    trackingEvent(orderId, 'in_transit', 1),
    trackingEvent(orderId, 'out_for_delivery', 2),
    trackingEvent(orderId, 'delivered', 3),
  ] as [TrackingEvent, TrackingEvent, TrackingEvent];
  // Webhooks: the first delivered and handed over earlier, the second stored and not yet handed over.
  await store.receive(pickedUp, orderId);
  const handedOverAt = new Date('2026-11-26T10:05:00.000Z');
  await store.markProcessed(pickedUp.eventId, handedOverAt);
  expect(await store.receive(outForDelivery, orderId)).toEqual({ processed: false });

  const readAt = new Date('2026-11-26T11:00:00.000Z');
  // The list read, with an event repeated in it.
  await store.recordRead([pickedUp, outForDelivery, delivered, delivered], readAt);
  const stored = await rows([pickedUp.eventId, outForDelivery.eventId, delivered.eventId]);
  expect(stored.map((row) => [row.id, row.status, row.orderId, row.processedAt?.toISOString()])).toEqual([
    [pickedUp.eventId, 'in_transit', orderId, handedOverAt.toISOString()],
    [outForDelivery.eventId, 'out_for_delivery', orderId, readAt.toISOString()],
    [delivered.eventId, 'delivered', orderId, readAt.toISOString()],
  ]);
  expect(stored[2]!.payload).toEqual(delivered);
  expect(stored[2]).toMatchObject({
    shipmentId: delivered.shipmentId,
    trackingNumber: delivered.trackingNumber,
  });

  // A late webhook delivery of a read event is not handed over again; reading again changes nothing.
  expect(await store.receive(delivered, orderId)).toEqual({ processed: true });
  await store.recordRead([delivered], new Date('2026-11-26T12:00:00.000Z'));
  expect((await rows([delivered.eventId]))[0]!.processedAt?.toISOString()).toBe(readAt.toISOString());
  await store.recordRead([]);
});

test('an event whose reference is not one of ours is stored without an order', async () => {
  const event = { ...trackingEvent('x', 'in_transit', 4), reference: 'someone-else:42' };
  await store.recordRead([event]);
  expect((await rows([event.eventId]))[0]).toMatchObject({ orderId: null, reference: 'someone-else:42' });
});
