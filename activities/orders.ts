// The order saga's activities: each step's action beside its compensation. Every call to the
// outside carries an idempotency key derived from the business operation (order id + step),
// never from the attempt, so a retried activity or a restarted worker never acts twice.
import { screenOrder as screen } from '../src/domain/compliance';
import type { CustomsBrokerPort, Declaration, DeclarationLine } from '../src/domain/customs/port';
import { declarationReference } from '../src/domain/customs/references';
import type { Money } from '../src/domain/money/types';
import type {
  LockedQuote,
  OrderLedger,
  OrderLedgerInput,
  OrderRefundPosting,
} from '../src/domain/orders/ports';
import {
  FINAL_STATUSES,
  type Customer,
  type OrderLabelView,
  type OrderView,
  type PostalAddress,
  type TimelineEntry,
} from '../src/domain/orders/types';
import { idempotencyKeys, type PaymentsPort, type RefundReason } from '../src/domain/payments';
import type { StoredQuote } from '../src/domain/quotes';
import { consignmentParcel } from '../src/domain/quotes';
import { shipmentReference, type CarrierPort } from '../src/domain/shipping/carrier-port';
import { AppError } from '../src/errors';
import { CarrierEventStore } from '../src/infra/carrier';
import { sqlOf, type Database } from '../src/infra/database';
import { activity, compensation, compensationNames, providerKeyMayHaveExpired } from './activity';
import { quotedAmounts } from '../src/domain/orders/amounts';
import { orderWorkflowId } from '../src/domain/orders/temporal';

export interface OrderActivityDeps {
  db: Database;
  payments: PaymentsPort;
  customs: CustomsBrokerPort;
  carrier: CarrierPort;
  ledger: OrderLedger;
}

export interface LockQuoteInput {
  orderId: string;
  quoteId: string;
  merchantId: string;
  shippingAddress: PostalAddress;
  /** When the order was placed: a quote valid then is honoured even if a retry comes later. */
  placedAt: string;
}

export interface OrderSnapshot {
  view: OrderView;
  timeline: TimelineEntry[];
  version: number;
}

export function createOrderActivities({ db, payments, customs, carrier, ledger }: OrderActivityDeps) {
  const carrierEvents = new CarrierEventStore(db);
  return {
    // --- lock the quote (no compensation: a consumed quote stays consumed by its order) -----

    /**
     * Locks the quote for this order, then writes the order and its lines: two statements,
     * each atomic and idempotent, so a retry after either finds the quote consumed by this order
     * and the order written (straight through pg, named: this runs once per order, and the
     * interactive transaction it replaced took eight round trips). Refused (CONFLICT) when an
     * order of this id has closed already: one order id, one order, even after the server has
     * forgotten the first workflow.
     */
    lockQuote: activity(async (input: LockQuoteInput): Promise<LockedQuote> => {
      const sql = sqlOf(db);
      const placedAt = new Date(input.placedAt);
      // The quote as it was before this statement (a data-modifying WITH is not seen by its
      // own query), and whether the lock took: it is this order's when it was open and unexpired
      // at the order's placing, or already consumed by this order.
      const {
        rows: [row],
      } = await sql.query<LockRow>({
        name: 'borderline.quote-lock',
        text: `
          WITH closed AS (
            SELECT closed_at FROM orders WHERE id = $2 AND closed_at IS NOT NULL
          ), locked AS (
            UPDATE quotes SET status = 'CONSUMED', consumed_by_order_id = $2, consumed_at = now()
             WHERE id = $1 AND ((status = 'OPEN' AND expires_at > $3) OR consumed_by_order_id = $2)
               AND NOT EXISTS (SELECT 1 FROM closed)
            RETURNING id)
          SELECT q.id, q.currency, q.incoterm, q.merchant_id AS "merchantId",
                 q.ship_from_country AS "shipFromCountry", q.ship_to_country AS "shipToCountry",
                 q.request, q.breakdown, q.consumed_by_order_id AS "consumedByOrderId",
                 q.expires_at AS "expiresAt", m.name AS "merchantName", m.country AS "merchantCountry",
                 EXISTS (SELECT 1 FROM locked) AS locked, (SELECT closed_at FROM closed) AS "orderClosedAt"
            FROM quotes q JOIN merchants m ON m.id = q.merchant_id
           WHERE q.id = $1`,
        values: [input.quoteId, input.orderId, placedAt],
      });
      if (!row)
        throw new AppError('NOT_FOUND', `quote ${input.quoteId} does not exist`, { field: 'quoteId' });
      if (row.orderClosedAt) {
        // An order of this id ran to its end before: its workflow is past the server's retention,
        // so the start was not refused as a duplicate. Nothing is locked, written or charged.
        throw new AppError(
          'CONFLICT',
          `order id ${input.orderId} was used by an order that closed at ${row.orderClosedAt.toISOString()}; an order id is used once`,
          { field: 'orderId', details: { closedAt: row.orderClosedAt.toISOString() } },
        );
      }
      if (!row.locked) {
        if (row.consumedByOrderId) {
          throw new AppError('QUOTE_EXPIRED', `quote ${input.quoteId} is already used by another order`, {
            field: 'quoteId',
          });
        }
        throw new AppError(
          'QUOTE_EXPIRED',
          `quote ${input.quoteId} expired at ${row.expiresAt.toISOString()}`,
          {
            field: 'quoteId',
          },
        );
      }
      const quote = lockedQuoteOf({
        ...row,
        merchant: { name: row.merchantName, country: row.merchantCountry },
      });
      const requested = (row.request as StoredQuote['request']).lines;
      const priced = (row.breakdown as StoredQuote['breakdown']).lines;
      const lines = priced.map((line) => ({
        n: line.index + 1,
        sku: line.sku,
        d: line.description,
        hs: line.hsCode,
        oc: line.originCountry,
        q: line.quantity,
        p: line.unitPrice.amount,
        w: requested[line.index]!.weightGrams,
      }));
      // The order and its lines in one statement; a retry finds the order and writes nothing.
      await sql.query({
        name: 'borderline.order-create',
        text: `
          WITH created AS (
            INSERT INTO orders (id, merchant_id, status, currency, total_amount, ship_from_country,
                                ship_to_country, quote_id, workflow_id, created_at, updated_at)
            VALUES ($1, $2, 'received', $3, $4, $5, $6, $7, $8, $9, now())
            ON CONFLICT (id) DO NOTHING
            RETURNING id)
          INSERT INTO order_lines (order_id, line_number, sku, description, hs_code, origin_country, quantity,
                                   unit_price, weight_grams)
          SELECT created.id, x.n, x.sku, x.d, x.hs, x.oc, x.q, x.p, x.w
            FROM created CROSS JOIN jsonb_to_recordset($10::jsonb)
                 AS x(n int, sku text, d text, hs text, oc text, q int, p bigint, w int)`,
        values: [
          input.orderId,
          row.merchantId,
          row.currency,
          quote.amounts.charge.amount,
          row.shipFromCountry,
          row.shipToCountry,
          row.id,
          orderWorkflowId(input.orderId),
          placedAt,
          JSON.stringify(lines),
        ],
      });
      return quote;
    }),

    // --- compliance screening (no compensation) ------------------------------------------

    /** Screens the order's own parties (the shopper and the delivery address) and goods. */
    screenOrder: activity(
      async (input: {
        orderId: string;
        quote: LockedQuote;
        customer: Customer;
        shippingAddress: PostalAddress;
      }) => {
        const result = screen({
          parties: [
            { role: 'buyer', name: input.customer.name, address: input.shippingAddress },
            { role: 'consignee', name: input.shippingAddress.name, address: input.shippingAddress },
          ],
          lines: input.quote.lines.map((l) => ({
            hsCode: l.hsCode,
            description: l.description,
            quantity: l.quantity,
          })),
          destinationCountry: input.shippingAddress.country,
          transportMode: input.quote.shipping.transportMode,
          at: new Date(),
        });
        return { decision: result.decision, reasons: result.reasons.map((r) => r.message) };
      },
    ),

    // --- payment: authorise, and its compensation (cancel the authorisation or refund) ----

    /**
     * Authorises the order's total with the key `order:<id>:authorize`. Stripe forgets keys after
     * 24 hours and this activity is retried without a time limit, so once it was first scheduled
     * more than IDEMPOTENCY_KEY_TRUST_MS ago an earlier attempt's PaymentIntent (made, its answer
     * lost) is looked up by the order id in its metadata and used instead of making a second hold.
     */
    authorizePayment: activity(async (input: { orderId: string; amount: Money; paymentMethodId: string }) => {
      const found = providerKeyMayHaveExpired()
        ? await payments.findOrderPayment({ orderId: input.orderId })
        : null;
      if (
        found &&
        (found.amount.amount !== input.amount.amount || found.amount.currency !== input.amount.currency)
      ) {
        throw new AppError(
          'INTERNAL',
          `payment ${found.providerPaymentId} of order ${input.orderId} is for ${found.amount.amount} ${found.amount.currency}, not the order's total`,
        );
      }
      const payment = found
        ? // Search results can lag; read the payment itself for its current status.
          await payments.retrievePayment(found.providerPaymentId)
        : await payments.authorizePayment({
            orderId: input.orderId,
            amount: input.amount,
            paymentMethodId: input.paymentMethodId,
            idempotencyKey: idempotencyKeys.authorize(input.orderId),
            description: `Order ${input.orderId}`,
          });
      if (payment.status !== 'requires_capture') {
        throw new AppError('PAYMENT_DECLINED', `the payment was not authorised (status ${payment.status})`, {
          details: { status: payment.status, error: payment.lastPaymentError },
        });
      }
      return { paymentIntentId: payment.providerPaymentId, authorized: payment.amountCapturable };
    }),

    /**
     * Compensation of the payment: cancels the authorisation, or refunds it once captured. It may
     * run again long after its first attempt (support's retry of an order in needs_attention
     * schedules a new activity, possibly days later: past Stripe's 24 hours of idempotency keys,
     * and with a fresh schedule time, so the activity's own age proves nothing). It therefore
     * reads what an earlier run did first: an authorisation already cancelled is not cancelled
     * again (Stripe would refuse it and the order would stay stuck), and the refund made under
     * the compensation's refund id is returned rather than made a second time. A payment the
     * saga believes uncaptured but Stripe has captured (a capture whose answer was lost and whose
     * retries then failed for good) cannot be cancelled: what it took is refunded instead, so the
     * shopper is not left charged for an order that will not ship.
     */
    releasePayment: compensation(
      activity(
        async (input: { orderId: string; paymentIntentId: string; captured: boolean; amount: Money }) => {
          const refundId = compensationRefundId(input.orderId);
          const refundOnce = async (amount: Money) => {
            const refund =
              (await payments.findRefund({ providerPaymentId: input.paymentIntentId, refundId })) ??
              (await payments.refundPayment({
                providerPaymentId: input.paymentIntentId,
                refundId,
                amount,
                reason: 'requested_by_customer',
                idempotencyKey: idempotencyKeys.refund(refundId),
              }));
            return { released: 'refunded' as const, status: refund.status, refundId };
          };
          if (input.captured) return refundOnce(input.amount);

          const current = await payments.retrievePayment(input.paymentIntentId);
          if (current.status === 'canceled') {
            return { released: 'cancelled' as const, status: current.status };
          }
          if (current.status === 'succeeded') {
            const capturedUnseen = current.amountReceived;
            const left = capturedUnseen.amount - current.amountRefunded.amount;
            if (left <= 0) {
              // Refunded in full outside the saga (the dashboard): nothing is left to give back.
              return { released: 'refunded' as const, status: current.status, refundId, capturedUnseen };
            }
            const refunded = await refundOnce({ amount: left, currency: capturedUnseen.currency });
            return { ...refunded, capturedUnseen };
          }
          const payment = await payments.cancelAuthorization({
            providerPaymentId: input.paymentIntentId,
            reason: 'abandoned',
            idempotencyKey: idempotencyKeys.cancel(input.orderId),
          });
          return { released: 'cancelled' as const, status: payment.status };
        },
      ),
    ),

    /**
     * A refund finance asked for: its key is the refund's own id, so a retry refunds once. Once the
     * activity was first scheduled more than IDEMPOTENCY_KEY_TRUST_MS ago (Stripe forgets keys after
     * 24 hours), the refund an earlier attempt made is looked up by its id in the refund metadata
     * and returned instead of refunding again.
     */
    refundPayment: activity(
      async (input: { paymentIntentId: string; refundId: string; amount: Money; reason: RefundReason }) => {
        const found = providerKeyMayHaveExpired()
          ? await payments.findRefund({ providerPaymentId: input.paymentIntentId, refundId: input.refundId })
          : null;
        if (found) return { providerRefundId: found.providerRefundId, status: found.status };
        const refund = await payments.refundPayment({
          providerPaymentId: input.paymentIntentId,
          refundId: input.refundId,
          amount: input.amount,
          reason: input.reason,
          idempotencyKey: idempotencyKeys.refund(input.refundId),
        });
        return { providerRefundId: refund.providerRefundId, status: refund.status };
      },
    ),

    /**
     * Captures the authorised amount with the key `order:<id>:capture`. Once the activity was first
     * scheduled more than IDEMPOTENCY_KEY_TRUST_MS ago (Stripe forgets keys after 24 hours: a long
     * outage), the payment is read first, and a capture an earlier attempt made (its answer lost)
     * is returned: capturing again would be refused by Stripe, and the order would fail with the
     * shopper's money taken.
     */
    capturePayment: activity(async (input: { orderId: string; paymentIntentId: string; amount: Money }) => {
      if (providerKeyMayHaveExpired()) {
        const current = await payments.retrievePayment(input.paymentIntentId);
        if (current.status === 'succeeded') return { captured: current.amountReceived };
      }
      const payment = await payments.capturePayment({
        providerPaymentId: input.paymentIntentId,
        amount: input.amount,
        idempotencyKey: idempotencyKeys.capture(input.orderId),
      });
      return { captured: payment.amountReceived };
    }),

    // --- customs: file the declaration, and its compensation (void it) ------------------

    submitDeclaration: activity(
      async (input: {
        orderId: string;
        version: number;
        quote: LockedQuote;
        lines: DeclarationLine[];
        importer: PostalAddress;
      }) => {
        const declaration = await customs.submitDeclaration({
          reference: declarationReference(input.orderId, input.version),
          orderId: input.orderId,
          exporter: { name: input.quote.merchant.name, country: input.quote.shipFrom.country },
          importer: { name: input.importer.name, address: addressOf(input.importer) },
          shipFrom: input.quote.shipFrom.country,
          shipTo: input.importer.country,
          incoterm: input.quote.incoterm,
          currency: input.quote.currency,
          lines: input.lines,
          dutiesAndTaxesCollected: input.quote.dutiesAndTaxesCollected,
        });
        return { view: declarationView(declaration) };
      },
    ),

    getDeclaration: activity(async (input: { declarationId: string }) => ({
      view: declarationView(await customs.getDeclaration(input.declarationId)),
    })),

    voidDeclaration: compensation(
      activity(async (input: { orderId: string; declarationId: string }) => {
        const declaration = await customs.voidDeclaration(
          input.declarationId,
          `order ${input.orderId} undone`,
        );
        return { status: declaration.status };
      }),
    ),

    // --- shipping: buy the label, and its compensation (void it) ------------------------

    /** Creates the shipment, takes the carrier's rate for the quoted service and buys the label. */
    buyLabel: activity(
      async (input: { orderId: string; quote: LockedQuote; shipTo: PostalAddress; customer: Customer }) => {
        const { quote } = input;
        const shipment = await carrier.createShipment({
          reference: shipmentReference(input.orderId),
          from: {
            name: quote.merchant.name,
            line1: 'Merchant warehouse',
            city: quote.shipFrom.region ?? quote.shipFrom.country,
            ...(quote.shipFrom.postalCode ? { postalCode: quote.shipFrom.postalCode } : {}),
            country: quote.shipFrom.country,
          },
          to: { ...addressOf(input.shipTo), name: input.shipTo.name, email: input.customer.email },
          parcel: quote.parcel,
          customs: {
            incoterm: quote.incoterm,
            contents: 'merchandise',
            items: quote.lines.map((l) => ({
              description: l.description,
              hsCode: l.hsCode,
              originCountry: l.originCountry,
              quantity: l.quantity,
              value: l.value,
              weightGrams: l.weightGrams,
            })),
          },
        });
        const label =
          shipment.label ??
          (await carrier.buyLabel(shipment.shipmentId, chooseRate(shipment.rates, quote).rateId));
        const view: OrderLabelView = {
          shipmentId: shipment.shipmentId,
          labelId: label.labelId,
          carrier: label.carrier,
          service: label.service,
          trackingNumber: label.trackingNumber,
          labelUrl: label.labelUrl,
          cost: label.cost,
        };
        await sqlOf(db).query({
          name: 'borderline.order-shipment',
          text: 'UPDATE orders SET shipment_id = $2 WHERE id = $1',
          values: [input.orderId, shipment.shipmentId],
        });
        return { label: view };
      },
    ),

    /**
     * The shipment's tracking events as the carrier has them: read when its webhooks have been
     * silent for a while, since a webhook can be lost. They carry the ids their webhooks carry,
     * so an event that arrives both ways counts once. Recorded in carrier_events as its webhooks
     * are, so the record has every event however it came.
     */
    trackShipment: activity(async (input: { shipmentId: string }) => {
      const events = await carrier.trackingEvents(input.shipmentId);
      await carrierEvents.recordRead(events);
      return { events };
    }),

    /** Compensation of the label: void it (refused by the carrier once it has the parcel). */
    voidLabel: compensation(
      activity(async (input: { orderId: string; shipmentId: string }) => {
        const result = await carrier.voidLabel(input.shipmentId);
        if (result.status === 'rejected') {
          throw new AppError(
            'BUSINESS_RULE_VIOLATION',
            `the carrier refused to void the label: ${result.reason}`,
            {
              details: { shipmentId: input.shipmentId },
            },
          );
        }
        return { status: result.status };
      }),
    ),

    // --- ledger (no compensation: a correction is a reversing entry) ----------------------

    postOrderToLedger: activity(async (input: OrderLedgerInput) => ledger.postOrderCapture(input)),

    /** The refund's reversing entry (no compensation either: a mistake is corrected by another entry). */
    postRefundToLedger: activity(async (input: OrderRefundPosting) => ledger.postOrderRefund(input)),

    // --- projection for lists and closed orders ------------------------------------------

    /** Keeps the order's row in step with the workflow; an older snapshot never wins. */
    recordOrder: activity(async ({ view, timeline, version }: OrderSnapshot) => {
      // Straight through pg, named: nine of these run per order, and Prisma's updateMany spent
      // most of its time compiling and serialising the two JSON documents, its raw query a third
      // of it (bench/README.md, saga-throughput).
      const needsAttention = view.status === 'needs_attention' || view.attention !== undefined;
      const closedAt = FINAL_STATUSES.has(view.status) ? new Date(view.updatedAt) : null;
      await sqlOf(db).query({
        name: 'borderline.order-projection',
        text: `
          UPDATE orders
             SET status = $2, current_step = $3, needs_attention = $4, payment_intent_id = $5,
                 view = $6::jsonb, timeline = $7::jsonb, projection_version = $8, closed_at = $9,
                 updated_at = now()
           WHERE id = $1 AND projection_version < $8`,
        values: [
          view.orderId,
          view.status,
          view.currentStep,
          needsAttention,
          view.paymentIntentId ?? null,
          JSON.stringify(view),
          JSON.stringify(timeline),
          version,
          closedAt,
        ],
      });
      return {};
    }),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

/**
 * The order saga's compensating activities (those wrapped in `compensation(...)` above), by
 * activity type: the worker counts their runs apart (borderline_saga_compensations). Read off
 * the activities themselves; building them calls none of their dependencies.
 */
export const ORDER_COMPENSATION_ACTIVITIES: ReadonlySet<keyof OrderActivities & string> = new Set(
  compensationNames(createOrderActivities({} as OrderActivityDeps)),
);

/** The refund that undoes a captured order (cancel after capture): one per order. */
export function compensationRefundId(orderId: string): string {
  return `${orderId}-compensation`;
}

/** The quote as lockQuote reads it, with its merchant and whether the lock took. */
interface LockRow {
  id: string;
  currency: string;
  incoterm: string;
  merchantId: string;
  shipFromCountry: string;
  shipToCountry: string;
  request: unknown;
  breakdown: unknown;
  consumedByOrderId: string | null;
  expiresAt: Date;
  merchantName: string;
  merchantCountry: string;
  locked: boolean;
  /** Set when an order of this id has closed already (a reuse of its id). */
  orderClosedAt: Date | null;
}

function lockedQuoteOf(row: {
  id: string;
  currency: string;
  incoterm: string;
  merchantId: string;
  merchant: { name: string; country: string };
  request: unknown;
  breakdown: unknown;
}): LockedQuote {
  const request = row.request as StoredQuote['request'];
  const breakdown = row.breakdown as StoredQuote['breakdown'];
  const { totals } = breakdown;
  const collectedAtCheckout = (what: 'duties' | 'taxes' | 'fees') =>
    breakdown.collection[what] === 'CHECKOUT' ? totals[what].amount : 0;
  const inCurrency = (amount: number) => ({ amount, currency: row.currency });
  const parcel = consignmentParcel(request.lines);
  const chosen = breakdown.shipping.chosen;
  return {
    quoteId: row.id,
    currency: row.currency,
    incoterm: row.incoterm as 'DDP' | 'DAP',
    shipFrom: request.shipFrom,
    shipTo: request.shipTo,
    amounts: quotedAmounts(row.currency, totals),
    dutiesAndTaxesCollected: inCurrency(collectedAtCheckout('duties') + collectedAtCheckout('taxes')),
    collected: {
      duties: inCurrency(collectedAtCheckout('duties')),
      taxes: inCurrency(collectedAtCheckout('taxes')),
      fees: inCurrency(collectedAtCheckout('fees')),
    },
    lines: breakdown.lines.map((line) => ({
      lineNumber: line.index + 1,
      sku: line.sku,
      description: line.description,
      hsCode: line.hsCode,
      originCountry: line.originCountry,
      quantity: line.quantity,
      value: line.goods,
      weightGrams: request.lines[line.index]!.weightGrams * line.quantity,
    })),
    parcel: {
      weightGrams: parcel.weightGrams,
      ...(parcel.heightMm > 1
        ? {
            lengthCm: Math.ceil(parcel.lengthMm / 10),
            widthCm: Math.ceil(parcel.widthMm / 10),
            heightCm: Math.ceil(parcel.heightMm / 10),
          }
        : {}),
    },
    shipping: {
      carrier: chosen.carrier,
      serviceId: chosen.serviceId,
      level: chosen.level,
      transportMode: chosen.transportMode,
      price: chosen.price,
    },
    merchant: { id: row.merchantId, name: row.merchant.name, country: row.merchant.country },
  };
}

/** The carrier's rate for the service the shopper was quoted (same service id, else same level). */
function chooseRate<
  R extends { rateId: string; service: string; serviceId?: string; deliveryDutiesPaid: boolean },
>(rates: R[], quote: LockedQuote): R {
  const usable = rates.filter((r) => quote.incoterm === 'DAP' || r.deliveryDutiesPaid);
  const rate =
    usable.find((r) => r.serviceId === quote.shipping.serviceId) ??
    usable.find((r) => r.service === quote.shipping.level);
  if (!rate) {
    throw new AppError(
      'BUSINESS_RULE_VIOLATION',
      `the carrier no longer offers the quoted service ${quote.shipping.serviceId} (${quote.shipping.level})`,
      { details: { offered: rates.map((r) => r.serviceId ?? r.service) } },
    );
  }
  return rate;
}

function addressOf(address: PostalAddress) {
  return {
    line1: address.line1,
    ...(address.line2 ? { line2: address.line2 } : {}),
    city: address.city,
    ...(address.region ? { region: address.region } : {}),
    ...(address.postalCode ? { postalCode: address.postalCode } : {}),
    country: address.country,
  };
}

function declarationView(declaration: Declaration) {
  return {
    declarationId: declaration.declarationId,
    status: declaration.status,
    ...(declaration.movementReference ? { movementReference: declaration.movementReference } : {}),
    issues: declaration.issues.map((i) => ({
      code: i.code,
      message: i.message,
      ...(i.lineNumber !== undefined ? { lineNumber: i.lineNumber } : {}),
    })),
  };
}
