// POST /v1/orders (auth, validation, idempotency, quote check, workflow start) next to a bare
// `client.workflow.start` of the same workflow with the same input from the same process, both
// over HTTP with autocannon, measured the same way in the same run. The servers run in a child
// process (bench/order-start-server.ts); autocannon here. No worker polls the task queue: the
// workflows wait there, and are terminated at the end. Every request has its own order id,
// Idempotency-Key and quote.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client, Connection } from '@temporalio/client';
import { encryptedDataConverter } from '../src/infra/temporal';
import {
  benchPayloadCodec,
  createKey,
  orderBody,
  percentile,
  prepareQuotes,
  sortNumbers,
  startInfra,
  terminateRunning,
} from './orders-env';
import { fixed, say, table } from './report';
import { forkUntilReady, stopServerChild } from './child';

const REQUESTS = Number(process.env.BENCH_START_REQUESTS ?? 1_000);
const WARMUP = Number(process.env.BENCH_START_WARMUP ?? 1_000);
const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 3);
/** Connection counts, each measured on its own (e.g. `1,10`): 1 shows latency without queueing. */
/** Sequential timings of each piece of a request (0: skip). */
const BREAKDOWN = Number(process.env.BENCH_START_BREAKDOWN ?? 200);
const CONNECTION_COUNTS = (process.env.BENCH_START_CONNECTIONS ?? '1,10').split(',').map(Number);
const MAX_CONNECTIONS = Math.max(...CONNECTION_COUNTS);
const TASK_QUEUE = 'bench-order-start-unpolled';

/** One variant since the desk took the proposal this benchmark measured (see bench/README.md). */
type Variant = 'current';
const VARIANTS: Variant[] = ['current'];

export interface OrderStartRow {
  target: string;
  variant: Variant;
  connections: number;
  round: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** Body of the next request (distinct order id, and quote for the API). */
  body(): { body: string; idempotencyKey: string };
}

/** `amount` requests on `connections` connections; latencies (ms, sub-ms resolution) of 2xx answers. */
async function load(target: Target, amount: number, connections: number) {
  const latencies: number[] = [];
  const url = new URL(target.url);
  const options: autocannon.Options = {
    url: url.origin,
    connections,
    amount,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        setupRequest: (request) => {
          const { body, idempotencyKey } = target.body();
          return {
            ...request,
            body,
            headers: {
              ...target.headers,
              'content-type': 'application/json',
              'idempotency-key': idempotencyKey,
            },
          };
        },
      },
    ],
  };
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
  let first = 0;
  let last = 0;
  let answered = 0;
  instance!.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    const now = performance.now();
    if (answered++ === 0) first = now - responseTime;
    last = now;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await finished;
  // From the first request sent to the last answer (autocannon's own end adds up to a second).
  const seconds = (last - first) / 1000;
  const sorted = sortNumbers(latencies);
  return {
    result,
    requests: result.requests.total,
    seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

async function startServers(
  databaseUrl: string,
  temporalAddress: string,
  namespace: string,
  desk: Variant,
): Promise<{ child: ChildProcess; appPort: number; barePort: number }> {
  const { child, message } = await forkUntilReady<{ appPort: number; barePort: number }>(
    join(__dirname, 'order-start-server.ts'),
    {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      BENCH_TASK_QUEUE: TASK_QUEUE,
      BENCH_POOL_SIZE: String(MAX_CONNECTIONS),
      BENCH_DESK: desk,
    },
    'server',
    // BENCH_SERVER_CPU_PROF=<folder>: a V8 CPU profile of the server, written when it stops.
    process.env.BENCH_SERVER_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_CPU_PROF}`]
      : [],
  );
  return { child, ...message };
}

export async function run(): Promise<OrderStartRow[]> {
  const infra = await startInfra(say);
  let child: ChildProcess | undefined;
  const connection = await Connection.connect({ address: infra.temporalAddress });
  const client = new Client({
    connection,
    namespace: infra.namespace,
    dataConverter: encryptedDataConverter(benchPayloadCodec()),
  });
  try {
    const checkout = await createKey(infra.databaseUrl, 'checkout');
    const perRound = WARMUP + REQUESTS + 4 * MAX_CONNECTIONS;
    const runTag = randomBytes(3).toString('hex');
    say(
      `autocannon: ${CONNECTION_COUNTS.join(' and ')} connections; per target, connection count and round ` +
        `${fixed(WARMUP)} requests warm-up, then ${fixed(REQUESTS)} measured; ${ROUNDS} rounds, targets ` +
        `interleaved; task queue "${TASK_QUEUE}" has no worker. Desk: ${VARIANTS.join(', then ')}.`,
    );
    const rows: OrderStartRow[] = [];
    let started = 0;
    let terminated = 0;
    let breakdown: { name: string; p50: number; mean: number }[] = [];
    for (const variant of VARIANTS) {
      const servers = await startServers(infra.databaseUrl, infra.temporalAddress, infra.namespace, variant);
      child = servers.child;
      const app = `http://127.0.0.1:${servers.appPort}`;
      const quotes = await prepareQuotes(
        infra.databaseUrl,
        app,
        checkout,
        ROUNDS * CONNECTION_COUNTS.length * perRound,
        randomBytes(4).toString('hex'),
      );
      let nextQuote = 0;
      let nextBare = 0;
      const apiName = 'API: POST /v1/orders (auth, validation, idempotency, quote, start)';
      const targets: Target[] = [
        {
          name: 'bare: HTTP route → client.workflow.start (same input, options, codec)',
          url: `http://127.0.0.1:${servers.barePort}/bare-start`,
          headers: {},
          body: () => {
            const orderId = `bare-${runTag}-${variant}-${nextBare++}`;
            return { body: JSON.stringify(orderBody(orderId, quotes[0]!)), idempotencyKey: orderId };
          },
        },
        {
          name: apiName,
          url: `${app}/v1/orders`,
          headers: { authorization: `Bearer ${checkout}` },
          body: () => {
            const i = nextQuote++;
            const quote = quotes[i];
            if (!quote) throw new Error('out of quotes');
            const orderId = `api-${runTag}-${variant}-${i}`;
            return { body: JSON.stringify(orderBody(orderId, quote)), idempotencyKey: orderId };
          },
        },
      ];
      for (const connections of CONNECTION_COUNTS) {
        for (let round = 1; round <= ROUNDS; round++) {
          for (const target of targets) {
            await load(target, WARMUP, connections);
            const r = await load(target, REQUESTS, connections);
            const row: OrderStartRow = {
              target: target.name,
              variant,
              connections,
              round,
              requests: r.requests,
              requestsPerSecond: r.requests / r.seconds,
              p50Ms: r.p50,
              p99Ms: r.p99,
              non2xx: r.result.non2xx,
              errors: r.result.errors,
            };
            rows.push(row);
            say(
              `  ${connections} conn., round ${round}, ${target.name}: ${fixed(row.requestsPerSecond)} req/s, ` +
                `p50 ${fixed(row.p50Ms, 2)} ms, p99 ${fixed(row.p99Ms, 2)} ms (non-2xx ${row.non2xx}, errors ${row.errors})`,
            );
          }
        }
      }
      if (variant === 'current' && BREAKDOWN > 0) {
        const res = await fetch(`http://127.0.0.1:${servers.barePort}/breakdown`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ checkoutKey: checkout, quoteId: quotes[0], n: BREAKDOWN }),
        });
        if (res.status !== 200) throw new Error(`breakdown answered ${res.status}: ${await res.text()}`);
        breakdown = (await res.json()) as typeof breakdown;
      }
      await stopServerChild(child);
      child = undefined;
      started += Number(
        (
          await client.workflowService.countWorkflowExecutions({
            namespace: infra.namespace,
            query: `TaskQueue = "${TASK_QUEUE}" AND ExecutionStatus = "Running"`,
          })
        ).count ?? 0,
      );
      terminated += await terminateRunning(client, TASK_QUEUE);
    }

    say();
    const line = (r: OrderStartRow) => [
      `${r.connections} conn., round ${r.round}: ${r.target}`,
      fixed(r.requestsPerSecond),
      fixed(r.p50Ms, 2),
      fixed(r.p99Ms, 2),
      fixed(r.requests),
      String(r.non2xx),
      String(r.errors),
    ];
    const body: string[][] = [];
    for (const variant of VARIANTS) {
      for (const connections of CONNECTION_COUNTS) {
        for (let round = 1; round <= ROUNDS; round++) {
          const pair = rows.filter(
            (r) => r.variant === variant && r.connections === connections && r.round === round,
          );
          const [bare, api] = pair;
          body.push(...pair.map(line));
          if (bare && api) {
            body.push([
              `**${connections} conn., round ${round}: API ÷ bare**`,
              fixed(api.requestsPerSecond / bare.requestsPerSecond, 2),
              `**${fixed(api.p50Ms / bare.p50Ms, 2)}**`,
              fixed(api.p99Ms / bare.p99Ms, 2),
              '',
              '',
              '',
            ]);
          }
        }
      }
    }
    say(table(['Target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'], body));
    // The headline per connection count: the median over the rounds of API p50 ÷ bare p50 (a
    // round's pair shares the moment's load; single rounds differed by up to 0.3).
    for (const variant of VARIANTS) {
      for (const connections of CONNECTION_COUNTS) {
        const ratios: number[] = [];
        for (let round = 1; round <= ROUNDS; round++) {
          const [bare, api] = rows.filter(
            (r) => r.variant === variant && r.connections === connections && r.round === round,
          );
          if (bare && api) ratios.push(api.p50Ms / bare.p50Ms);
        }
        if (ratios.length === 0) continue;
        const sorted = [...ratios].sort((a, b) => a - b);
        say(
          `${variant === VARIANTS[0] ? '' : `${variant}: `}${connections} conn.: API p50 ÷ bare p50, median of ` +
            `${ratios.length} rounds: **${fixed(sorted[Math.floor(sorted.length / 2)]!, 2)}** ` +
            `(rounds: ${ratios.map((r) => fixed(r, 2)).join(', ')})`,
        );
      }
    }
    if (breakdown.length > 0) {
      say();
      say(
        `Pieces of one POST /v1/orders, each timed alone, ${BREAKDOWN} times one after the other (in the server process):`,
      );
      say();
      say(
        table(
          ['Piece', 'p50 ms', 'mean ms'],
          breakdown.map((b) => [b.name, fixed(b.p50, 2), fixed(b.mean, 2)]),
        ),
      );
    }
    say();
    say(
      `Workflows started on "${TASK_QUEUE}" (warm-up included): ${fixed(started)}; ${fixed(terminated)} ` +
        'terminated afterwards. Target: API p50 at most 1.3× the bare start.',
    );
    return rows;
  } finally {
    await stopServerChild(child);
    await connection.close().catch(() => undefined);
    await infra.stop();
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
}
