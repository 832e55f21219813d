import type Stripe from 'stripe';
import type { PaymentProviderEvent } from '../../domain/payments';
import { sqlOf, type Database } from '../database';
import { paymentIntentIdOf } from './stripe-webhooks';

/**
 * The record of Stripe's webhook events (table `payment_events`): each event stored once by its
 * id, whatever the number of deliveries. `received` events are the ones the order saga acts on;
 * events of other types are kept as `ignored`; `processed` is set once the saga has them.
 */
export type PaymentEventStatus = 'received' | 'ignored' | 'processed';

export interface NewPaymentEvent {
  /** Stripe's event id (`evt_...`). */
  id: string;
  type: string;
  apiVersion: string | null;
  livemode: boolean;
  created: Date;
  payload: Stripe.Event;
  status: Extract<PaymentEventStatus, 'received' | 'ignored'>;
  paymentIntentId: string | null;
  orderId: string | null;
}

export interface PaymentEventStore {
  /**
   * Stores the event unless an event with its id is already stored (a redelivery, or a
   * concurrent delivery of the same event). `stored`: this call stored it; `processed`: it was
   * handed over to the business before (always false for an event this call stored).
   */
  receive(event: NewPaymentEvent): Promise<{ stored: boolean; processed: boolean }>;
  /** Records that the event was handed over; later deliveries of it are not handed over again. */
  markProcessed(id: string, at?: Date): Promise<void>;
}

/** Our order ids are at most 64 characters (orders.id); longer metadata is not ours. */
const MAX_ORDER_ID_LENGTH = 64;
const MAX_OBJECT_ID_LENGTH = 255;

/** The row for a verified event and what it means (`describeStripeEvent`). */
export function newPaymentEvent(event: Stripe.Event, meaning: PaymentProviderEvent): NewPaymentEvent {
  const paymentIntentId = paymentIntentIdOf(event);
  return {
    id: event.id,
    type: event.type,
    apiVersion: event.api_version ?? null,
    livemode: event.livemode,
    created: new Date(event.created * 1000),
    payload: event,
    status: meaning.type === 'other' ? 'ignored' : 'received',
    paymentIntentId:
      paymentIntentId !== null && paymentIntentId.length <= MAX_OBJECT_ID_LENGTH ? paymentIntentId : null,
    orderId:
      meaning.orderId !== null && meaning.orderId.length <= MAX_ORDER_ID_LENGTH ? meaning.orderId : null,
  };
}

/** The store in PostgreSQL, straight through pg (named statements: a few run per order). */
export class PgPaymentEventStore implements PaymentEventStore {
  constructor(private readonly db: Database) {}

  async receive(event: NewPaymentEvent): Promise<{ stored: boolean; processed: boolean }> {
    // One statement: INSERT ... ON CONFLICT DO NOTHING, and for a stored event its status. Of two
    // concurrent deliveries, one inserts and the other waits for it, then inserts nothing; if
    // that one committed after this statement's snapshot, neither half returns a row and the
    // event counts as a duplicate not handed over (handing over twice is harmless: the order
    // ignores repeats by event id).
    const { rows } = await sqlOf(this.db).query<{ stored: boolean; processed: boolean }>({
      name: 'borderline.payment-event-receive',
      text: `
        WITH inserted AS (
          INSERT INTO payment_events (id, type, api_version, livemode, created, payload, status, payment_intent_id, order_id)
          VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::payment_event_status, $8, $9)
          ON CONFLICT (id) DO NOTHING
          RETURNING true AS stored, false AS processed)
        SELECT stored, processed FROM inserted
        UNION ALL
        SELECT false, status = 'processed' FROM payment_events
         WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
      values: [
        event.id,
        event.type,
        event.apiVersion,
        event.livemode,
        event.created,
        JSON.stringify(event.payload),
        event.status,
        event.paymentIntentId,
        event.orderId,
      ],
    });
    return rows[0] ?? { stored: false, processed: false };
  }

  async markProcessed(id: string, at = new Date()): Promise<void> {
    await sqlOf(this.db).query({
      name: 'borderline.payment-event-processed',
      text: `UPDATE payment_events SET status = 'processed', processed_at = $2 WHERE id = $1 AND status = 'received'`,
      values: [id, at],
    });
  }
}
