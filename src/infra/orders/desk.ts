import { createHash } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Prisma } from '../../generated/prisma/client';
import {
  cancelOrderUpdate,
  carrierTrackingSignal,
  orderTimelineQuery,
  orderViewQuery,
  paymentEventSignal,
  retryOrderUpdate,
  refundOrderUpdate,
  reviewOrderUpdate,
  type CancelOrderRequest,
  type RefundRequest,
  type RefundResult,
  type PaymentEventNotice,
  type RetryRequest,
  type ReviewDecision,
} from '../../domain/orders/messages';
import { ORDERS_TASK_QUEUE, OrderSearchAttributes, orderWorkflowId } from '../../domain/orders/temporal';
import type {
  Customer,
  OrderStatus,
  OrderSummary,
  OrderTimings,
  OrderView,
  OrderWorkflowInput,
  PostalAddress,
  TimelineEntry,
} from '../../domain/orders/types';
import { quoteStatus, type QuoteForOrder } from '../../domain/quotes';
import type { TrackingEvent } from '../../domain/shipping/tracking';
import { AppError, fromApplicationFailure } from '../../errors';
import type { Database } from '../database';
import { PgQuoteStore } from '../quotes';
import {
  readIdempotencyRecord,
  sweepExpiredIdempotencyRecords,
  writeIdempotencyRecord,
} from './idempotency-records';
import { quotedAmounts } from '../../domain/orders/amounts';

/** What the checkout service sends to place an order (POST /v1/orders, validated). */
export interface PlaceOrderRequest {
  orderId: string;
  quoteId: string;
  customer: Customer;
  shippingAddress: PostalAddress;
  paymentMethodId: string;
}

export interface PlacedOrder {
  /** true: this request started the order (201); false: it already existed (200). */
  created: boolean;
  order: OrderView;
}

export interface OrderFilter {
  status?: OrderStatus[];
  merchantId?: string;
  needsAttention?: boolean;
  /** Orders whose id starts with this. */
  orderIdPrefix?: string;
  /** newest first (default), or needing attention first, then newest. */
  sort?: 'newest' | 'attention';
  placedFrom?: Date;
  placedTo?: Date;
  limit: number;
  cursor?: string;
}

export interface PendingActivity {
  activity: string;
  attempt: number;
  lastFailure?: string;
  nextAttemptAt?: string;
}

const IDEMPOTENCY_SCOPE = 'POST /v1/orders';
const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const QUERY_DEADLINE_MS = 5_000;

/**
 * The order side of the API: places orders (starting one workflow per order id), reads them
 * (the running workflow's query, or the PostgreSQL projection once closed), and hands support's
 * decisions and partners' events to the workflow.
 */
export class OrderDesk {
  private readonly quotes: PgQuoteStore;

  constructor(
    private readonly db: Database,
    private readonly temporal: Client,
    private readonly timings: OrderTimings,
    /** Where order workflows run (tests give each file its own). */
    private readonly taskQueue: string = ORDERS_TASK_QUEUE,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.quotes = new PgQuoteStore(db);
  }

  /**
   * Starts the order's workflow once. The workflow id is the order id and a second start of it
   * fails, so any number of concurrent duplicates share one workflow (and so one PaymentIntent)
   * and are answered with it; the request's hash travels in the workflow's memo, so the same
   * order id with another body is told apart and refused.
   */
  async placeOrder(
    request: PlaceOrderRequest,
    idempotencyKey: string,
    placedBy: string,
  ): Promise<PlacedOrder> {
    const requestHash = hashRequest(request);
    // Two independent reads, in parallel: what this key was first used for, and the quote.
    const [used, found] = await Promise.all([
      this.idempotencyRecord(idempotencyKey, requestHash),
      this.quotes.findForOrder(request.quoteId),
    ]);
    // A retry under the same key goes the way of its first attempt: the workflow id decides
    // whether the order exists (same body: 200 with it; another body for the order id: 409).
    const firstAnswer = used?.order ? () => used.order! : undefined;

    let quote: QuoteForOrder;
    try {
      if (!found)
        throw new AppError('NOT_FOUND', `quote ${request.quoteId} does not exist`, { field: 'quoteId' });
      this.checkQuote(found, request.orderId, request.shippingAddress.country);
      quote = found;
    } catch (error) {
      // The order may exist already (placed under another key or by the first attempt, its quote
      // since expired or used by it): answer with it. Otherwise the quote's refusal stands, and
      // nothing is started or recorded.
      const existing = await this.existingOrder(request.orderId, requestHash, firstAnswer);
      if (existing) {
        if (!used) await this.remember(idempotencyKey, requestHash, existing.order);
        return existing;
      }
      throw error;
    }

    const input: OrderWorkflowInput = {
      ...request,
      merchantId: quote.merchantId,
      requestHash,
      placedBy,
      timings: this.timings,
    };
    const initial = initialView(input, quote, this.now());
    // The key is recorded beside the start, not after it, so a new order waits for the slower of
    // the two rather than for their sum. The record binds the key to this body and order id
    // whatever the start's outcome; a retry under it goes through the start again (above), so a
    // record written for a start that failed, or that found the order taken, answers nothing wrongly.
    const recorded = used ? Promise.resolve() : this.remember(idempotencyKey, requestHash, initial);
    // One call decides, on the server: the workflow id is the order id, and a second start of it
    // fails whether the first is still running (conflict policy FAIL: concurrent duplicates
    // included) or has closed (reuse policy REJECT_DUPLICATE), so one order is one workflow.
    const started = this.temporal.workflow
      .start('orderWorkflow', {
        workflowId: orderWorkflowId(request.orderId),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { requestHash },
        typedSearchAttributes: [
          { key: OrderSearchAttributes.OrderId, value: request.orderId },
          { key: OrderSearchAttributes.MerchantId, value: quote.merchantId },
          { key: OrderSearchAttributes.OrderStatus, value: 'received' },
        ],
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof WorkflowExecutionAlreadyStartedError) return error;
          throw error;
        },
      );
    // Both awaited whatever happens, so neither fails unobserved; the start's error comes first.
    const [start, record] = await Promise.allSettled([started, recorded]);
    if (start.status === 'rejected') throw start.reason;
    if (record.status === 'rejected') throw record.reason;
    const taken = start.value;
    if (!taken) return { created: true, order: initial };
    // This order id is taken: a duplicate (same body: the order, 200; another body: 409).
    const existing = await this.existingOrder(request.orderId, requestHash, firstAnswer ?? (() => initial));
    if (!existing) throw taken;
    return existing;
  }

  /** The order as support sees it: the running workflow's state, or its projection once closed. */
  async getOrder(orderId: string): Promise<OrderView> {
    const row = await this.db.order.findUnique({ where: { id: orderId } });
    if (row?.closedAt && row.view) return row.view as unknown as OrderView;
    try {
      return await this.withDeadline(() => this.handle(orderId).query(orderViewQuery));
    } catch (error) {
      if (row?.view) return row.view as unknown as OrderView;
      throw this.notFoundOr(error, orderId);
    }
  }

  async getTimeline(orderId: string): Promise<{ timeline: TimelineEntry[]; pending: PendingActivity[] }> {
    const row = await this.db.order.findUnique({ where: { id: orderId } });
    if (row?.closedAt && row.timeline)
      return { timeline: row.timeline as unknown as TimelineEntry[], pending: [] };
    try {
      const handle = this.handle(orderId);
      const [timeline, description] = await Promise.all([
        this.withDeadline(() => handle.query(orderTimelineQuery)),
        handle.describe(),
      ]);
      const pending = (description.raw.pendingActivities ?? []).map((activity) => ({
        activity: activity.activityType?.name ?? 'unknown',
        attempt: activity.attempt ?? 1,
        ...(activity.lastFailure?.message ? { lastFailure: activity.lastFailure.message } : {}),
        ...(activity.scheduledTime?.seconds
          ? { nextAttemptAt: new Date(Number(activity.scheduledTime.seconds) * 1000).toISOString() }
          : {}),
      }));
      return { timeline, pending };
    } catch (error) {
      if (row?.timeline) return { timeline: row.timeline as unknown as TimelineEntry[], pending: [] };
      throw this.notFoundOr(error, orderId);
    }
  }

  /** Orders from the projection, newest first, `needs_attention` filterable; keyset pagination. */
  async listOrders(filter: OrderFilter): Promise<{ data: OrderSummary[]; nextCursor: string | null }> {
    const attentionFirst = filter.sort === 'attention';
    const cursor = filter.cursor ? decodeCursor(filter.cursor, attentionFirst) : undefined;
    // Keyset: after the cursor's row in (needsAttention desc,) createdAt desc, id desc.
    const after: Prisma.OrderWhereInput[] = [
      { createdAt: { lt: cursor?.createdAt } },
      { createdAt: cursor?.createdAt, id: { lt: cursor?.id } },
    ];
    const where: Prisma.OrderWhereInput = {
      ...(filter.status?.length ? { status: { in: filter.status } } : {}),
      ...(filter.merchantId ? { merchantId: filter.merchantId } : {}),
      ...(filter.needsAttention !== undefined ? { needsAttention: filter.needsAttention } : {}),
      ...(filter.orderIdPrefix
        ? { id: { startsWith: filter.orderIdPrefix.replace(/[\\%_]/g, (c) => `\\${c}`) } }
        : {}),
      ...(filter.placedFrom || filter.placedTo
        ? {
            createdAt: {
              ...(filter.placedFrom ? { gte: filter.placedFrom } : {}),
              ...(filter.placedTo ? { lt: filter.placedTo } : {}),
            },
          }
        : {}),
      ...(cursor
        ? {
            AND: [
              {
                OR:
                  attentionFirst && cursor.needsAttention !== undefined
                    ? [
                        ...(cursor.needsAttention ? [{ needsAttention: false }] : []),
                        ...after.map((a) => ({ ...a, needsAttention: cursor.needsAttention })),
                      ]
                    : after,
              },
            ],
          }
        : {}),
    };
    const rows = await this.db.order.findMany({
      where,
      orderBy: [
        ...(attentionFirst ? [{ needsAttention: 'desc' as const }] : []),
        { createdAt: 'desc' },
        { id: 'desc' },
      ],
      take: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      data: page.map((row) => ({
        orderId: row.id,
        merchantId: row.merchantId,
        status: row.status,
        currentStep: row.currentStep,
        needsAttention: row.needsAttention,
        currency: row.currency,
        total: { amount: Number(row.totalAmount), currency: row.currency },
        shipToCountry: row.shipToCountry,
        placedAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      })),
      nextCursor:
        rows.length > filter.limit && last
          ? encodeCursor(last.createdAt, last.id, attentionFirst ? last.needsAttention : undefined)
          : null,
    };
  }

  cancel(orderId: string, request: CancelOrderRequest): Promise<OrderView> {
    return this.update(orderId, () =>
      this.handle(orderId).executeUpdate(cancelOrderUpdate, { args: [request] }),
    );
  }

  review(orderId: string, decision: ReviewDecision): Promise<OrderView> {
    return this.update(orderId, () =>
      this.handle(orderId).executeUpdate(reviewOrderUpdate, { args: [decision] }),
    );
  }

  /**
   * Refunds part or all of a captured order through its workflow. The refund's id derives from
   * the caller's Idempotency-Key, so a retried request refunds once.
   */
  async refund(
    orderId: string,
    idempotencyKey: string,
    request: Omit<RefundRequest, 'refundId'>,
  ): Promise<RefundResult> {
    const refundId = `rf_${createHash('sha256').update(`${orderId}:${idempotencyKey}`).digest('hex').slice(0, 24)}`;
    return this.update(
      orderId,
      () => this.handle(orderId).executeUpdate(refundOrderUpdate, { args: [{ ...request, refundId }] }),
      'its refund window is closed',
    );
  }

  retry(orderId: string, request: RetryRequest): Promise<OrderView> {
    return this.update(orderId, () =>
      this.handle(orderId).executeUpdate(retryOrderUpdate, { args: [request] }),
    );
  }

  /** Hands a carrier tracking event to its order's workflow (which ignores repeats). */
  async routeTrackingEvent(orderId: string, event: TrackingEvent): Promise<'delivered' | 'no_such_order'> {
    return this.signal(orderId, () => this.handle(orderId).signal(carrierTrackingSignal, event));
  }

  /** Hands a payment provider event to its order's workflow (which ignores repeats). */
  async routePaymentEvent(
    orderId: string,
    notice: PaymentEventNotice,
  ): Promise<'delivered' | 'no_such_order'> {
    return this.signal(orderId, () => this.handle(orderId).signal(paymentEventSignal, notice));
  }

  // --- internals -----------------------------------------------------------------------------

  /** Queries wait for a worker to answer: bound the wait, then fall back to the projection. */
  private withDeadline<T>(call: () => Promise<T>): Promise<T> {
    return this.temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, call);
  }

  private handle(orderId: string) {
    return this.temporal.workflow.getHandle(orderWorkflowId(orderId));
  }

  private checkQuote(quote: QuoteForOrder, orderId: string, shipToCountry: string): void {
    const status = quoteStatus(quote, this.now());
    if (status === 'CONSUMED' && quote.consumedByOrderId !== orderId) {
      throw new AppError('QUOTE_EXPIRED', `quote ${quote.id} is already used by another order`, {
        field: 'quoteId',
      });
    }
    if (status === 'EXPIRED') {
      throw new AppError('QUOTE_EXPIRED', `quote ${quote.id} expired at ${quote.expiresAt.toISOString()}`, {
        field: 'quoteId',
      });
    }
    if (quote.shipToCountry !== shipToCountry) {
      throw new AppError(
        'BUSINESS_RULE_VIOLATION',
        `the quote was made for delivery to ${quote.shipToCountry}, not ${shipToCountry}`,
        { field: 'shippingAddress.country' },
      );
    }
    if (quote.screeningDecision === 'BLOCK') {
      throw new AppError('BUSINESS_RULE_VIOLATION', `quote ${quote.id} was blocked by compliance screening`, {
        field: 'quoteId',
        details: { reasons: (quote.blockingScreening?.reasons ?? []).map((r) => r.message) },
      });
    }
  }

  /**
   * The order already started under this id: the same body answers with it, another is refused.
   * A duplicate racing the first request may arrive before any worker has run the workflow:
   * then it answers with the order as placed (`fallback`).
   */
  private async existingOrder(
    orderId: string,
    requestHash: string,
    fallback?: () => OrderView,
  ): Promise<PlacedOrder | undefined> {
    let memo: Record<string, unknown>;
    try {
      memo = (await this.handle(orderId).describe()).memo ?? {};
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
    if (memo.requestHash !== requestHash) {
      throw new AppError('CONFLICT', 'an order with this orderId was already placed with a different body', {
        field: 'orderId',
      });
    }
    try {
      return { created: false, order: await this.getOrder(orderId) };
    } catch (error) {
      if (!fallback) throw error;
      return { created: false, order: fallback() };
    }
  }

  /**
   * The record of an earlier use of this key: refused (409) if that use had another body; else
   * what it recorded (the order as first answered), or undefined if the key is new or expired.
   */
  private async idempotencyRecord(
    key: string,
    requestHash: string,
  ): Promise<{ order?: OrderView } | undefined> {
    const record = await readIdempotencyRecord(this.db, IDEMPOTENCY_SCOPE, key);
    if (!record || record.expiresAt <= this.now()) return undefined;
    if (record.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request', {
        field: 'idempotency-key',
      });
    }
    const first = record.responseBody as { order?: OrderView } | null;
    return first?.order ? { order: first.order } : {};
  }

  private async remember(key: string, requestHash: string, order: OrderView): Promise<void> {
    // The order as first placed: what a retry gets if the order cannot be read then.
    const responseBody = JSON.stringify({ orderId: order.orderId, order });
    const now = this.now();
    const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
    await writeIdempotencyRecord(this.db, {
      scope: IDEMPOTENCY_SCOPE,
      key,
      requestHash,
      responseBody,
      createdAt: now,
      expiresAt,
    });
  }

  /**
   * Deletes up to `limit` idempotency records that have expired (any scope), oldest first;
   * returns how many. Safe to run from every API process at once: each row goes once.
   */
  sweepExpiredIdempotencyRecords(limit = 10_000): Promise<number> {
    return sweepExpiredIdempotencyRecords(this.db, this.now(), limit);
  }

  private async update<T>(orderId: string, run: () => Promise<T>, whenClosed = ''): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        throw fromApplicationFailure(error.cause);
      }
      // An update to a workflow that has closed answers "not found": tell the two apart.
      if (error instanceof WorkflowNotFoundError) {
        const closed = await this.handle(orderId)
          .describe()
          .catch(() => undefined);
        if (closed) {
          const view = await this.getOrder(orderId).catch(() => undefined);
          const why = whenClosed ? `; ${whenClosed}` : '';
          throw new AppError(
            'CONFLICT',
            `order ${orderId} has already finished (${view?.status ?? 'closed'})${why}`,
            {
              field: 'id',
            },
          );
        }
      }
      throw this.notFoundOr(error, orderId);
    }
  }

  private async signal(orderId: string, send: () => Promise<void>): Promise<'delivered' | 'no_such_order'> {
    try {
      await send();
      return 'delivered';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'no_such_order';
      throw error;
    }
  }

  private notFoundOr(error: unknown, orderId: string): unknown {
    if (error instanceof WorkflowNotFoundError) {
      return new AppError('NOT_FOUND', `order ${orderId} does not exist`, { field: 'id' });
    }
    if (/workflow execution already completed/i.test(String((error as Error)?.message))) {
      return new AppError('CONFLICT', `order ${orderId} has already finished`, { field: 'id' });
    }
    return error;
  }
}

/** SHA-256 of the request with its keys sorted, so formatting and key order do not matter. */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function initialView(input: OrderWorkflowInput, quote: QuoteForOrder, now: Date): OrderView {
  const { totals } = quote;
  return {
    orderId: input.orderId,
    quoteId: input.quoteId,
    merchantId: input.merchantId,
    status: 'received',
    currentStep: null,
    amounts: quotedAmounts(quote.currency, totals),
    shipToCountry: input.shippingAddress.country,
    placedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

function encodeCursor(createdAt: Date, id: string, needsAttention?: boolean): string {
  const parts = [createdAt.toISOString(), id, ...(needsAttention === undefined ? [] : [needsAttention])];
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** A cursor of the list's sort: needs-attention-first cursors carry the row's flag. */
function decodeCursor(
  cursor: string,
  attentionFirst = false,
): { createdAt: Date; id: string; needsAttention?: boolean } {
  try {
    const [createdAt, id, needsAttention] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      string,
      string,
      boolean | undefined,
    ];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    if (attentionFirst !== (typeof needsAttention === 'boolean')) throw new Error('cursor of another sort');
    return { createdAt: date, id, ...(attentionFirst ? { needsAttention } : {}) };
  } catch {
    throw new AppError('VALIDATION_FAILED', 'cursor is not one this API returned', { field: 'cursor' });
  }
}
