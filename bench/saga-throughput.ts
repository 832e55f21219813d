// Orders completed per second, end to end, next to a baseline workflow with the same number of
// no-op activities, on the same Temporal server with the same worker options, in the same run.
//
// Orders: POST /v1/orders (the API in this process) → the saga on a worker in a child process
// (bench/saga-worker.ts) → the sandboxes answer at once (customs decides on submission, the
// carrier hands over, sends out and delivers each label as soon as it is bought, tracking
// webhooks go through the API to the workflow) → the refund window (1 ms) → `completed`.
// "Completed" is the workflow's result (status completed), seen by the client here.
// Baselines: bench/baseline-workflow.ts started with client.workflow.start, as many no-op
// activities as a real order's history has activities (the median of measured orders of the same
// run) and one 1 ms timer; its own worker (same options), same closed loop. Two of them: the
// order's shape (as many local activities as the order has, the rest on the task queue), which
// the target is judged against, and every activity on the task queue, as runs before the
// projection write became a local activity measured it.
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { temporal } from '@temporalio/proto';
import type { BaselineInput } from './baseline-workflow';
import {
  BASELINE_WORKFLOWS_PATH,
  BENCH_ORDER_TIMINGS,
  bundleToFile,
  cpuByGroup,
  cpuSpent,
  percentile,
  prepareQuotes,
  PRODUCT_WORKFLOWS_PATH,
  removeBundle,
  sortNumbers,
  startInfra,
  startWorkerChild,
  type BenchInfra,
} from './orders-env';
import { AT_ONCE, closedLoop, startSagaSide, stepEnd, type OrderView, type SagaSide } from './saga-env';
import { fixed, say, table } from './report';

const ORDERS = Number(process.env.BENCH_SAGA_ORDERS ?? 300);
const WARMUP = Number(process.env.BENCH_SAGA_WARMUP ?? 20);
const CONCURRENCY = Number(process.env.BENCH_SAGA_CONCURRENCY ?? 50);
const MAX_CACHED = Number(process.env.BENCH_MAX_CACHED ?? 1_000);
const ORDERS_QUEUE = 'bench-saga-orders';
const CPU_GROUPS: Record<string, string> = {
  temporal: 'Temporal server',
  worker: 'worker process',
  bench: 'API + load (this process)',
  sandboxes: 'partner sandboxes (child)',
  postgres: 'PostgreSQL',
  other: 'other',
};
const BASELINE_QUEUE = 'bench-saga-baseline';

export interface SagaRow {
  target: string;
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  captureP50Ms?: number;
  captureP99Ms?: number;
  /** CPU seconds of the measured phase, by process group (see cpuByGroup). */
  cpu: Record<string, number>;
}

interface HistoryShape {
  /** Activity tasks (scheduled on a task queue). */
  activities: number;
  /** Local activities (a marker each). */
  localActivities: number;
  timers: number;
  signals: number;
  workflowTasks: number;
  searchAttributeUpserts: number;
  events: number;
  /** The history's size, encoded as the server sends it (payloads encrypted by the codec). */
  bytes: number;
}

const describeShape = (s: HistoryShape) =>
  `${s.events} events: ${s.activities} activity tasks, ${s.localActivities} local activities, ${s.workflowTasks} workflow tasks, ${s.timers} timers, ` +
  `${s.signals} signals, ${s.searchAttributeUpserts} search-attribute upserts; ${fixed(s.bytes / 1024, 1)} KiB`;

async function historyShape(side: SagaSide, workflowId: string): Promise<HistoryShape> {
  const history = await side.api.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  return {
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    localActivities: events.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER,
    ).length,
    timers: events.filter((e) => e.timerStartedEventAttributes).length,
    signals: events.filter((e) => e.workflowExecutionSignaledEventAttributes).length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    searchAttributeUpserts: events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length,
    events: events.length,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
  };
}

/** The marker the SDK records for each local activity's result. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** How many measured orders the order's history shape is the median of. */
const SHAPE_SAMPLES = 15;

function medianShape(shapes: readonly HistoryShape[]): HistoryShape {
  const median = (key: keyof HistoryShape) => {
    const values = shapes.map((s) => s[key]).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  return {
    activities: median('activities'),
    localActivities: median('localActivities'),
    timers: median('timers'),
    signals: median('signals'),
    workflowTasks: median('workflowTasks'),
    searchAttributeUpserts: median('searchAttributeUpserts'),
    events: median('events'),
    bytes: median('bytes'),
  };
}

async function runOrders(
  infra: BenchInfra,
  side: SagaSide,
  bundlePath: string,
  quotes: string[],
  tag: string,
): Promise<{ row: SagaRow; shape: HistoryShape }> {
  const worker = await startWorkerChild({
    mode: 'orders',
    databaseUrl: infra.databaseUrl,
    temporalAddress: infra.temporalAddress,
    namespace: infra.namespace,
    taskQueue: ORDERS_QUEUE,
    bundlePath,
    maxCachedWorkflows: MAX_CACHED,
    partners: side.partners,
  });
  try {
    const client = side.api.temporal.client;
    let nextQuote = 0;
    const one = async (orderId: string) => {
      const t0 = Date.now();
      const quote = quotes[nextQuote++];
      if (!quote) throw new Error('out of quotes');
      await side.placeOrder(orderId, quote);
      const view = (await client.workflow.getHandle(`order-${orderId}`).result()) as OrderView;
      return { t0, t1: Date.now(), status: view.status };
    };
    await closedLoop(WARMUP, CONCURRENCY, async (i) => {
      const r = await one(`warm-${tag}-${i}`);
      if (r.status !== 'completed') throw new Error(`warm-up order ${i} ended ${r.status}`);
    });

    const results: { orderId: string; t0: number; t1: number; status: string }[] = [];
    const cpuBefore = cpuByGroup(worker.child.pid, side.sandboxes.pid);
    const wallMs = await closedLoop(ORDERS, CONCURRENCY, async (i) => {
      const orderId = `saga-${tag}-${i}`;
      results.push({ orderId, ...(await one(orderId)) });
    });
    const cpu = cpuSpent(cpuBefore, cpuByGroup(worker.child.pid, side.sandboxes.pid));
    const completed = results.filter((r) => r.status === 'completed');
    // The order's shape (and so the baseline's number of activities): the median of SHAPE_SAMPLES
    // measured orders, field by field. One order is not enough: an order whose webhooks come late
    // reads the carrier's tracking list (one more timer and activity), and the first warm-up
    // order did so in some runs and not in others.
    const sampled = completed.filter(
      (_, i) => i % Math.max(1, Math.floor(completed.length / SHAPE_SAMPLES)) === 0,
    );
    const shape = medianShape(
      await Promise.all(sampled.slice(0, SHAPE_SAMPLES).map((r) => historyShape(side, `order-${r.orderId}`))),
    );
    // Start → capture: the capture step's end on the order's timeline (projection in PostgreSQL).
    const sql = new PgClient({ connectionString: infra.databaseUrl });
    await sql.connect();
    const { rows } = await sql.query<{ id: string; timeline: { step: string; endedAt?: string }[] }>(
      'SELECT id, timeline FROM orders WHERE id = ANY($1)',
      [results.map((r) => r.orderId)],
    );
    await sql.end();
    const started = new Map(results.map((r) => [r.orderId, r.t0]));
    const toCapture = sortNumbers(
      rows.flatMap((r) => {
        const end = stepEnd(r.timeline ?? [], 'capture');
        return end === undefined ? [] : [end - started.get(r.id)!];
      }),
    );
    const latencies = sortNumbers(completed.map((r) => r.t1 - r.t0));
    return {
      shape,
      row: {
        target: 'orders: POST /v1/orders → saga → completed',
        completed: completed.length,
        failed: results.length - completed.length,
        seconds: wallMs / 1000,
        perSecond: completed.length / (wallMs / 1000),
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        captureP50Ms: percentile(toCapture, 50),
        captureP99Ms: percentile(toCapture, 99),
        cpu,
      },
    };
  } finally {
    await worker.stop();
  }
}

async function runBaseline(
  infra: BenchInfra,
  side: SagaSide,
  bundlePath: string,
  input: BaselineInput,
  tag: string,
): Promise<{ row: SagaRow; shape: HistoryShape }> {
  const worker = await startWorkerChild({
    mode: 'baseline',
    databaseUrl: infra.databaseUrl,
    temporalAddress: infra.temporalAddress,
    namespace: infra.namespace,
    taskQueue: BASELINE_QUEUE,
    bundlePath,
    maxCachedWorkflows: MAX_CACHED,
  });
  try {
    const client = side.api.temporal.client;
    const one = async (workflowId: string) => {
      const t0 = Date.now();
      const handle = await client.workflow.start('baselineWorkflow', {
        workflowId,
        taskQueue: BASELINE_QUEUE,
        args: [input],
      });
      await handle.result();
      return Date.now() - t0;
    };
    await closedLoop(WARMUP, CONCURRENCY, async (i) => {
      await one(`baseline-warm-${tag}-${i}`);
    });
    const shape = await historyShape(side, `baseline-warm-${tag}-0`);
    const latencies: number[] = [];
    const cpuBefore = cpuByGroup(worker.child.pid, side.sandboxes.pid);
    const wallMs = await closedLoop(ORDERS, CONCURRENCY, async (i) => {
      latencies.push(await one(`baseline-${tag}-${i}`));
    });
    const cpu = cpuSpent(cpuBefore, cpuByGroup(worker.child.pid, side.sandboxes.pid));
    const sorted = sortNumbers(latencies);
    const row: SagaRow = {
      target:
        `baseline: ${input.activities} no-op activities` +
        (input.localActivities > 0
          ? ` (${input.localActivities} local)`
          : input.activities > 0
            ? ' (all on the task queue)'
            : '') +
        ` + ${input.timerMs} ms timer → completed`,
      completed: latencies.length,
      failed: 0,
      seconds: wallMs / 1000,
      perSecond: latencies.length / (wallMs / 1000),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      cpu,
    };
    return { row, shape };
  } finally {
    await worker.stop();
  }
}

export async function run(): Promise<SagaRow[]> {
  const infra = await startInfra(say);
  let side: SagaSide | undefined;
  const bundles: string[] = [];
  try {
    say('Bundling the product workflows and the baseline workflow…');
    const productBundle = await bundleToFile(PRODUCT_WORKFLOWS_PATH);
    bundles.push(productBundle);
    const baselineBundle = await bundleToFile(BASELINE_WORKFLOWS_PATH);
    bundles.push(baselineBundle);
    side = await startSagaSide(infra, ORDERS_QUEUE, AT_ONCE);
    const quotes = await prepareQuotes(
      infra.databaseUrl,
      side.baseUrl,
      side.checkoutKey,
      WARMUP + ORDERS,
      randomBytes(4).toString('hex'),
    );
    const tag = randomBytes(3).toString('hex');
    say(
      `${fixed(ORDERS)} orders and ${fixed(ORDERS)} baseline workflows, ${CONCURRENCY} at a time (closed loop), ` +
        `after ${WARMUP} warm-up each; worker in a child process, maxCachedWorkflows ${MAX_CACHED}; ` +
        `refund window ${BENCH_ORDER_TIMINGS.refundWindowMs} ms.`,
    );
    const orders = await runOrders(infra, side, productBundle, quotes, tag);
    say(
      `  orders: ${fixed(orders.row.perSecond, 1)}/s (${orders.row.completed} completed, ${orders.row.failed} not); ` +
        `an order's history (median of ${SHAPE_SAMPLES} measured orders): ${describeShape(orders.shape)}`,
    );
    const activities = orders.shape.activities + orders.shape.localActivities;
    const { row: baseline, shape: baselineShape } = await runBaseline(
      infra,
      side,
      baselineBundle,
      {
        activities,
        localActivities: orders.shape.localActivities,
        timerMs: BENCH_ORDER_TIMINGS.refundWindowMs,
      },
      tag,
    );
    say(
      `  baseline (the order's shape): ${fixed(baseline.perSecond, 1)}/s; one history: ${describeShape(baselineShape)}`,
    );
    const rows = [baseline];
    if (orders.shape.localActivities > 0) {
      const { row: queued, shape: queuedShape } = await runBaseline(
        infra,
        side,
        baselineBundle,
        { activities, localActivities: 0, timerMs: BENCH_ORDER_TIMINGS.refundWindowMs },
        `${tag}-q`,
      );
      say(
        `  baseline (all on the task queue): ${fixed(queued.perSecond, 1)}/s; one history: ${describeShape(queuedShape)}`,
      );
      rows.push(queued);
    }
    rows.push(orders.row);
    say();
    say(
      table(
        [
          'Target',
          'completed/s',
          'ratio to the first baseline',
          'start→completed p50 ms',
          'p99 ms',
          'start→capture p50 ms',
          'p99 ms',
          'completed',
          'not completed',
          'wall s',
        ],
        rows.map((r) => [
          r.target,
          fixed(r.perSecond, 1),
          fixed(r.perSecond / baseline.perSecond, 2),
          fixed(r.p50Ms),
          fixed(r.p99Ms),
          r.captureP50Ms === undefined ? '' : fixed(r.captureP50Ms),
          r.captureP99Ms === undefined ? '' : fixed(r.captureP99Ms),
          fixed(r.completed),
          fixed(r.failed),
          fixed(r.seconds, 1),
        ]),
      ),
    );
    const groups = ['temporal', 'worker', 'bench', 'sandboxes', 'postgres', 'other'].filter((g) =>
      rows.some((r) => (r.cpu[g] ?? 0) > 0),
    );
    if (groups.length > 0) {
      say();
      say('CPU seconds per completed workflow during the measured phase, by process:');
      say();
      say(
        table(
          ['Target', ...groups.map((g) => CPU_GROUPS[g] ?? g), 'total', 'wall s × 2 cores'],
          rows.map((r) => [
            r.target,
            ...groups.map((g) => fixed((r.cpu[g] ?? 0) / r.completed, 3)),
            fixed(Object.values(r.cpu).reduce((a, b) => a + b, 0) / r.completed, 3),
            fixed((2 * r.seconds) / r.completed, 3),
          ]),
        ),
      );
    }
    say();
    say("Target: orders at least 0.8× the rate of the baseline with the order's shape (the first).");
    return rows;
  } finally {
    await side?.close();
    await infra.stop();
    bundles.forEach(removeBundle);
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
}
