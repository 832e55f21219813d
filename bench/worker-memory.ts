// Resident memory of a worker per cached open order workflow: (RSS with N orders open and
// cached − RSS of the same worker idle) / N, both after GC, in the same run. The worker runs in a
// child process (bench/saga-worker.ts) so that its RSS is its own, with maxCachedWorkflows above
// N. The orders are real: placed through POST /v1/orders, run by the saga up to
// `awaiting_handover` (the carrier sandbox never hands the parcels over), where each waits for
// tracking events. Before the idle measure, a few orders run to completion (warm-up: the
// workflow bundle is loaded and every code path has run once).
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import {
  bundleToFile,
  prepareQuotes,
  PRODUCT_WORKFLOWS_PATH,
  removeBundle,
  startInfra,
  startWorkerChild,
  terminateRunning,
  type WorkerMemory,
} from './orders-env';
import { AT_ONCE, closedLoop, startSagaSide, type SagaSide } from './saga-env';
import { fixed, say, table } from './report';

const OPEN = Number(process.env.BENCH_OPEN_ORDERS ?? 1_000);
const WARMUP = Number(process.env.BENCH_MEMORY_WARMUP ?? 20);
const CONCURRENCY = Number(process.env.BENCH_SAGA_CONCURRENCY ?? 50);
const MAX_CACHED = Math.max(1_000, OPEN + 200);
const QUEUE = 'bench-worker-memory';
const MIB = 1024 * 1024;

export interface MemoryResult {
  open: number;
  idle: WorkerMemory;
  loaded: WorkerMemory;
  rssPerWorkflowBytes: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Memory after GC, measured `times` times a second apart; the last one (the others settle it). */
async function settled(memory: () => Promise<WorkerMemory>, times = 3): Promise<WorkerMemory> {
  let last = await memory();
  for (let i = 1; i < times; i++) {
    await sleep(1_000);
    last = await memory();
  }
  return last;
}

export async function run(): Promise<MemoryResult> {
  const infra = await startInfra(say);
  let side: SagaSide | undefined;
  let bundle: string | undefined;
  try {
    say('Bundling the product workflows…');
    bundle = await bundleToFile(PRODUCT_WORKFLOWS_PATH);
    side = await startSagaSide(infra, QUEUE, AT_ONCE);
    const quotes = await prepareQuotes(
      infra.databaseUrl,
      side.baseUrl,
      side.checkoutKey,
      WARMUP + OPEN,
      randomBytes(4).toString('hex'),
    );
    const worker = await startWorkerChild({
      mode: 'orders',
      databaseUrl: infra.databaseUrl,
      temporalAddress: infra.temporalAddress,
      namespace: infra.namespace,
      taskQueue: QUEUE,
      bundlePath: bundle,
      maxCachedWorkflows: MAX_CACHED,
      partners: side.partners,
    });
    const tag = randomBytes(3).toString('hex');
    const client = side.api.temporal.client;
    try {
      let nextQuote = 0;
      const saga = side;
      await closedLoop(WARMUP, Math.min(CONCURRENCY, 10), async (i) => {
        const orderId = `memwarm-${tag}-${i}`;
        await saga.placeOrder(orderId, quotes[nextQuote++]!);
        const view = (await client.workflow.getHandle(`order-${orderId}`).result()) as { status: string };
        if (view.status !== 'completed') throw new Error(`warm-up order ${orderId} ended ${view.status}`);
      });
      // From now on the carrier never hands a parcel over: orders wait for tracking events.
      await side.setCarrierProgression(null);
      await sleep(2_000);
      const idle = await settled(worker.memory);
      say(
        `Idle worker (after ${WARMUP} orders ran to completion): RSS ${fixed(idle.rss / MIB, 1)} MiB, ` +
          `${idle.numCachedWorkflows} workflows cached.`,
      );

      const started = performance.now();
      await closedLoop(OPEN, CONCURRENCY, async (i) => {
        await saga.placeOrder(`mem-${tag}-${i}`, quotes[nextQuote++]!);
      });
      const sql = new PgClient({ connectionString: infra.databaseUrl });
      await sql.connect();
      let waiting = 0;
      const deadline = Date.now() + 15 * 60_000;
      while (Date.now() < deadline) {
        waiting = Number(
          (
            await sql.query<{ n: string }>(
              `SELECT count(*) AS n FROM orders WHERE id LIKE $1 AND status = 'awaiting_handover'`,
              [`mem-${tag}-%`],
            )
          ).rows[0]!.n,
        );
        if (waiting >= OPEN) break;
        await sleep(1_000);
      }
      await sql.end();
      if (waiting < OPEN) throw new Error(`only ${waiting} of ${OPEN} orders reached awaiting_handover`);
      say(
        `${fixed(OPEN)} orders placed and waiting for the carrier (awaiting_handover) after ` +
          `${fixed((performance.now() - started) / 1000, 1)} s.`,
      );
      await sleep(2_000);
      const loaded = await settled(worker.memory);
      const perWorkflow = (loaded.rss - idle.rss) / OPEN;
      const per = (a: number, b: number) => `${fixed((a - b) / OPEN / 1024, 1)} KiB`;
      say();
      say(
        table(
          ['Worker process', 'RSS MiB', 'V8 heap used MiB (main thread)', 'external MiB', 'cached workflows'],
          [
            [
              'idle (after GC)',
              fixed(idle.rss / MIB, 1),
              fixed(idle.heapUsed / MIB, 1),
              fixed(idle.external / MIB, 1),
              String(idle.numCachedWorkflows),
            ],
            [
              `${fixed(OPEN)} orders open (after GC)`,
              fixed(loaded.rss / MIB, 1),
              fixed(loaded.heapUsed / MIB, 1),
              fixed(loaded.external / MIB, 1),
              String(loaded.numCachedWorkflows),
            ],
            [
              'per open workflow',
              per(loaded.rss, idle.rss),
              per(loaded.heapUsed, idle.heapUsed),
              per(loaded.external, idle.external),
              '',
            ],
          ],
        ),
      );
      say();
      say(
        `RSS per cached open order workflow: ${fixed(perWorkflow / 1024, 1)} KiB ` +
          `(${fixed(perWorkflow / MIB, 3)} MiB; target at most 1 MB).`,
      );
      return { open: OPEN, idle, loaded, rssPerWorkflowBytes: perWorkflow };
    } finally {
      await worker.stop();
      const terminated = await terminateRunning(client, QUEUE);
      say(`${fixed(terminated)} open workflows terminated.`);
    }
  } finally {
    await side?.close();
    await infra.stop();
    if (bundle) removeBundle(bundle);
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
}
