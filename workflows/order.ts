// The order saga: one durable workflow per order (id `order-<orderId>`). Each step is an
// activity; a step that succeeds registers its compensation at once, and when the order cannot
// go on (refused, cancelled, failed) the compensations run newest first. A compensation that
// keeps failing is never swallowed: the order waits in `needs_attention` for support's retry.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { OrderActivities } from '../activities/orders';
import type { LedgerCapture, LockedQuote } from '../src/domain/orders/ports';
import {
  cancelOrderUpdate,
  carrierTrackingSignal,
  orderTimelineQuery,
  orderViewQuery,
  paymentEventSignal,
  retryOrderUpdate,
  reviewOrderUpdate,
  type CancelOrderRequest,
  type RetryRequest,
  refundOrderUpdate,
  type RefundRequest,
  type RefundResult,
  type ReviewDecision,
} from '../src/domain/orders/messages';
import { formatMoney } from '../src/domain/money/money';
import type { Money } from '../src/domain/money/types';
import {
  FINAL_STATUSES,
  type OrderStatus,
  type OrderStep,
  type OrderView,
  type OrderWorkflowInput,
} from '../src/domain/orders/types';
import { handedOver, trackingFinished } from '../src/domain/shipping/tracking';
import { OrderRecord } from './order-record';
import {
  compensationStep,
  DATABASE_STEP,
  DEFAULT_TRACKING_POLL_MS,
  PARTNER_STEP,
  PAYMENT_STEP,
  PROJECTION_WRITE,
  TRACKING_READ,
} from './order-policies';

/** Why the saga stops before the end; decides the final status. */
class OrderStop extends Error {
  constructor(
    readonly kind: 'rejected' | 'cancelled' | 'failed',
    readonly reason: string,
    readonly code: string,
  ) {
    super(reason);
  }
}

interface Compensation {
  step: OrderStep;
  run(): Promise<unknown>;
}

/** Codes that mean "the business said no" rather than "something broke". */
const REFUSALS = new Set([
  'PAYMENT_DECLINED',
  'PAYMENT_REJECTED',
  'QUOTE_EXPIRED',
  'QUOTE_UNAVAILABLE',
  'VALIDATION_FAILED',
  'BUSINESS_RULE_VIOLATION',
  'NOT_FOUND',
  'CONFLICT',
]);

export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderView> {
  const order = new OrderRecord(input, () => new Date());
  const { timings } = input;
  const db = proxyActivities<OrderActivities>(DATABASE_STEP);
  // Orders started since this change write their projection with a local activity; older
  // histories scheduled it on the task queue and replay so.
  const projection = patched('projection-local-activity')
    ? proxyLocalActivities<OrderActivities>(PROJECTION_WRITE)
    : db;
  const payments = proxyActivities<OrderActivities>(PAYMENT_STEP);
  const undo = proxyActivities<OrderActivities>(compensationStep(timings.compensationAttempts));
  const tracker = proxyActivities<OrderActivities>(TRACKING_READ);
  const compensations: Compensation[] = [];
  /** Activities retried until `deadline` (epoch ms) at the latest. */
  const until = (deadline: number, options: ActivityOptions) =>
    proxyActivities<OrderActivities>({
      ...options,
      scheduleToCloseTimeout: Math.max(deadline - Date.now(), 1_000),
    });

  let cancelRequest: CancelOrderRequest | undefined;
  let cancelRefused: string | undefined;
  let decision: ReviewDecision | undefined;
  let retries = 0;
  let compensationRuns = 0;

  const currentDecision = (): ReviewDecision | undefined => decision;
  // Refunds (finance): accepted once captured, until the refund window closes.
  let ledgerCapture: LedgerCapture | undefined;
  let refundsOpen = true;
  let refundsInFlight = 0;
  let refundReserved = 0;
  const refunds = new Map<string, { request: RefundRequest; result?: RefundResult; failed?: unknown }>();
  const refundable = (): Money => {
    const captured = order.amounts?.captured;
    const currency = order.amounts?.currency ?? '';
    if (!captured) return { amount: 0, currency };
    return { amount: captured.amount - (order.amounts?.refunded?.amount ?? 0) - refundReserved, currency };
  };
  const settled = () => FINAL_STATUSES.has(order.status) || order.status === 'needs_attention';

  setHandler(orderViewQuery, () => order.view());
  setHandler(orderTimelineQuery, () => order.timeline);
  setHandler(carrierTrackingSignal, (event) => {
    order.addTrackingEvent(event);
  });
  setHandler(paymentEventSignal, (notice) => {
    order.recordPaymentEvent(notice);
  });

  setHandler(
    cancelOrderUpdate,
    async (request) => {
      cancelRequest ??= request;
      await condition(() => settled() || cancelRefused !== undefined);
      if (cancelRefused) throw conflict(cancelRefused);
      return order.view();
    },
    {
      validator: (_request: CancelOrderRequest) => {
        if (FINAL_STATUSES.has(order.status)) throw conflict(`the order is already ${order.status}`);
        if (handedOver(order.tracking)) {
          throw conflict(
            `the parcel was handed over to the carrier at ${order.tracking.handedOverAt}; it can no longer be cancelled (refund it instead)`,
          );
        }
      },
    },
  );

  setHandler(
    reviewOrderUpdate,
    async (request) => {
      const heldIn = order.status;
      decision = request;
      await condition(() => order.status !== heldIn);
      return order.view();
    },
    {
      validator: (_request: ReviewDecision) => {
        if (order.status !== 'awaiting_review' && order.status !== 'awaiting_customs_correction') {
          throw conflict(`the order is ${order.status}, not waiting for a review`);
        }
      },
    },
  );

  setHandler(
    retryOrderUpdate,
    async () => {
      const before = compensationRuns;
      retries += 1;
      await condition(() => compensationRuns > before);
      return order.view();
    },
    {
      validator: (_request: RetryRequest) => {
        if (order.status !== 'needs_attention')
          throw conflict(`the order is ${order.status}; nothing to retry`);
      },
    },
  );

  setHandler(
    refundOrderUpdate,
    async (request) => {
      const known = refunds.get(request.refundId);
      if (known) {
        // The same refund asked again (a retried request): answer with its outcome.
        await condition(() => known.result !== undefined || known.failed !== undefined);
        if (known.result) return known.result;
        throw known.failed;
      }
      const record: { request: RefundRequest; result?: RefundResult; failed?: unknown } = { request };
      refunds.set(request.refundId, record);
      refundReserved += request.amount.amount;
      refundsInFlight += 1;
      // A refund runs beside the saga: the saga's current step stays what it was.
      const sagaStep = order.currentStep;
      const entry = order.startStep('refund');
      try {
        const refund = await payments.refundPayment({
          paymentIntentId: order.paymentIntentId!,
          refundId: request.refundId,
          amount: request.amount,
          reason: request.reason,
        });
        refundReserved -= request.amount.amount;
        order.amounts = { ...order.amounts!, refunded: sum(order.amounts!.refunded, request.amount) };
        entry.attempts = refund.attempt;
        order.endStep(
          entry,
          'done',
          `${formatAmount(request.amount)} by ${request.requestedBy}: ${request.reason}`,
        );
        if (ledgerCapture) {
          const capture = ledgerCapture;
          await untilDone(
            'post_ledger',
            () =>
              db.postRefundToLedger({
                capture,
                refundId: request.refundId,
                amount: request.amount,
                occurredAt: new Date().toISOString(),
              }),
            'done',
          );
        }
        order.currentStep = sagaStep;
        await enter(order.status);
        record.result = {
          refundId: request.refundId,
          orderId: input.orderId,
          amount: request.amount,
          status: refund.status,
          providerRefundId: refund.providerRefundId,
          refunded: order.amounts.refunded!,
          refundable: refundable(),
        };
        return record.result;
      } catch (error) {
        refundReserved -= request.amount.amount;
        refunds.delete(request.refundId);
        const failure = describe(error);
        order.failStep(entry, failure, failure.attempt);
        order.currentStep = sagaStep;
        record.failed = ApplicationFailure.create({
          type: failure.code,
          message: failure.message,
          nonRetryable: true,
          details: [{ field: 'amount', details: null }],
        });
        throw record.failed;
      } finally {
        refundsInFlight -= 1;
      }
    },
    {
      validator: (request: RefundRequest) => {
        if (refunds.has(request.refundId)) {
          const known = refunds.get(request.refundId)!.request;
          if (
            known.amount.amount !== request.amount.amount ||
            known.amount.currency !== request.amount.currency
          ) {
            throw failure(
              'IDEMPOTENCY_KEY_REUSED',
              'this refund was asked before with another amount',
              'idempotency-key',
            );
          }
          return;
        }
        if (!refundsOpen || FINAL_STATUSES.has(order.status)) {
          throw conflict(`the order is ${order.status}; its refund window is closed`);
        }
        if (!order.amounts?.captured)
          throw conflict(`the order is ${order.status}: nothing has been captured to refund`);
        if (['cancelling', 'compensating', 'needs_attention'].includes(order.status)) {
          throw conflict(`the order is ${order.status}: its payment is being undone`);
        }
        if (request.amount.currency !== order.amounts.currency) {
          throw failure(
            'VALIDATION_FAILED',
            `the order was paid in ${order.amounts.currency}`,
            'amount.currency',
          );
        }
        if (!Number.isSafeInteger(request.amount.amount) || request.amount.amount <= 0) {
          throw failure(
            'VALIDATION_FAILED',
            'a refund is a positive whole number of minor units',
            'amount.amount',
          );
        }
        const left = refundable();
        if (request.amount.amount > left.amount) {
          throw failure(
            'BUSINESS_RULE_VIOLATION',
            `only ${formatAmount(left)} is left to refund on this order`,
            'amount.amount',
            { refundable: left },
          );
        }
      },
    },
  );

  // --- helpers -------------------------------------------------------------------------------

  async function enter(status: OrderStatus): Promise<void> {
    order.setStatus(status);
    upsertSearchAttributes({ OrderStatus: [status] });
    await projection.recordOrder({ view: order.view(), timeline: order.timeline, version: order.version });
  }

  async function step<T extends { attempt: number }>(name: OrderStep, action: () => Promise<T>): Promise<T> {
    const entry = order.startStep(name);
    try {
      const result = await action();
      entry.attempts = result.attempt;
      order.endStep(entry, 'done');
      return result;
    } catch (error) {
      const failure = describe(error);
      order.failStep(entry, failure, failure.attempt);
      throw REFUSALS.has(failure.code)
        ? new OrderStop('rejected', failure.message, failure.code)
        : new OrderStop('failed', `${name} failed: ${failure.message}`, failure.code);
    }
  }

  /** Stops the saga if support asked to cancel (checked between steps). */
  function checkpoint(): void {
    if (cancelRequest) throw new OrderStop('cancelled', cancelRequest.reason, 'CANCELLED');
  }

  /** Holds the order for a support decision; returns it, or rejects the order on timeout. */
  async function holdForSupport(status: OrderStatus, stepName: OrderStep, what: string, latest?: number) {
    decision = undefined;
    const timeoutAt = Math.min(Date.now() + timings.reviewTimeoutMs, latest ?? Infinity);
    order.setDeadline(new Date(timeoutAt), `${what} times out and the order is rejected`);
    await enter(status);
    const entry = order.startStep(stepName);
    const answered = await condition(
      () => decision !== undefined || cancelRequest !== undefined,
      timeoutAt - Date.now(),
    );
    order.setDeadline(undefined);
    checkpoint();
    // Read through a function: the handler sets `decision` while this function awaits.
    const made = currentDecision();
    if (!answered || !made) {
      order.endStep(entry, 'failed', 'no decision before the deadline');
      throw new OrderStop('rejected', `${what} was not decided before the deadline`, 'REVIEW_TIMEOUT');
    }
    order.endStep(
      entry,
      made.decision === 'approve' ? 'done' : 'failed',
      `${made.decision} by ${made.reviewedBy}: ${made.note}`,
    );
    if (made.decision === 'reject')
      throw new OrderStop('rejected', `${what} rejected: ${made.note}`, 'REVIEW_REJECTED');
    return made;
  }

  async function declare(quote: LockedQuote, captureBy: number) {
    let lines = quote.lines;
    for (let version = 1; ; version += 1) {
      await enter('declaring');
      let declaration = await step('declare', () =>
        until(captureBy, PARTNER_STEP).submitDeclaration({
          orderId: input.orderId,
          version,
          quote,
          lines,
          importer: input.shippingAddress,
        }),
      );
      order.declaration = declaration.view;
      // Filed: from now on, undoing the order voids it (unless customs refuses it below).
      const undoFiling = voidDeclaration(declaration.view.declarationId);
      compensations.push(undoFiling);
      // The broker decides asynchronously: poll with backoff until it does, within the timeout.
      const giveUpAt = Math.min(Date.now() + timings.declarationTimeoutMs, captureBy);
      let wait = 500;
      while (declaration.view.status === 'pending') {
        if (Date.now() >= giveUpAt) {
          throw new OrderStop('failed', 'the customs broker did not decide in time', 'DECLARATION_TIMEOUT');
        }
        await condition(() => cancelRequest !== undefined, Math.min(wait, giveUpAt - Date.now()));
        checkpoint();
        wait = Math.min(wait * 2, 30_000);
        declaration = await until(captureBy, PARTNER_STEP).getDeclaration({
          declarationId: declaration.view.declarationId,
        });
        order.declaration = declaration.view;
      }
      if (declaration.view.status !== 'accepted') compensations.splice(compensations.indexOf(undoFiling), 1);
      const status = declaration.view.status;
      if (status === 'accepted') return declaration.view;
      const issues = declaration.view.issues.map((i) => i.message).join('; ');
      if (status === 'rejected')
        throw new OrderStop('rejected', `customs declaration rejected: ${issues}`, 'DECLARATION_REJECTED');
      // correction_requested: support corrects the lines (or rejects), then we file again.
      const made = await holdForSupport(
        'awaiting_customs_correction',
        'customs_correction',
        `The customs correction (${issues})`,
        captureBy,
      );
      lines = lines.map((line) => {
        const fix = made.corrections?.find((c) => c.lineNumber === line.lineNumber);
        return fix
          ? {
              ...line,
              ...(fix.description ? { description: fix.description } : {}),
              ...(fix.hsCode ? { hsCode: fix.hsCode } : {}),
            }
          : line;
      });
    }
  }

  function voidDeclaration(declarationId: string): Compensation {
    return {
      step: 'void_declaration',
      run: () => undo.voidDeclaration({ orderId: input.orderId, declarationId }),
    };
  }

  async function followShipment(deliverBy: number): Promise<'delivered' | 'returned'> {
    const entry = order.startStep('track');
    // Webhooks can be lost: when they have been silent for this long, the carrier's tracking list
    // is read. Orders whose history predates the patch wait for webhooks alone.
    const pollEvery = patched('tracking-poll')
      ? (timings.trackingPollMs ?? DEFAULT_TRACKING_POLL_MS)
      : undefined;
    let flagged = false;
    for (;;) {
      // Read the version first: an event that arrives while this loop awaits is never missed.
      const seen = order.version;
      const tracking = order.tracking;
      if (trackingFinished(tracking)) {
        const ended = tracking.progress === 'returned' ? 'returned' : 'delivered';
        order.endStep(entry, 'done', ended);
        return ended;
      }
      const next: OrderStatus = !handedOver(tracking)
        ? 'awaiting_handover'
        : tracking.status === 'exception'
          ? 'delivery_exception'
          : 'in_transit';
      if (next !== order.status) {
        await enter(next);
        continue;
      }
      if (cancelRequest && !handedOver(tracking)) checkpoint();
      if (cancelRequest && handedOver(tracking) && !cancelRefused) {
        cancelRefused = `the parcel was handed over to the carrier at ${tracking.handedOverAt}; it can no longer be cancelled`;
      }
      const remaining = deliverBy - Date.now();
      const untilDeadline = remaining > 0 ? remaining : 24 * 3600_000;
      const changed = await condition(
        () => order.version !== seen || (cancelRequest !== undefined && !cancelRefused),
        pollEvery === undefined ? untilDeadline : Math.min(untilDeadline, pollEvery),
      );
      if (!changed && pollEvery !== undefined) {
        await readTrackingList();
        if (order.version !== seen || Date.now() < deliverBy) continue;
      }
      if (!changed && !flagged) {
        flagged = true;
        order.attention = {
          step: 'track',
          code: handedOver(order.tracking) ? 'NOT_DELIVERED' : 'NOT_HANDED_OVER',
          message: handedOver(order.tracking)
            ? 'the parcel has not been delivered by the delivery deadline'
            : 'the carrier has not taken the parcel by the delivery deadline',
          at: new Date().toISOString(),
        };
        await enter(order.status);
      }
    }
  }

  /** Applies the carrier's tracking list; a carrier that does not answer is asked next time. */
  async function readTrackingList(): Promise<void> {
    const shipmentId = order.label?.shipmentId;
    if (!shipmentId) return;
    try {
      const { events } = await tracker.trackShipment({ shipmentId });
      for (const event of events) order.addTrackingEvent(event);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
    }
  }

  /**
   * Runs a step that must not be given up (a compensation, the ledger posting): when it fails
   * for good, the order waits in `needs_attention` with the step and its error until support
   * fixes the cause and asks for a retry; then it runs again.
   */
  async function untilDone(
    name: OrderStep,
    action: () => Promise<unknown>,
    doneAs: 'done' | 'compensated',
  ): Promise<void> {
    for (;;) {
      const entry = order.startStep(name);
      try {
        const result = (await action()) as { attempt?: number } | undefined;
        entry.attempts = result?.attempt ?? 1;
        order.endStep(entry, doneAs);
        order.attention = undefined;
        compensationRuns += 1;
        return;
      } catch (error) {
        const failure = describe(error);
        order.failStep(entry, failure, failure.attempt);
        order.attention = {
          step: name,
          code: failure.code,
          message: failure.message,
          at: new Date().toISOString(),
        };
        const resumeAs = order.status;
        const seen = retries;
        compensationRuns += 1;
        await enter('needs_attention');
        await condition(() => retries > seen);
        await enter(resumeAs);
      }
    }
  }

  /** Runs the compensations newest first, each until it succeeds. */
  async function compensate(): Promise<void> {
    while (compensations.length > 0) {
      const compensation = compensations[compensations.length - 1]!;
      await untilDone(compensation.step, compensation.run, 'compensated');
      compensations.pop();
    }
  }

  async function finish(status: OrderStatus, reason?: string, code?: string): Promise<OrderView> {
    refundsOpen = false;
    order.currentStep = null;
    if (reason) order.outcome = { reason, ...(code ? { code } : {}) };
    order.setDeadline(undefined);
    await enter(status);
    // Handlers waiting for this final status (cancel, review) answer before the workflow ends.
    await condition(allHandlersFinished);
    return order.view();
  }

  // --- the saga ------------------------------------------------------------------------------

  try {
    const quote = await step('lock_quote', () => db.lockQuote({ ...input, placedAt: order.placedAt }));
    order.amounts = quote.amounts;
    order.shipToCountry = quote.shipTo.country;
    await enter('screening');

    const screening = await step('screen', () =>
      db.screenOrder({
        orderId: input.orderId,
        quote,
        customer: input.customer,
        shippingAddress: input.shippingAddress,
      }),
    );
    if (screening.decision === 'BLOCK') {
      throw new OrderStop(
        'rejected',
        `compliance screening blocked the order: ${screening.reasons.join('; ')}`,
        'COMPLIANCE_BLOCKED',
      );
    }
    if (screening.decision === 'REVIEW') {
      await holdForSupport(
        'awaiting_review',
        'review',
        `The compliance review (${screening.reasons.join('; ')})`,
      );
    }
    checkpoint();

    await enter('authorizing');
    const authorization = await step('authorize', () =>
      payments.authorizePayment({
        orderId: input.orderId,
        amount: quote.amounts.charge,
        paymentMethodId: input.paymentMethodId,
      }),
    );
    order.paymentIntentId = authorization.paymentIntentId;
    order.amounts = { ...quote.amounts, authorized: authorization.authorized };
    let captured = false;
    // Action and compensation side by side: an authorisation is cancelled, a capture refunded.
    compensations.push({
      step: 'cancel_authorization',
      run: async () => {
        const left = refundable();
        if (captured && left.amount === 0) return { attempt: 1 }; // refunded in full already
        const released = await undo.releasePayment({
          orderId: input.orderId,
          paymentIntentId: authorization.paymentIntentId,
          captured,
          amount: captured ? left : quote.amounts.charge,
        });
        if (released.released === 'refunded') {
          order.amounts = { ...order.amounts!, refunded: sum(order.amounts!.refunded, left) };
          if (ledgerCapture) {
            await undo.postRefundToLedger({
              capture: ledgerCapture,
              refundId: released.refundId,
              amount: left,
              occurredAt: new Date().toISOString(),
            });
          }
        }
        return released;
      },
    });
    const captureBy = Date.now() + timings.captureDeadlineMs;
    order.setDeadline(new Date(captureBy), 'capture before the authorisation expires, else the order fails');
    checkpoint();

    await declare(quote, captureBy);
    checkpoint();

    await enter('buying_label');
    // The carrier is retried while the authorisation is useful; past that, the order fails.
    const label = await step('buy_label', () =>
      until(captureBy, PARTNER_STEP).buyLabel({
        orderId: input.orderId,
        quote,
        shipTo: input.shippingAddress,
        customer: input.customer,
      }),
    );
    order.label = label.label;
    compensations.push({
      step: 'void_label',
      run: () => undo.voidLabel({ orderId: input.orderId, shipmentId: label.label.shipmentId }),
    });
    checkpoint();

    if (Date.now() >= captureBy) {
      throw new OrderStop(
        'failed',
        'the authorisation would expire before capture',
        'AUTHORIZATION_EXPIRING',
      );
    }
    await enter('capturing');
    const capture = await step('capture', () =>
      until(captureBy, PAYMENT_STEP).capturePayment({
        orderId: input.orderId,
        paymentIntentId: authorization.paymentIntentId,
        amount: quote.amounts.charge,
      }),
    );
    captured = true;
    compensations[0]!.step = 'refund_capture';
    order.amounts = { ...order.amounts, captured: capture.captured };
    const postToLedger = () =>
      untilDone(
        'post_ledger',
        async () => {
          const posted = await db.postOrderToLedger({
            orderId: input.orderId,
            merchantId: input.merchantId,
            quote,
            captured: capture.captured,
            label: label.label,
            occurredAt: new Date().toISOString(),
          });
          ledgerCapture = posted.capture;
          return posted;
        },
        'done',
      );
    // Orders started since this change post the capture when it happens (refunds before delivery
    // then have a capture to reverse); older histories posted after delivery and replay so.
    const ledgerAtCapture = patched('post-ledger-at-capture');
    if (ledgerAtCapture) await postToLedger();
    order.setDeadline(
      new Date(Date.now() + timings.deliveryTimeoutMs),
      'delivery expected; the order is flagged if it has not arrived',
    );
    checkpoint();

    const outcome = await followShipment(Date.now() + timings.deliveryTimeoutMs);
    // The carrier has the parcel: nothing is undone from here (refunds are finance's decision).
    compensations.length = 0;
    await enter(outcome);

    if (!ledgerAtCapture) await postToLedger();
    order.setDeadline(
      new Date(Date.now() + timings.refundWindowMs),
      'the refund window closes and the order completes',
    );
    await enter(outcome);
    const window = order.startStep('refund_window');
    await sleep(timings.refundWindowMs);
    refundsOpen = false;
    await condition(() => refundsInFlight === 0);
    order.endStep(window, 'done');
    return await finish('completed');
  } catch (error) {
    if (!(error instanceof OrderStop)) throw error;
    const stop = error;
    order.lastError ??= {
      step: order.currentStep ?? 'lock_quote',
      code: stop.code,
      message: stop.reason,
      at: new Date().toISOString(),
    };
    if (compensations.length > 0) {
      await enter(stop.kind === 'cancelled' ? 'cancelling' : 'compensating');
      await compensate();
    }
    return await finish(stop.kind, stop.reason, stop.code);
  }
}

function failure(
  code: string,
  message: string,
  field: string,
  details: Record<string, unknown> | null = null,
) {
  return ApplicationFailure.create({
    type: code,
    message,
    nonRetryable: true,
    details: [{ field, details }],
  });
}

function sum(a: Money | undefined, b: Money): Money {
  return { amount: (a?.amount ?? 0) + b.amount, currency: b.currency };
}

/** `12.34 USD`, as people read amounts in messages (the API itself returns minor units). */
function formatAmount(money: Money): string {
  return `${formatMoney(money)} ${money.currency}`;
}

function conflict(message: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'CONFLICT',
    message,
    nonRetryable: true,
    details: [{ field: null, details: null }],
  });
}

function describe(error: unknown): { code: string; message: string; attempt: number } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as { attempt?: number };
    return { code: cause.type ?? 'INTERNAL', message: cause.message, attempt: details.attempt ?? 1 };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'INTERNAL', message, attempt: 1 };
}
