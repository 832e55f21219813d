import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TrackingEvent } from '../shipping/tracking';
import type { Money } from '../money/types';
import type { OrderView, TimelineEntry } from './types';

/**
 * The order workflow's messages, shared by the workflow (handlers) and the API (callers).
 * Signals carry facts from outside (carrier scans, payment events); updates carry decisions
 * the caller waits on (cancel, review, retry); queries read the workflow's state.
 */

export const orderViewQuery = defineQuery<OrderView>('orderView');
export const orderTimelineQuery = defineQuery<TimelineEntry[]>('orderTimeline');

/** A carrier tracking event, delivered by the carrier webhook (duplicated and out of order). */
export const carrierTrackingSignal = defineSignal<[TrackingEvent]>('carrierTracking');

/** A payment provider event about this order's payment (Stripe webhook), deduplicated by id. */
export interface PaymentEventNotice {
  eventId: string;
  type: string;
  occurredAt: string;
  paymentIntentId?: string;
}
export const paymentEventSignal = defineSignal<[PaymentEventNotice]>('paymentEvent');

export interface CancelOrderRequest {
  reason: string;
  requestedBy: string;
}
/** Support cancels an order not yet handed over to the carrier; answers once it is undone. */
export const cancelOrderUpdate = defineUpdate<OrderView, [CancelOrderRequest]>('cancel');

export interface ReviewDecision {
  decision: 'approve' | 'reject';
  note: string;
  reviewedBy: string;
  /** For a customs correction: the lines to declare differently when filing again. */
  corrections?: { lineNumber: number; description?: string; hsCode?: string }[];
}
/** Support decides on an order held for compliance review or a customs correction. */
export const reviewOrderUpdate = defineUpdate<OrderView, [ReviewDecision]>('review');

export interface RetryRequest {
  requestedBy: string;
}
/** Support has fixed what made a compensation fail: run it again. */
export const retryOrderUpdate = defineUpdate<OrderView, [RetryRequest]>('retry');

export interface RefundRequest {
  /** Our id of the refund (derived from the caller's Idempotency-Key): the same id refunds once. */
  refundId: string;
  amount: Money;
  reason: 'duplicate' | 'fraudulent' | 'requested_by_customer';
  note?: string;
  requestedBy: string;
}

export interface RefundResult {
  refundId: string;
  orderId: string;
  amount: Money;
  status: string;
  providerRefundId: string;
  /** All refunds of the order so far, this one included. */
  refunded: Money;
  /** What can still be refunded. */
  refundable: Money;
}

/**
 * Finance refunds part or all of a captured order. The workflow keeps the sum of refunds at most
 * the captured amount (two refunds at once never exceed it), refunds through the payment
 * provider and posts the reversing ledger entry.
 */
export const refundOrderUpdate = defineUpdate<RefundResult, [RefundRequest]>('refund');
