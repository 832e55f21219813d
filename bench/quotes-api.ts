// POST /v1/quotes over HTTP: requests per second and latency, next to a bare Fastify route doing
// nothing, measured in the same run. The bench starts its own embedded PostgreSQL, migrates it,
// and runs the servers in a child process (bench/quotes-api-server.ts); autocannon runs here.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ApiKeyStore } from '../src/access';
import { createDatabase, migrate, startEmbeddedPostgres } from '../src/infra/database';
import { fixed, say, table } from './report';
import { forkUntilReady, stopServerChild } from './child';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const MERCHANT_ID = 'mer_bench';

/** A 3-line EUR cart from the US to Germany, DDP: the common checkout case. */
export const BENCH_QUOTE_REQUEST = {
  merchantId: MERCHANT_ID,
  currency: 'EUR',
  incoterm: 'DDP',
  shipFrom: { country: 'US', region: 'CA', postalCode: '94107' },
  shipTo: { country: 'DE', postalCode: '10115' },
  lines: [
    {
      sku: 'TEE-COT-001',
      description: 'Organic cotton T-shirt',
      hsCode: '6109100012',
      originCountry: 'VN',
      unitPrice: '19.99',
      quantity: 2,
      weightGrams: 180,
      dimensions: { lengthMm: 300, widthMm: 200, heightMm: 20 },
    },
    {
      sku: 'LIP-MAT-001',
      description: 'Matte lipstick',
      hsCode: '3304100000',
      originCountry: 'FR',
      unitPrice: '24.00',
      quantity: 1,
      weightGrams: 30,
    },
    {
      sku: 'BOK-PRT-001',
      description: 'Printed cookbook',
      hsCode: '4901990093',
      originCountry: 'US',
      unitPrice: '35.00',
      quantity: 1,
      weightGrams: 800,
    },
  ],
  buyer: { name: 'Anna Schmidt', address: { line1: 'Hauptstraße 1', city: 'Berlin', country: 'DE' } },
  consignee: { name: 'Anna Schmidt', address: { line1: 'Hauptstraße 1', city: 'Berlin', country: 'DE' } },
};

export interface ApiBenchResult {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

interface Target {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

async function load(target: Target, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: target.url,
    method: target.method,
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    connections: CONNECTIONS,
    duration,
  });
}

async function startServers(
  databaseUrl: string,
): Promise<{ child: ChildProcess; appPort: number; barePort: number }> {
  const { child, message } = await forkUntilReady<{ appPort: number; barePort: number }>(
    join(__dirname, 'quotes-api-server.ts'),
    { ...process.env, DATABASE_URL: databaseUrl, BENCH_POOL_SIZE: String(CONNECTIONS) },
    'server',
    // BENCH_SERVER_CPU_PROF=<folder>: a V8 CPU profile of the server, written when it stops.
    process.env.BENCH_SERVER_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_CPU_PROF}`]
      : [],
  );
  return { child, ...message };
}

export async function run(): Promise<ApiBenchResult[]> {
  say('Starting embedded PostgreSQL (throwaway data folder)…');
  const pg = await startEmbeddedPostgres();
  let child: ChildProcess | undefined;
  try {
    await migrate({ databaseUrl: pg.url });
    const db = createDatabase({ url: pg.url, poolSize: 2 });
    await db.merchant.create({
      data: { id: MERCHANT_ID, name: 'Bench merchant', country: 'US', settlementCurrency: 'USD' },
    });
    const keys = new ApiKeyStore(db);
    const checkout = (await keys.create({ name: 'bench checkout', role: 'checkout' })).key;
    const servers = await startServers(pg.url);
    child = servers.child;
    const app = `http://127.0.0.1:${servers.appPort}`;
    const auth = { authorization: `Bearer ${checkout}` };
    const body = JSON.stringify(BENCH_QUOTE_REQUEST);

    // One quote by hand: the bench measures successes only.
    const first = await fetch(`${app}/v1/quotes`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body,
    });
    if (first.status !== 201)
      throw new Error(`POST /v1/quotes answered ${first.status}: ${await first.text()}`);
    const quote = (await first.json()) as { id: string; totals: { chargeNow: { amount: number } } };

    const targets: Target[] = [
      {
        name: 'bare Fastify: POST, same JSON body, 204, no schema/auth/DB',
        url: `http://127.0.0.1:${servers.barePort}/bare`,
        method: 'POST',
        body,
      },
      {
        name: 'API: GET /v1/me (API-key lookup in PostgreSQL)',
        url: `${app}/v1/me`,
        method: 'GET',
        headers: auth,
      },
      {
        name: 'API: GET /v1/quotes/:id (auth + 1 SELECT)',
        url: `${app}/v1/quotes/${quote.id}`,
        method: 'GET',
        headers: auth,
      },
      {
        name: 'API: POST /v1/quotes (auth, validation, quote, 1 INSERT)',
        url: `${app}/v1/quotes`,
        method: 'POST',
        headers: auth,
        body,
      },
    ];

    say(
      `autocannon: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s measured per target`,
    );
    const results: ApiBenchResult[] = [];
    for (const target of targets) {
      await load(target, WARMUP_S);
      const r = await load(target, DURATION_S);
      results.push({
        target: target.name,
        requestsPerSecond: r.requests.average,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        requests: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors,
      });
      say(`  ${target.name}: ${fixed(r.requests.average)} req/s (non-2xx ${r.non2xx}, errors ${r.errors})`);
    }
    const stored = await db.quote.count();
    await db.$disconnect();
    say();
    say(
      table(
        ['Target', 'req/s (mean)', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'],
        results.map((r) => [
          r.target,
          fixed(r.requestsPerSecond),
          fixed(r.p50Ms, 1),
          fixed(r.p99Ms, 1),
          fixed(r.requests),
          String(r.non2xx),
          String(r.errors),
        ]),
      ),
    );
    say();
    say(
      `Quote used: charge now ${quote.totals.chargeNow.amount} EUR minor units; ${stored} quotes stored during the run.`,
    );
    return results;
  } finally {
    await stopServerChild(child);
    await pg.stop();
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
}
