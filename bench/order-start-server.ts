// The HTTP side of bench/order-start.ts, in a process of its own so that autocannon does not
// share its event loop: the real API (composeApi: auth, validation, idempotency, quote check,
// workflow start) and, beside it on its own port, a bare Fastify route that only calls
// `client.workflow.start` of the same workflow with the same input, options and data converter,
// on the API's own Temporal client. Both start on a task queue no worker polls.
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApiKeyStore } from '../src/access';
import { composeApi } from '../src/api/compose';
import { OrderSearchAttributes, orderWorkflowId } from '../src/domain/orders/temporal';
import type { OrderWorkflowInput } from '../src/domain/orders/types';
import { hashRequest, type PlaceOrderRequest } from '../src/infra/orders/desk';
import { readIdempotencyRecord, writeIdempotencyRecord } from '../src/infra/orders/idempotency-records';
import { PgQuoteStore } from '../src/infra/quotes';
import { BENCH_MERCHANT_ID, BENCH_ORDER_TIMINGS, benchPayloadCodec, orderBody } from './orders-env';
import { runChild, stopWhenParentLeaves } from './child';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.BENCH_TASK_QUEUE;
  if (!databaseUrl || !address || !taskQueue)
    throw new Error('DATABASE_URL, TEMPORAL_ADDRESS, BENCH_TASK_QUEUE');
  const api = await composeApi({
    databaseUrl,
    databasePoolSize: Number(process.env.BENCH_POOL_SIZE ?? 10),
    temporal: {
      address,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      payloadCodec: benchPayloadCodec(),
    },
    stripeWebhookSecret: 'whsec_bench',
    carrierWebhookSecret: 'carrier_whsec_bench',
    orderTimings: BENCH_ORDER_TIMINGS,
    ordersTaskQueue: taskQueue,
    logger: false,
  });
  await api.app.listen({ host: '127.0.0.1', port: 0 });

  // The baseline: the same start call the order desk makes, and nothing else. The request hash
  // is computed once (the desk hashes each body; that is part of what the API adds).
  const client = api.temporal.client;
  let template: string | undefined;
  const bare = Fastify({ logger: false });
  bare.post('/bare-start', async (request, reply) => {
    const body = request.body as PlaceOrderRequest;
    template ??= hashRequest(body);
    const input: OrderWorkflowInput = {
      ...body,
      merchantId: BENCH_MERCHANT_ID,
      requestHash: template,
      placedBy: 'bench',
      timings: BENCH_ORDER_TIMINGS,
    };
    await client.workflow.start('orderWorkflow', {
      workflowId: orderWorkflowId(body.orderId),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { requestHash: template },
      typedSearchAttributes: [
        { key: OrderSearchAttributes.OrderId, value: body.orderId },
        { key: OrderSearchAttributes.MerchantId, value: BENCH_MERCHANT_ID },
        { key: OrderSearchAttributes.OrderStatus, value: 'received' },
      ],
    });
    return reply.status(201).send({ orderId: body.orderId });
  });
  // One request's pieces, each timed alone, one at a time (no queueing): where the API's time
  // goes next to the bare start. Body: { checkoutKey, quoteId, n }.
  const keys = new ApiKeyStore(api.db);
  const quotes = new PgQuoteStore(api.db);
  bare.post('/breakdown', async (request) => {
    const { checkoutKey, quoteId, n } = request.body as { checkoutKey: string; quoteId: string; n: number };
    const timings: Record<string, number[]> = {};
    const time = async (name: string, call: () => Promise<unknown>) => {
      const started = performance.now();
      await call().catch((error: unknown) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      });
      (timings[name] ??= []).push(performance.now() - started);
    };
    const body = orderBody('x', quoteId);
    const input: OrderWorkflowInput = {
      ...body,
      merchantId: BENCH_MERCHANT_ID,
      requestHash: hashRequest(body),
      placedBy: 'bench',
      timings: BENCH_ORDER_TIMINGS,
    };
    const principal = await keys.authenticate(checkoutKey);
    if (!principal) throw new Error('unknown checkout key');
    for (let i = 0; i < n; i++) {
      const orderId = `breakdown-${Date.now()}-${i}`;
      await time('API key lookup (SELECT api_keys; once per key and API_KEY_CACHE_TTL_MS)', () =>
        keys.authenticate(checkoutKey),
      );
      await time('API key touch (UPDATE api_keys; touched < 1 min ago: matches nothing)', () =>
        keys.touch(principal.keyId),
      );
      // The desk's own statements (src/infra/orders/idempotency-records.ts).
      await time('idempotency lookup (SELECT idempotency_records)', () =>
        readIdempotencyRecord(api.db, 'POST /v1/orders', orderId),
      );
      await time('describe a workflow that does not exist', () =>
        client.workflow.getHandle(orderWorkflowId(orderId)).describe(),
      );
      await time('quote lookup (SELECT quotes: what placing an order reads of it)', () =>
        quotes.findForOrder(quoteId),
      );
      await time('request hash (canonical JSON + SHA-256)', async () => hashRequest({ ...body, orderId }));
      await time('client.workflow.start', () =>
        client.workflow.start('orderWorkflow', {
          workflowId: orderWorkflowId(orderId),
          taskQueue,
          args: [{ ...input, orderId }],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: { requestHash: input.requestHash },
          typedSearchAttributes: [
            { key: OrderSearchAttributes.OrderId, value: orderId },
            { key: OrderSearchAttributes.MerchantId, value: BENCH_MERCHANT_ID },
            { key: OrderSearchAttributes.OrderStatus, value: 'received' },
          ],
        }),
      );
      await time('describe the workflow just started', () =>
        client.workflow.getHandle(orderWorkflowId(orderId)).describe(),
      );
      await time('idempotency record (INSERT idempotency_records)', () =>
        writeIdempotencyRecord(api.db, {
          scope: 'POST /v1/orders',
          key: orderId,
          requestHash: input.requestHash,
          responseBody: JSON.stringify({ orderId }),
          createdAt: new Date(),
          expiresAt: new Date(Date.now() + 86_400_000),
        }),
      );
    }
    return Object.entries(timings).map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        name,
        p50: sorted[Math.floor(sorted.length / 2)]!,
        mean: values.reduce((a, b) => a + b, 0) / values.length,
      };
    });
  });
  await bare.listen({ host: '127.0.0.1', port: 0 });

  process.send?.({
    appPort: (api.app.server.address() as AddressInfo).port,
    barePort: (bare.server.address() as AddressInfo).port,
  });
  stopWhenParentLeaves(() => Promise.allSettled([api.close(), bare.close()]));
}

runChild(main);
