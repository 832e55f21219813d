// The order workflow's state: status, timeline and what support sees. Deterministic (the time
// comes from the workflow clock), no I/O.
import type { PaymentEventNotice } from '../src/domain/orders/messages';
import {
  applyTrackingEvent,
  INITIAL_TRACKING_STATE,
  type TrackingEvent,
  type TrackingState,
} from '../src/domain/shipping/tracking';
import type {
  OrderAmounts,
  OrderDeclarationView,
  OrderLabelView,
  OrderProblem,
  OrderStatus,
  OrderStep,
  OrderView,
  OrderWorkflowInput,
  TimelineEntry,
} from '../src/domain/orders/types';

export class OrderRecord {
  status: OrderStatus = 'received';
  currentStep: OrderStep | null = null;
  amounts: OrderAmounts | null = null;
  shipToCountry = '';
  paymentIntentId: string | undefined;
  declaration: OrderDeclarationView | undefined;
  label: OrderLabelView | undefined;
  tracking: TrackingState = INITIAL_TRACKING_STATE;
  readonly paymentEvents: PaymentEventNotice[] = [];
  outcome: { reason: string; code?: string } | undefined;
  lastError: OrderProblem | undefined;
  attention: OrderProblem | undefined;
  nextDeadline: { at: string; what: string } | undefined;
  readonly timeline: TimelineEntry[] = [];
  readonly placedAt: string;
  updatedAt: string;
  /** Bumped on every change; the PostgreSQL projection keeps only the newest. */
  version = 0;

  constructor(
    readonly input: OrderWorkflowInput,
    private readonly now: () => Date,
  ) {
    this.placedAt = now().toISOString();
    this.updatedAt = this.placedAt;
  }

  private touch(): void {
    this.updatedAt = this.now().toISOString();
    this.version += 1;
  }

  setStatus(status: OrderStatus): void {
    this.status = status;
    this.touch();
  }

  startStep(step: OrderStep, detail?: string): TimelineEntry {
    const entry: TimelineEntry = {
      step,
      status: 'running',
      startedAt: this.now().toISOString(),
      attempts: 1,
      ...(detail ? { detail } : {}),
    };
    this.timeline.push(entry);
    this.currentStep = step;
    this.touch();
    return entry;
  }

  endStep(entry: TimelineEntry, status: TimelineEntry['status'], detail?: string): void {
    entry.status = status;
    entry.endedAt = this.now().toISOString();
    if (detail) entry.detail = detail;
    this.touch();
  }

  failStep(entry: TimelineEntry, error: { code: string; message: string }, attempts: number): void {
    entry.error = error;
    entry.attempts = attempts;
    this.lastError = {
      step: entry.step,
      code: error.code,
      message: error.message,
      at: this.now().toISOString(),
    };
    this.endStep(entry, 'failed');
  }

  /**
   * Adds a carrier event (webhooks come twice and out of order: the fold ignores repeats and
   * orders events by when they happened). Events of another shipment than this order's label
   * are ignored. Returns whether the tracking state changed.
   */
  addTrackingEvent(event: TrackingEvent): boolean {
    if (this.label && event.shipmentId !== this.label.shipmentId) return false;
    const next = applyTrackingEvent(this.tracking, event);
    if (next === this.tracking) return false;
    this.tracking = next;
    this.touch();
    return true;
  }

  /** Records a payment provider event once (redeliveries share the event id). */
  recordPaymentEvent(notice: PaymentEventNotice): void {
    if (this.paymentEvents.some((known) => known.eventId === notice.eventId)) return;
    this.paymentEvents.push(notice);
    this.touch();
  }

  setDeadline(at: Date | undefined, what = ''): void {
    this.nextDeadline = at ? { at: at.toISOString(), what } : undefined;
    this.touch();
  }

  view(): OrderView {
    return {
      orderId: this.input.orderId,
      quoteId: this.input.quoteId,
      merchantId: this.input.merchantId,
      status: this.status,
      currentStep: this.currentStep,
      amounts: this.amounts,
      shipToCountry: this.shipToCountry || this.input.shippingAddress.country,
      ...(this.paymentIntentId ? { paymentIntentId: this.paymentIntentId } : {}),
      ...(this.declaration ? { declaration: this.declaration } : {}),
      ...(this.label ? { label: this.label } : {}),
      ...(this.tracking.status
        ? {
            tracking: {
              status: this.tracking.status,
              ...(this.tracking.lastEventAt ? { lastEventAt: this.tracking.lastEventAt } : {}),
              ...(this.tracking.handedOverAt ? { handedOverAt: this.tracking.handedOverAt } : {}),
              ...(this.tracking.deliveredAt ? { deliveredAt: this.tracking.deliveredAt } : {}),
              events: this.tracking.events.map((e) => ({
                eventId: e.eventId,
                status: e.status,
                occurredAt: e.occurredAt,
                description: e.description,
              })),
            },
          }
        : {}),
      ...(this.paymentEvents.length
        ? {
            paymentEvents: this.paymentEvents.map(({ eventId, type, occurredAt }) => ({
              eventId,
              type,
              occurredAt,
            })),
          }
        : {}),
      ...(this.outcome ? { outcome: this.outcome } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.nextDeadline ? { nextDeadline: this.nextDeadline } : {}),
      ...(this.attention ? { attention: this.attention } : {}),
      placedAt: this.placedAt,
      updatedAt: this.updatedAt,
    };
  }
}
