/**
 * Orders and a settlement run keep running while everything around them fails: PostgreSQL is
 * restarted, the Temporal dev server is restarted (its SQLite file kept), Stripe answers 503 and
 * 429 in bursts, and the worker process is killed again and again. Every order must finish with
 * exactly one capture, and the run with exactly one transfer per merchant and every line settled
 * once. The figures are printed and recorded in README.md.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../src/infra/net';
import { migrate, startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/infra/database';
import {
  connectClient,
  ensureSearchAttributes,
  startTemporalDevServer,
  type DevServer,
} from '../../../src/infra/temporal';
import type { OrderView } from '../../../src/domain/orders/types';
import type { SettlementRunView } from '../../../src/infra/settlement';
import {
  createQuote,
  getOrder,
  orderRequest,
  placeOrder,
  shipmentOf,
  startOrderWorld,
  type OrderWorld,
  spawnWorkerProcess,
} from '../../helpers/order-world';
import type { Spawned } from '../../helpers/processes';
import { merchantBalance, seedMerchantSales } from '../../helpers/settlement';

jest.setTimeout(420_000);

const ORDERS = 8;
const MERCHANTS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir: string;
let pg: EmbeddedPostgres;
let pgPort: number;
let temporal: DevServer;
let temporalPort: number;
let world: OrderWorld;
let worker: Spawned | undefined;
const faults: string[] = [];

async function startTemporal(): Promise<DevServer> {
  return startTemporalDevServer({
    port: temporalPort,
    dbFilename: join(dir, 'temporal.sqlite'),
    log: () => undefined,
  });
}

function spawnWorker(): Spawned {
  return spawnWorkerProcess(world, { DATABASE_URL: pg.url, TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}` });
}

async function restartWorker(): Promise<void> {
  if (worker) {
    await worker.killHard();
    faults.push('worker SIGKILL');
  }
  worker = spawnWorker();
  await worker.waitFor(/worker running/, 90_000);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'borderline-chaos-'));
  chmodSync(dir, 0o755); // PostgreSQL may run as another user (when we are root)
  pgPort = await freePort();
  temporalPort = await freePort();
  pg = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: pgPort });
  await migrate({ databaseUrl: pg.url });
  temporal = await startTemporal();
  const client = await connectClient({ address: temporal.address, namespace: 'default', payloadCodec: null });
  await ensureSearchAttributes(client.connection, 'default');
  await client.close();
  world = await startOrderWorld(
    { refundWindowMs: 1_000 },
    { worker: false, databaseUrl: pg.url, temporalAddress: temporal.address, customsDelayMs: 300 },
  );
});

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await world?.close();
  await temporal?.stop();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function viewsOf(orderIds: string[]): Promise<(OrderView | undefined)[]> {
  return Promise.all(orderIds.map((id) => getOrder(world, id).catch(() => undefined)));
}

async function waitAll(
  orderIds: string[],
  status: string,
  timeoutMs: number,
): Promise<(OrderView | undefined)[]> {
  const deadline = Date.now() + timeoutMs;
  let views: (OrderView | undefined)[] = [];
  while (Date.now() < deadline) {
    views = await viewsOf(orderIds);
    if (views.every((v) => v?.status === status)) return views;
    await sleep(500);
  }
  return views;
}

it('finishes every order with one capture through database, Temporal, Stripe and worker failures', async () => {
  const orderIds: string[] = [];
  const charges = new Map<string, number>();
  for (let i = 0; i < ORDERS; i++) {
    const quote = await createQuote(world);
    const body = orderRequest(quote.id);
    expect((await placeOrder(world, body)).statusCode).toBe(201);
    orderIds.push(body.orderId);
    charges.set(body.orderId, quote.chargeNow.amount);
  }

  // A settlement run over six merchants' sales of a past day, paid one merchant per batch, with
  // transfers slow enough (1.5 s each) that the faults below hit it in the middle.
  const { merchants, owed } = await seedMerchantSales(world.db, MERCHANTS, 2);
  world.stripe.faults.inject({
    kind: 'slow',
    delayMs: 1_500,
    times: 'always',
    method: 'POST',
    path: '/v1/transfers',
  });
  const started = await world.api.app.inject({
    method: 'POST',
    url: '/v1/settlements',
    headers: world.auth('finance'),
    payload: {
      from: '2026-11-16',
      to: '2026-11-17',
      currency: 'EUR',
      merchantIds: merchants,
      payoutBatchSize: 1,
    },
  });
  expect(started.statusCode).toBe(201);
  const runId = (started.json() as SettlementRunView).runId;

  await restartWorker();
  world.stripe.faults.inject({ kind: '503', times: 4, method: 'POST', path: '/v1/payment_intents' });
  world.stripe.faults.inject({ kind: '429', times: 4, method: 'POST', path: '/v1/payment_intents' });
  faults.push('Stripe 503 ×4', 'Stripe 429 ×4');
  await sleep(1_500);

  await restartWorker();
  await sleep(1_000);

  await pg.stop();
  faults.push('PostgreSQL stopped');
  await sleep(2_000);
  pg = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: pgPort });
  faults.push('PostgreSQL restarted');
  await sleep(1_500);

  await restartWorker();
  await sleep(1_000);

  await temporal.stop();
  faults.push('Temporal stopped');
  await sleep(2_000);
  temporal = await startTemporal();
  faults.push('Temporal restarted (SQLite kept)');

  world.stripe.faults.inject({ kind: '503', times: 3, method: 'POST', path: '/v1/payment_intents' });
  world.stripe.faults.inject({ kind: '429', times: 3, method: 'POST', path: '/v1/payment_intents' });
  faults.push('Stripe 503 ×3', 'Stripe 429 ×3');
  await restartWorker();

  const ready = await waitAll(orderIds, 'awaiting_handover', 240_000);
  expect(ready.map((v) => v?.status)).toEqual(orderIds.map(() => 'awaiting_handover'));

  for (const orderId of orderIds) {
    const { shipmentId } = shipmentOf(world, orderId);
    world.carrier.advance(shipmentId, 'handover');
    world.carrier.advance(shipmentId, 'deliver');
  }
  const done = await waitAll(orderIds, 'completed', 120_000);
  expect(done.map((v) => v?.status)).toEqual(orderIds.map(() => 'completed'));

  let captures = 0;
  for (const orderId of orderIds) {
    const intents = [...world.stripe.state.paymentIntents.values()].filter(
      (pi) => pi.metadata.order_id === orderId,
    );
    expect({ orderId, intents: intents.length }).toEqual({ orderId, intents: 1 });
    const orderCharges = [...world.stripe.state.charges.values()].filter(
      (c) => c.paymentIntent === intents[0]!.id,
    );
    expect({ orderId, charges: orderCharges.length, received: intents[0]!.amountReceived }).toEqual({
      orderId,
      charges: 1,
      received: charges.get(orderId),
    });
    captures += orderCharges.length;
    const entries = await world.db.journalEntry.count({ where: { orderId, kind: 'capture' } });
    expect({ orderId, ledgerCaptures: entries }).toEqual({ orderId, ledgerCaptures: 1 });
  }
  // The settlement run: completed, one transfer per merchant of exactly what it was owed (no
  // double payout), every payable back to zero.
  const deadline = Date.now() + 120_000;
  let run: SettlementRunView | undefined;
  while (Date.now() < deadline) {
    const res = await world.api.app.inject({
      method: 'GET',
      url: `/v1/settlements/${runId}`,
      headers: world.auth('finance'),
    });
    run = res.statusCode === 200 ? (res.json() as SettlementRunView) : undefined;
    if (run?.status === 'completed') break;
    await sleep(500);
  }
  world.stripe.faults.clear();
  expect(run).toMatchObject({ status: 'completed', outcomes: { paid: MERCHANTS, pending: 0 } });
  const transfers = [...world.stripe.state.transfers.values()].filter(
    (t) => t.metadata.payout_run_id === runId,
  );
  expect(transfers.map((t) => [t.metadata.merchant_id, t.amount]).sort()).toEqual(
    merchants.map((m) => [m, owed.get(m)]).sort(),
  );
  for (const merchantId of merchants) {
    expect({
      merchantId,
      payable: await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR'),
    }).toEqual({
      merchantId,
      payable: 0,
    });
  }
  const transferAttempts = world.stripe.requests.filter(
    (r) =>
      r.method === 'POST' && r.path === '/v1/transfers' && r.idempotencyKey?.startsWith(`payout:${runId}:`),
  );

  const stripeFaultsHit = world.stripe.faults.triggered.length;
  process.stdout.write(
    `chaos: ${ORDERS} orders; faults: ${faults.join(', ')}; Stripe faults that hit a request: ${stripeFaultsHit}; ` +
      `outcome: ${done.filter((v) => v?.status === 'completed').length} completed, ${captures} captures (one per order), ` +
      `${ORDERS} capture entries in the ledger; settlement run: ${MERCHANTS} merchants, ` +
      `${transferAttempts.length} transfer requests (${transferAttempts.filter((r) => r.replayed).length} answered ` +
      `from Stripe's idempotency store), ${transfers.length} transfers (one per merchant), payables at zero\n`,
  );
});
