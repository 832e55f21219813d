import type { Money } from '../money/types';

/**
 * Where an order is. The happy path runs top to bottom; `rejected` means nothing was charged and
 * nothing is left to undo; `cancelled` and `failed` mean the steps already done were undone.
 */
export const ORDER_STATUSES = [
  'received',
  'screening',
  'awaiting_review',
  'authorizing',
  'declaring',
  'awaiting_customs_correction',
  'buying_label',
  'capturing',
  'awaiting_handover',
  'in_transit',
  'delivery_exception',
  'delivered',
  'returned',
  'completed',
  'rejected',
  'cancelling',
  'cancelled',
  'compensating',
  'failed',
  'needs_attention',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses an order never leaves (its workflow has ended or is about to). */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'completed',
  'rejected',
  'cancelled',
  'failed',
]);

/** The saga's steps and their compensations, as they appear on the timeline. */
export const ORDER_STEPS = [
  'lock_quote',
  'screen',
  'review',
  'authorize',
  'declare',
  'customs_correction',
  'buy_label',
  'capture',
  'track',
  'post_ledger',
  'refund_window',
  'refund',
  'void_label',
  'void_declaration',
  'cancel_authorization',
  'refund_capture',
] as const;
export type OrderStep = (typeof ORDER_STEPS)[number];

export interface PostalAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  country: string;
}

export interface Customer {
  name: string;
  email: string;
  phone?: string;
}

/** Business deadlines, in milliseconds; configurable so tests run them in seconds. */
export interface OrderTimings {
  /** How long an order held for compliance review or a customs correction waits for support. */
  reviewTimeoutMs: number;
  /** Capture must happen within this time after authorisation (before the authorisation expires). */
  captureDeadlineMs: number;
  /** How long to wait for the carrier to take the parcel, then for delivery, before flagging it. */
  deliveryTimeoutMs: number;
  /** How long a delivered order stays open for refunds before it completes. */
  refundWindowMs: number;
  /** How long a customs declaration may stay pending at the broker. */
  declarationTimeoutMs: number;
  /** Attempts of a compensation before the order goes to needs_attention. */
  compensationAttempts: number;
  /**
   * How long the carrier's tracking webhooks may be silent before its tracking list is read
   * (orders placed before this setting existed use 6 hours).
   */
  trackingPollMs?: number;
}

/** What the order workflow is started with (the checkout service's POST /v1/orders, validated). */
export interface OrderWorkflowInput {
  orderId: string;
  quoteId: string;
  merchantId: string;
  customer: Customer;
  shippingAddress: PostalAddress;
  paymentMethodId: string;
  /** SHA-256 of the canonical request: the same order id with another body is refused. */
  requestHash: string;
  /** API key id of the caller that placed the order. */
  placedBy: string;
  timings: OrderTimings;
}

export interface TimelineEntry {
  step: OrderStep;
  status: 'running' | 'done' | 'failed' | 'compensated' | 'skipped';
  startedAt: string;
  endedAt?: string;
  attempts: number;
  error?: { code: string; message: string };
  detail?: string;
}

export interface OrderAmounts {
  currency: string;
  /** What the shopper is charged: the quote's amount to charge now, exactly. */
  charge: Money;
  goods: Money;
  shipping: Money;
  duties: Money;
  taxes: Money;
  fees: Money;
  /** Duties and taxes the buyer pays the carrier on delivery (DAP), an estimate. */
  dueOnDelivery: Money;
  authorized?: Money;
  captured?: Money;
  refunded?: Money;
}

export interface OrderDeclarationView {
  declarationId: string;
  status: string;
  movementReference?: string;
  issues: { code: string; message: string; lineNumber?: number }[];
}

export interface OrderLabelView {
  shipmentId: string;
  labelId: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  labelUrl: string;
  cost: Money;
}

export interface OrderTrackingView {
  status: string;
  lastEventAt?: string;
  handedOverAt?: string;
  deliveredAt?: string;
  events: { eventId: string; status: string; occurredAt: string; description: string }[];
}

export interface OrderProblem {
  step: OrderStep;
  code: string;
  message: string;
  at: string;
}

/** What support and checkout see of an order (query `orderView`, or the projection once closed). */
export interface OrderView {
  orderId: string;
  quoteId: string;
  merchantId: string;
  status: OrderStatus;
  currentStep: OrderStep | null;
  amounts: OrderAmounts | null;
  shipToCountry: string;
  paymentIntentId?: string;
  declaration?: OrderDeclarationView;
  label?: OrderLabelView;
  tracking?: OrderTrackingView;
  /** Payment provider events about this order (Stripe webhooks), each once. */
  paymentEvents?: { eventId: string; type: string; occurredAt: string }[];
  /** Why the order is rejected, cancelled, failed or needs attention. */
  outcome?: { reason: string; code?: string };
  lastError?: OrderProblem;
  /** The next business deadline and what happens then. */
  nextDeadline?: { at: string; what: string };
  /** A compensation that keeps failing: support fixes the cause, then POST /retry. */
  attention?: OrderProblem;
  placedAt: string;
  updatedAt: string;
}

/** An order as GET /v1/orders lists it: its projection row (PostgreSQL), not the workflow. */
export interface OrderSummary {
  orderId: string;
  merchantId: string;
  status: string;
  currentStep: string | null;
  needsAttention: boolean;
  currency: string;
  total: { amount: number; currency: string };
  shipToCountry: string;
  placedAt: string;
  updatedAt: string;
}
