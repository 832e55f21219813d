// The order side of saga-throughput and worker-memory, in the benchmark's own process: the
// Stripe, customs broker (answers at once) and carrier sandboxes, and the real API (composeApi,
// listening, so the sandboxes' webhooks reach it and are handed to the orders' workflows).
// The worker runs in a child process (bench/saga-worker.ts).
import type { AddressInfo } from 'node:net';
import { composeApi, type ApiComposition } from '../src/api/compose';
import type { OrderView } from '../src/domain/orders/types';
import { startCarrierSandbox, type AutoProgression, type CarrierSandbox } from '../src/sandboxes/carrier';
import { startCustomsBrokerSandbox, type CustomsBrokerSandbox } from '../src/sandboxes/customs-broker';
import { startStripeSandbox, type StripeSandbox } from '../src/sandboxes/stripe';
import {
  BENCH_ORDER_TIMINGS,
  benchPayloadCodec,
  createKey,
  orderBody,
  type BenchInfra,
  type WorkerChildOptions,
} from './orders-env';

const STRIPE_WEBHOOK_SECRET = 'whsec_bench_saga';
const CARRIER_WEBHOOK_SECRET = 'carrier_whsec_bench_saga';

/** The carrier hands a bought label over, sends it out for delivery and delivers it at once. */
export const AT_ONCE: AutoProgression = { handoverAfterMs: 0, outForDeliveryAfterMs: 0, deliverAfterMs: 0 };

export interface SagaSide {
  api: ApiComposition;
  baseUrl: string;
  checkoutKey: string;
  stripe: StripeSandbox;
  customs: CustomsBrokerSandbox;
  carrier: CarrierSandbox;
  partners: NonNullable<WorkerChildOptions['partners']>;
  /** POST /v1/orders; throws unless 201. */
  placeOrder(orderId: string, quoteId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSagaSide(
  infra: BenchInfra,
  taskQueue: string,
  progression: AutoProgression | null,
): Promise<SagaSide> {
  const stripe = await startStripeSandbox({ webhookSecret: STRIPE_WEBHOOK_SECRET });
  const customs = await startCustomsBrokerSandbox({ processingDelayMs: 0 });
  const carrier = await startCarrierSandbox({ webhookSecret: CARRIER_WEBHOOK_SECRET, progression });
  const api = await composeApi({
    databaseUrl: infra.databaseUrl,
    databasePoolSize: 10,
    temporal: {
      address: infra.temporalAddress,
      namespace: infra.namespace,
      payloadCodec: benchPayloadCodec(),
    },
    stripeWebhookSecret: STRIPE_WEBHOOK_SECRET,
    carrierWebhookSecret: CARRIER_WEBHOOK_SECRET,
    orderTimings: BENCH_ORDER_TIMINGS,
    ordersTaskQueue: taskQueue,
    logger: false,
  });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  stripe.webhooks.configure({ url: `${baseUrl}/v1/webhooks/stripe` });
  carrier.webhooks.configure({ url: `${baseUrl}/v1/webhooks/carrier` });
  const checkoutKey = await createKey(infra.databaseUrl, 'checkout');
  return {
    api,
    baseUrl,
    checkoutKey,
    stripe,
    customs,
    carrier,
    partners: {
      stripe: { host: stripe.host, port: stripe.port, secretKey: stripe.secretKey },
      customs: { url: customs.url, apiKey: customs.apiKey },
      carrier: { url: carrier.url, apiKey: carrier.apiKey },
    },
    async placeOrder(orderId, quoteId) {
      const res = await fetch(`${baseUrl}/v1/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${checkoutKey}`,
          'content-type': 'application/json',
          'idempotency-key': orderId,
        },
        body: JSON.stringify(orderBody(orderId, quoteId)),
      });
      if (res.status !== 201) throw new Error(`POST /v1/orders answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    },
    async close() {
      await api.close();
      await Promise.allSettled([stripe.close(), customs.close(), carrier.close()]);
    },
  };
}

/** Runs `total` jobs with at most `concurrency` at once; resolves with the wall time (ms). */
export async function closedLoop(
  total: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return performance.now() - started;
}

/** The end of a step on an order's timeline (epoch ms), or undefined. */
export function stepEnd(timeline: readonly { step: string; endedAt?: string }[], step: string) {
  const entry = timeline.find((e) => e.step === step && e.endedAt);
  return entry?.endedAt ? Date.parse(entry.endedAt) : undefined;
}

export type { OrderView };
