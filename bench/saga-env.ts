// The order side of saga-throughput and worker-memory: the real API (composeApi, listening, so
// the partners' webhooks reach it and are handed to the orders' workflows) in the benchmark's own
// process, and the Stripe, customs broker (answers at once) and carrier sandboxes in a child
// process of their own (bench/sandboxes-server.ts), so that the CPU table shows the partners'
// stand-ins apart from our API. The worker runs in another child (bench/saga-worker.ts).
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { composeApi, type ApiComposition } from '../src/api/compose';
import type { OrderView } from '../src/domain/orders/types';
import type { AutoProgression } from '../src/sandboxes/carrier';
import { forkUntilReady, stopServerChild } from './child';
import {
  BENCH_ORDER_TIMINGS,
  benchPayloadCodec,
  createKey,
  orderBody,
  type BenchInfra,
  type WorkerChildOptions,
} from './orders-env';
import type { SandboxesCommand, SandboxesOptions, SandboxesReady } from './sandboxes-server';

const STRIPE_WEBHOOK_SECRET = 'whsec_bench_saga';
const CARRIER_WEBHOOK_SECRET = 'carrier_whsec_bench_saga';

/** The carrier hands a bought label over, sends it out for delivery and delivers it at once. */
export const AT_ONCE: AutoProgression = { handoverAfterMs: 0, outForDeliveryAfterMs: 0, deliverAfterMs: 0 };

export interface SagaSide {
  api: ApiComposition;
  baseUrl: string;
  checkoutKey: string;
  /** The partners' sandboxes (a child process). */
  sandboxes: ChildProcess;
  partners: NonNullable<WorkerChildOptions['partners']>;
  /** The carrier's automatic progression from now on (null: parcels are never handed over). */
  setCarrierProgression(progression: AutoProgression | null): Promise<void>;
  /** POST /v1/orders; throws unless 201. */
  placeOrder(orderId: string, quoteId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSagaSide(
  infra: BenchInfra,
  taskQueue: string,
  progression: AutoProgression | null,
): Promise<SagaSide> {
  const options: SandboxesOptions = {
    stripeWebhookSecret: STRIPE_WEBHOOK_SECRET,
    carrierWebhookSecret: CARRIER_WEBHOOK_SECRET,
    progression,
  };
  const { child: sandboxes, message: partners } = await forkUntilReady<SandboxesReady>(
    join(__dirname, 'sandboxes-server.ts'),
    { ...process.env, BENCH_SANDBOXES: JSON.stringify(options) },
    'sandboxes',
  );
  const command = async (message: SandboxesCommand) => {
    const answered = once(sandboxes, 'message');
    sandboxes.send(message);
    await answered;
  };
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
  await command({
    type: 'webhooks',
    stripeUrl: `${baseUrl}/v1/webhooks/stripe`,
    carrierUrl: `${baseUrl}/v1/webhooks/carrier`,
  });
  const checkoutKey = await createKey(infra.databaseUrl, 'checkout');
  return {
    api,
    baseUrl,
    checkoutKey,
    sandboxes,
    partners,
    setCarrierProgression: (next) => command({ type: 'progression', progression: next }),
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
      await stopServerChild(sandboxes);
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
