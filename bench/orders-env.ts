// What the order benchmarks (order-start, saga-throughput, worker-memory) run against, started
// by the benchmark itself: an embedded PostgreSQL (throwaway folder, migrated), the real Temporal
// dev server (in-memory SQLite, the CLI found as src/infra/temporal/dev-server.ts says) with the
// search attributes registered, the payload codec every client and worker uses, and helpers to
// prepare quotes, run a worker in a child process and clean up the workflows a run started.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { loadConfig, payloadKeyringFrom } from '../src/config';
import type { OrderTimings } from '../src/domain/orders/types';
import { ApiKeyStore } from '../src/access';
import { createDatabase, migrate, startEmbeddedPostgres } from '../src/infra/database';
import {
  connectClient,
  EncryptionCodec,
  ensureSearchAttributes,
  startTemporalDevServer,
} from '../src/infra/temporal';
import { WORKFLOWS_PATH } from '../src/worker';
import { BENCH_QUOTE_REQUEST } from './quotes-api';
import { forkUntilReady } from './child';

export const BENCH_MERCHANT_ID = BENCH_QUOTE_REQUEST.merchantId;

export interface BenchInfra {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  stop(): Promise<void>;
}

/** Embedded PostgreSQL (migrated, with the bench merchant) and the Temporal dev server. */
export async function startInfra(log: (message: string) => void): Promise<BenchInfra> {
  log('Starting embedded PostgreSQL (throwaway data folder) and the Temporal dev server (in memory)…');
  const pg = await startEmbeddedPostgres();
  try {
    await migrate({ databaseUrl: pg.url });
    const sql = new PgClient({ connectionString: pg.url });
    await sql.connect();
    await sql.query(
      `INSERT INTO merchants (id, name, country, settlement_currency) VALUES ($1, 'Bench merchant', 'US', 'USD')`,
      [BENCH_MERCHANT_ID],
    );
    await sql.end();
    const server = await startTemporalDevServer({ log });
    const namespace = server.namespace;
    const admin = await connectClient({ address: server.address, namespace, payloadCodec: null });
    await ensureSearchAttributes(admin.connection, namespace);
    await admin.close();
    return {
      databaseUrl: pg.url,
      temporalAddress: server.address,
      namespace,
      stop: async () => {
        await server.stop().catch(() => undefined);
        await pg.stop();
      },
    };
  } catch (error) {
    await pg.stop();
    throw error;
  }
}

/** The payload codec of `npm run dev` and the tests (the published development key). */
export function benchPayloadCodec(): EncryptionCodec {
  return new EncryptionCodec(payloadKeyringFrom(loadConfig({ NODE_ENV: 'test' })));
}

/** Bundles a workflows module once (webpack), into a file a worker in another process loads. */
export async function bundleToFile(workflowsPath: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  const file = join(mkdtempSync(join(tmpdir(), 'borderline-bench-bundle-')), 'workflows.js');
  writeFileSync(file, code);
  return file;
}

/** Removes a bundle written by bundleToFile (and its folder). */
export function removeBundle(file: string): void {
  rmSync(dirname(file), { recursive: true, force: true });
}

export const PRODUCT_WORKFLOWS_PATH = WORKFLOWS_PATH;
export const BASELINE_WORKFLOWS_PATH = require.resolve('./baseline-workflow');

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
};

/** Short business deadlines, as the tests use (test/helpers/api.ts), with a 1 ms refund window. */
export const BENCH_ORDER_TIMINGS: OrderTimings = {
  reviewTimeoutMs: 20_000,
  captureDeadlineMs: 600_000,
  declarationTimeoutMs: 60_000,
  deliveryTimeoutMs: 600_000,
  refundWindowMs: 1,
  compensationAttempts: 2,
};

/** The order body of POST /v1/orders for a quote of BENCH_QUOTE_REQUEST (shipped to Germany). */
export function orderBody(orderId: string, quoteId: string) {
  return {
    orderId,
    quoteId,
    customer: { name: 'Anna Schmidt', email: 'anna@example.com' },
    shippingAddress: {
      name: 'Anna Schmidt',
      line1: 'Hauptstraße 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    paymentMethodId: 'pm_card_visa',
  };
}

/**
 * `count` open quotes, copies of one real quote made through POST /v1/quotes (`apiUrl`, a
 * checkout key): ids `qt_` + 24 hex digits, valid for a day. One INSERT ... SELECT, so preparing
 * thousands takes well under a second.
 */
export async function prepareQuotes(
  databaseUrl: string,
  apiUrl: string,
  checkoutKey: string,
  count: number,
  prefix: string,
): Promise<string[]> {
  const res = await fetch(`${apiUrl}/v1/quotes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${checkoutKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_QUOTE_REQUEST),
  });
  if (res.status !== 201) throw new Error(`POST /v1/quotes answered ${res.status}: ${await res.text()}`);
  const quote = (await res.json()) as { id: string; screening: { decision: string } };
  if (!/^[0-9a-f]{8}$/.test(prefix)) throw new Error('prefix: 8 hex digits');
  const sql = new PgClient({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO quotes (id, merchant_id, currency, incoterm, ship_from_country, ship_to_country,
                           charge_now_amount, due_on_delivery_amount, screening_decision, request,
                           breakdown, totals, status, created_at, expires_at)
       SELECT 'qt_' || $2::text || lpad(to_hex(g), 16, '0'), merchant_id, currency, incoterm,
              ship_from_country, ship_to_country, charge_now_amount, due_on_delivery_amount,
              screening_decision, request, breakdown, totals, 'OPEN', now(), now() + interval '1 day'
         FROM quotes q CROSS JOIN generate_series(1, $3::int) g
        WHERE q.id = $1
        ORDER BY g
       RETURNING id`,
      [quote.id, prefix, count],
    );
    return rows.map((r) => r.id);
  } finally {
    await sql.end();
  }
}

/** Creates an API key of a role directly in PostgreSQL (through the key store). */
export async function createKey(databaseUrl: string, role: 'checkout' | 'support'): Promise<string> {
  const db = createDatabase({ url: databaseUrl, poolSize: 1 });
  try {
    return (await new ApiKeyStore(db).create({ name: `bench ${role}`, role })).key;
  } finally {
    await db.$disconnect();
  }
}

/**
 * Terminates every running workflow of a task queue with one batch operation (the server works
 * through them), and waits until none is left running.
 */
export async function terminateRunning(client: Client, taskQueue: string): Promise<number> {
  const query = `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`;
  const running = async () =>
    Number(
      (await client.workflowService.countWorkflowExecutions({ namespace: client.options.namespace, query }))
        .count ?? 0,
    );
  const before = await running();
  if (before === 0) return 0;
  await client.workflowService.startBatchOperation({
    namespace: client.options.namespace,
    jobId: `bench-terminate-${taskQueue}-${Date.now()}`,
    reason: 'benchmark finished',
    visibilityQuery: query,
    terminationOperation: { identity: 'bench' },
  });
  const deadline = Date.now() + 120_000;
  while ((await running()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  return before;
}

// --- a worker in a child process (bench/saga-worker.ts) -------------------------------------

export interface WorkerChildOptions {
  mode: 'orders' | 'baseline';
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  maxCachedWorkflows: number;
  /** Where the worker's activities reach the sandboxes (mode `orders`). */
  partners?: {
    stripe: { host: string; port: number; secretKey: string };
    customs: { url: string; apiKey: string };
    carrier: { url: string; apiKey: string };
  };
  execArgv?: string[];
}

export interface WorkerMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  numCachedWorkflows: number;
}

export interface WorkerChild {
  child: ChildProcess;
  /** Memory of the worker process after two full GCs. */
  memory(): Promise<WorkerMemory>;
  stop(): Promise<void>;
}

export async function startWorkerChild(options: WorkerChildOptions): Promise<WorkerChild> {
  const { child, message: ready } = await forkUntilReady<{ type: string }>(
    join(__dirname, 'saga-worker.ts'),
    { ...process.env, BENCH_WORKER: JSON.stringify(options) },
    'worker',
    [
      '--expose-gc',
      // BENCH_WORKER_CPU_PROF=<folder>: a V8 CPU profile of the worker, written when it stops.
      ...(process.env.BENCH_WORKER_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_CPU_PROF}`]
        : []),
      ...(options.execArgv ?? []),
    ],
  );
  if (ready.type !== 'ready')
    throw new Error(`unexpected message from the bench worker: ${JSON.stringify(ready)}`);
  return {
    child,
    async memory() {
      const answer = once(child, 'message') as Promise<[{ type: 'memory'; memory: WorkerMemory }]>;
      child.send({ type: 'memory' });
      return (await answer)[0].memory;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Percentile of a sorted array (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const sortNumbers = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

// --- CPU time per process group (Linux /proc), to attribute a phase's work ------------------

const CLOCK_TICKS = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  name: string;
  /** utime + stime, and the same of reaped children, in seconds. */
  own: number;
  children: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const name = text.slice(text.indexOf('(') + 1, close);
    const f = text
      .slice(close + 2)
      .split(' ')
      .map(Number);
    // Fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    return {
      pid,
      ppid: f[1]!,
      name,
      own: (f[11]! + f[12]!) / CLOCK_TICKS,
      children: (f[13]! + f[14]!) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by this process and its descendants, by group: `bench` (this
 * process: the API and the load), `worker` (the worker child, by pid), `sandboxes` (the
 * partners' stand-ins, by pid), `temporal` (the dev
 * server), `postgres` (the postmaster, its backends and the backends it has reaped). Empty
 * where /proc is not available.
 */
export function cpuByGroup(workerPid?: number, sandboxesPid?: number): Record<string, number> {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return {};
  }
  const stats = new Map<number, ProcStat>();
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) stats.set(pid, s);
  }
  const groupOf = (pid: number): string | undefined => {
    let current = stats.get(pid);
    const chain: ProcStat[] = [];
    while (current && current.pid !== process.pid) {
      chain.push(current);
      current = stats.get(current.ppid);
    }
    if (!current) return undefined; // not ours
    const top = chain[chain.length - 1];
    if (!top) return 'bench';
    if (top.pid === workerPid) return 'worker';
    if (top.pid === sandboxesPid) return 'sandboxes';
    if (chain.some((s) => s.name.startsWith('postgres'))) return 'postgres';
    if (chain.some((s) => s.name.startsWith('temporal'))) return 'temporal';
    return 'other';
  };
  const totals: Record<string, number> = {};
  for (const s of stats.values()) {
    const group = s.pid === process.pid ? 'bench' : groupOf(s.pid);
    if (!group) continue;
    // A reaped child's time shows in its parent's `children`; count it for the group roots that
    // reap (the postmaster reaps its backends).
    const reaped = group === 'postgres' && s.name.startsWith('postgres') ? s.children : 0;
    totals[group] = (totals[group] ?? 0) + s.own + reaped;
  }
  return totals;
}

/** `after − before`, per group. */
export function cpuSpent(before: Record<string, number>, after: Record<string, number>) {
  const spent: Record<string, number> = {};
  for (const [group, seconds] of Object.entries(after)) spent[group] = seconds - (before[group] ?? 0);
  return spent;
}
