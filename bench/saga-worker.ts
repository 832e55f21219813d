// A Temporal worker in a process of its own, for the order benchmarks (bench/orders-env.ts
// startWorkerChild): mode `orders` runs the product workflows (bundled by the parent) with the
// real activities against the parent's sandboxes and PostgreSQL; mode `baseline` runs
// bench/baseline-workflow.ts with no-op activities. Both with the same worker options: those of
// src/worker startWorker (data converter with the payload codec, shutdown grace) plus
// maxCachedWorkflows. Answers `memory` (after two full GCs: run with --expose-gc) and `stop` over IPC.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { HttpCarrier } from '../src/infra/carrier';
import { HttpCustomsBroker } from '../src/infra/customs';
import { createDatabase, type Database } from '../src/infra/database';
import { PgOrderLedger } from '../src/infra/ledger/order-ledger';
import { StripePayments } from '../src/infra/payments';
import { encryptedDataConverter } from '../src/infra/temporal';
import type { BaselineActivities } from './baseline-workflow';
import { benchPayloadCodec, type WorkerChildOptions, type WorkerMemory } from './orders-env';
import { runChild } from './child';

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_WORKER ?? '{}') as WorkerChildOptions;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  let db: Database | undefined;
  let activities: object;
  if (options.mode === 'orders') {
    const partners = options.partners;
    if (!partners) throw new Error('mode orders needs partners');
    db = createDatabase({ url: options.databaseUrl, poolSize: 10 });
    activities = createActivities({
      db,
      payments: new StripePayments({
        secretKey: partners.stripe.secretKey,
        apiBase: { host: partners.stripe.host, port: partners.stripe.port, protocol: 'http' },
        timeoutMs: 10_000,
      }),
      customs: new HttpCustomsBroker({
        baseUrl: partners.customs.url,
        apiKey: partners.customs.apiKey,
        timeoutMs: 10_000,
      }),
      carrier: new HttpCarrier({
        baseUrl: partners.carrier.url,
        apiKey: partners.carrier.apiKey,
        timeoutMs: 10_000,
      }),
      ledger: new PgOrderLedger(db),
    });
  } else {
    const noop: BaselineActivities = { noop: async (input) => ({ step: input.step }) };
    activities = noop;
  }
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: { codePath: options.bundlePath },
    activities,
    dataConverter: encryptedDataConverter(benchPayloadCodec()),
    shutdownGraceTime: '2 seconds',
    maxCachedWorkflows: options.maxCachedWorkflows,
  });
  const running = worker.run();

  const gc = (globalThis as { gc?: () => void }).gc;
  const memory = async (): Promise<WorkerMemory> => {
    for (let i = 0; i < 2; i++) {
      gc?.();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const m = process.memoryUsage();
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      numCachedWorkflows: worker.getStatus().numCachedWorkflows,
    };
  };
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await Promise.allSettled([connection.close(), db?.$disconnect()]);
    process.exit(0);
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'memory') void memory().then((m) => process.send?.({ type: 'memory', memory: m }));
    if (message.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  running.catch((error: unknown) => {
    process.stderr.write(`bench worker crashed: ${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
  process.send?.({ type: 'ready' });
}

runChild(main);
