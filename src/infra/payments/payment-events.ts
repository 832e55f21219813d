import type Stripe from 'stripe';
import type { PaymentProviderEvent } from '../../domain/payments';
import type { Prisma } from '../../generated/prisma/client';
import type { Database } from '../database';
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
   * concurrent delivery of the same event); true when this call stored it.
   */
  insertOnce(event: NewPaymentEvent): Promise<boolean>;
  /** Whether the event was handed over to the business already (status processed). */
  isProcessed(id: string): Promise<boolean>;
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

export class PrismaPaymentEventStore implements PaymentEventStore {
  constructor(private readonly db: Database) {}

  async insertOnce(event: NewPaymentEvent): Promise<boolean> {
    // INSERT ... ON CONFLICT DO NOTHING: of two concurrent deliveries, one inserts and the other
    // waits for it, then inserts nothing.
    const { count } = await this.db.paymentEvent.createMany({
      data: [
        {
          id: event.id,
          type: event.type,
          apiVersion: event.apiVersion,
          livemode: event.livemode,
          created: event.created,
          payload: event.payload as unknown as Prisma.InputJsonObject,
          status: event.status,
          paymentIntentId: event.paymentIntentId,
          orderId: event.orderId,
        },
      ],
      skipDuplicates: true,
    });
    return count === 1;
  }

  async isProcessed(id: string): Promise<boolean> {
    const row = await this.db.paymentEvent.findUnique({ where: { id }, select: { status: true } });
    return row?.status === 'processed';
  }

  async markProcessed(id: string, at = new Date()): Promise<void> {
    await this.db.paymentEvent.updateMany({
      where: { id, status: 'received' },
      data: { status: 'processed', processedAt: at },
    });
  }
}
