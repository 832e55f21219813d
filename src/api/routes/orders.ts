import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OrderView as OrderViewType } from '../../domain/orders/types';
import type { OrderDesk } from '../../infra/orders';
import { withErrors } from '../schemas';
import {
  CancelBody,
  IdempotencyHeaders,
  OrderIdParams,
  OrderList,
  OrderListQuery,
  OrderView,
  PlaceOrderBody,
  RefundBody,
  RefundResultBody,
  ReviewBody,
  TimelineBody,
} from './orders-schemas';

export interface OrderRoutesDependencies {
  desk: OrderDesk;
}

type OrderBody = Static<typeof OrderView>;
const asBody = (view: OrderViewType) => view as unknown as OrderBody;

/** Orders: checkout places them; support follows, cancels, reviews and retries them. */
export const orderRoutes: FastifyPluginAsyncTypebox<OrderRoutesDependencies> = async (app, { desk }) => {
  app.addSchema(OrderView);

  app.post(
    '/v1/orders',
    {
      config: { auth: { roles: ['checkout'] } },
      schema: {
        summary: 'Place an order: start its saga',
        description:
          "Starts the order workflow `order-<orderId>`, which charges exactly the quote's `totals.chargeNow`. " +
          'At most one order and one charge per order id, however often this is retried: the same body ' +
          'answers 200 with the existing order, the same order id with another body 409, and an ' +
          'Idempotency-Key reused with another body 409. An unknown quote is 404, an expired or used one 409, ' +
          'a quote blocked by screening 422; then nothing is started.',
        tags: ['orders'],
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: withErrors({ 201: Type.Ref(OrderView), 200: Type.Ref(OrderView) }),
      },
    },
    async (request, reply) => {
      const placed = await desk.placeOrder(
        request.body,
        request.headers['idempotency-key'],
        request.principal!.keyId,
      );
      request.log.info({ orderId: placed.order.orderId, created: placed.created }, 'order placed');
      return reply.status(placed.created ? 201 : 200).send(asBody(placed.order));
    },
  );

  app.get(
    '/v1/orders',
    {
      config: { auth: { roles: ['support', 'finance'] } },
      schema: {
        summary: 'List orders, newest first',
        description:
          'Filter by status (repeatable), merchant, needs-attention, order id prefix and placement date; sort ' +
          'newest first or needs-attention first; paginate with `cursor` (of the same sort).',
        tags: ['orders'],
        querystring: OrderListQuery,
        response: withErrors({ 200: OrderList }),
      },
    },
    async (request) => {
      const q = request.query;
      return desk.listOrders({
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.merchantId ? { merchantId: q.merchantId } : {}),
        ...(q.needsAttention !== undefined ? { needsAttention: q.needsAttention } : {}),
        ...(q.orderIdPrefix ? { orderIdPrefix: q.orderIdPrefix } : {}),
        ...(q.sort ? { sort: q.sort } : {}),
        ...(q.placedFrom ? { placedFrom: new Date(q.placedFrom) } : {}),
        ...(q.placedTo ? { placedTo: new Date(q.placedTo) } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      config: { auth: { roles: ['support', 'checkout', 'finance'] } },
      schema: {
        summary:
          'An order: status, current step, amounts, declaration, label, tracking, last error, next deadline',
        tags: ['orders'],
        params: OrderIdParams,
        response: withErrors({ 200: Type.Ref(OrderView) }),
      },
    },
    async (request) => asBody(await desk.getOrder(request.params.id)),
  );

  app.get(
    '/v1/orders/:id/timeline',
    {
      config: { auth: { roles: ['support', 'finance'] } },
      schema: {
        summary: "Every step of the order's saga with its start, end, attempts and errors",
        tags: ['orders'],
        params: OrderIdParams,
        response: withErrors({ 200: TimelineBody }),
      },
    },
    async (request) => ({ orderId: request.params.id, ...(await desk.getTimeline(request.params.id)) }),
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      config: { auth: { roles: ['support'] }, audit: true },
      schema: {
        summary: 'Cancel an order before the carrier has it',
        description:
          'Runs the compensations (void the label and the declaration, cancel the authorisation or refund the ' +
          'capture) and answers with the cancelled order. After the carrier has taken the parcel: 409 with the reason.',
        tags: ['orders'],
        params: OrderIdParams,
        body: CancelBody,
        response: withErrors({ 200: Type.Ref(OrderView) }),
      },
    },
    async (request) =>
      asBody(
        await desk.cancel(request.params.id, {
          reason: request.body.reason,
          requestedBy: request.principal!.name,
        }),
      ),
  );

  app.post(
    '/v1/orders/:id/review',
    {
      config: { auth: { roles: ['support'] }, audit: true },
      schema: {
        summary: 'Approve or reject an order held for compliance review or a customs correction',
        tags: ['orders'],
        params: OrderIdParams,
        body: ReviewBody,
        response: withErrors({ 200: Type.Ref(OrderView) }),
      },
    },
    async (request) =>
      asBody(
        await desk.review(request.params.id, {
          decision: request.body.decision,
          note: request.body.note,
          reviewedBy: request.principal!.name,
          ...(request.body.corrections ? { corrections: request.body.corrections } : {}),
        }),
      ),
  );

  app.post(
    '/v1/orders/:id/refunds',
    {
      config: { auth: { roles: ['finance'] }, audit: true },
      schema: {
        summary: 'Refund part or all of a captured order',
        description:
          "The order's workflow takes the refund (so two refunds at once never exceed the captured amount), " +
          'refunds it through the payment provider and posts the reversing ledger entry (duties and taxes ' +
          'collected under DDP are given back pro rata). More than is left: 422 naming the amount left. Before ' +
          'capture or after the refund window: 409. The same Idempotency-Key refunds once.',
        tags: ['orders', 'finance'],
        params: OrderIdParams,
        headers: IdempotencyHeaders,
        body: RefundBody,
        response: withErrors({ 201: RefundResultBody }),
      },
    },
    async (request, reply) => {
      const result = await desk.refund(request.params.id, request.headers['idempotency-key'], {
        amount: request.body.amount,
        reason: request.body.reason,
        ...(request.body.note ? { note: request.body.note } : {}),
        requestedBy: request.principal!.name,
      });
      request.log.info({ orderId: request.params.id, refundId: result.refundId }, 'order refunded');
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/v1/orders/:id/retry',
    {
      config: { auth: { roles: ['support'] }, audit: true },
      schema: {
        summary: 'Run a failed compensation again, once its cause is fixed',
        tags: ['orders'],
        params: OrderIdParams,
        response: withErrors({ 200: Type.Ref(OrderView) }),
      },
    },
    async (request) => asBody(await desk.retry(request.params.id, { requestedBy: request.principal!.name })),
  );
};
