import type { TrackingEvent } from '../../domain/shipping/tracking';
import { sqlOf, type Database } from '../database';

/** Our shipment reference, `order:<orderId>:shipment`. */
const REFERENCE = /^order:([A-Za-z0-9_.-]{1,64}):shipment$/;

/** The order a shipment reference names (null: not one of ours). */
export function orderIdOfReference(reference: string): string | null {
  return REFERENCE.exec(reference)?.[1] ?? null;
}

/**
 * The record of the carrier's tracking events (table `carrier_events`), from its webhooks and from
 * its tracking list when an order reads it: each event stored once by its id, whatever the number
 * of deliveries, and marked processed once its order has it.
 * Straight through pg, named: several of these run per order.
 */
export class CarrierEventStore {
  constructor(private readonly db: Database) {}

  /**
   * Stores the event unless it is stored already (a redelivery, or a concurrent delivery of the
   * same event); answers whether it was handed over to its order before.
   */
  async receive(event: TrackingEvent, orderId: string | null): Promise<{ processed: boolean }> {
    // A concurrent delivery that inserted first is waited for; if it committed after this
    // statement's snapshot, neither half sees a row and the event counts as not handed over
    // (handing over twice is harmless: the order ignores repeats).
    const { rows } = await sqlOf(this.db).query<{ processed: boolean }>({
      name: 'borderline.carrier-event-receive',
      text: `
        WITH inserted AS (
          INSERT INTO carrier_events (id, shipment_id, tracking_number, reference, order_id, status, occurred_at, payload)
          VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::jsonb)
          ON CONFLICT (id) DO NOTHING
          RETURNING false AS processed)
        SELECT processed FROM inserted
        UNION ALL
        SELECT processed_at IS NOT NULL FROM carrier_events
         WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
      values: [
        event.eventId,
        event.shipmentId,
        event.trackingNumber,
        event.reference,
        orderId,
        event.status,
        event.occurredAt,
        JSON.stringify(event),
      ],
    });
    return { processed: rows[0]?.processed ?? false };
  }

  /**
   * Records events read from the carrier's tracking list, which the reading order takes at once:
   * stored as processed (unless a webhook stored them first), and those a webhook stored marked
   * processed, so a late webhook delivery of one is not handed over again. One statement for the
   * whole list: the UPDATE does not see the rows its INSERT adds (they carry the time already).
   */
  async recordRead(events: readonly TrackingEvent[], at = new Date()): Promise<void> {
    if (events.length === 0) return;
    const column = <T>(pick: (event: TrackingEvent) => T) => events.map(pick);
    await sqlOf(this.db).query({
      name: 'borderline.carrier-events-read',
      text: `
        WITH read AS (
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                               $7::timestamptz[], $8::jsonb[])
                     AS e(id, shipment_id, tracking_number, reference, order_id, status, occurred_at, payload)
        ), stored AS (
          INSERT INTO carrier_events (id, shipment_id, tracking_number, reference, order_id, status, occurred_at,
                                      payload, processed_at)
          SELECT id, shipment_id, tracking_number, reference, order_id, status, occurred_at, payload, $9
            FROM read
          ON CONFLICT (id) DO NOTHING)
        UPDATE carrier_events c SET processed_at = $9
          FROM read WHERE c.id = read.id AND c.processed_at IS NULL`,
      values: [
        column((e) => e.eventId),
        column((e) => e.shipmentId),
        column((e) => e.trackingNumber),
        column((e) => e.reference),
        column((e) => orderIdOfReference(e.reference)),
        column((e) => e.status),
        column((e) => e.occurredAt),
        column((e) => JSON.stringify(e)),
        at,
      ],
    });
  }

  /** Records that the event was handed over; later deliveries of it are not handed over again. */
  async markProcessed(eventId: string, at = new Date()): Promise<void> {
    await sqlOf(this.db).query({
      name: 'borderline.carrier-event-processed',
      text: 'UPDATE carrier_events SET processed_at = $2 WHERE id = $1 AND processed_at IS NULL',
      values: [eventId, at],
    });
  }
}
