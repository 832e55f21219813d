/**
 * Everything an order saga runs against, for one test file: the real API (listening, so the
 * sandboxes' webhooks reach it), a worker on the file's own task queue, and the Stripe, customs
 * broker and carrier sandboxes. Talks to the test run's PostgreSQL and Temporal dev server.
 */
import type { AddressInfo } from 'node:net';
import { ApiKeyStore, ROLES, type Role } from '../../src/access';
import { composeApi, type ApiComposition } from '../../src/api/compose';
import type { OrderTimings, OrderView } from '../../src/domain/orders/types';
import type { Database } from '../../src/infra/database';
import { HttpCarrier } from '../../src/infra/carrier';
import { HttpCustomsBroker } from '../../src/infra/customs';
import { PgOrderLedger } from '../../src/infra/ledger/order-ledger';
import { StripePayments } from '../../src/infra/payments';
import { startCarrierSandbox, type CarrierSandbox } from '../../src/sandboxes/carrier';
import { startCustomsBrokerSandbox, type CustomsBrokerSandbox } from '../../src/sandboxes/customs-broker';
import type { SandboxClock } from '../../src/sandboxes/shared/clock';
import { startStripeSandbox, type StripeSandbox } from '../../src/sandboxes/stripe';
import { startWorker, type WorkerComposition } from '../../src/worker';
import type { ActivityDeps } from '../../activities';
import { createDatabase } from '../../src/infra/database';
import { TEST_ORDER_TIMINGS } from './api';
import { testDatabaseUrl, uniqueId } from './database';
import { spawnCli, type Spawned } from './processes';
import { recordWorkflowHistory } from './histories';
import { connectTestTemporal, productWorkflowBundle, testPayloadCodec, type TestTemporal } from './temporal';

const STRIPE_WEBHOOK_SECRET = 'whsec_order_world';
const CARRIER_WEBHOOK_SECRET = 'carrier_whsec_order_world';

export interface OrderWorld {
  api: ApiComposition;
  baseUrl: string;
  db: Database;
  temporal: TestTemporal;
  taskQueue: string;
  stripe: StripeSandbox;
  customs: CustomsBrokerSandbox;
  carrier: CarrierSandbox;
  worker: WorkerComposition | undefined;
  auth(role: Role): { authorization: string };
  /** Deps a second worker (e.g. in another process) would use. */
  deps: ActivityDeps;
  close(): Promise<void>;
}

export interface OrderWorldOptions {
  /** Run a worker in this process (default); false: the test runs its own (e.g. in another process). */
  worker?: boolean;
  /** Customs broker processing delay (ms); default 50. */
  customsDelayMs?: number;
  /** Other services than the test run's (a test that restarts them). */
  databaseUrl?: string;
  temporalAddress?: string;
  /** The Stripe sandbox's clock (default the system's): a test that makes yesterday's charges. */
  stripeClock?: SandboxClock;
}

export async function startOrderWorld(
  timings: Partial<OrderTimings> = {},
  options: OrderWorldOptions = {},
): Promise<OrderWorld> {
  const taskQueue = uniqueId('orders-test');
  const stripe = await startStripeSandbox({
    ...(options.stripeClock ? { clock: options.stripeClock } : {}),
    webhookSecret: STRIPE_WEBHOOK_SECRET,
    webhookRetryDelaysMs: [100, 500, 1_000, 2_000, 4_000],
  });
  const customs = await startCustomsBrokerSandbox({ processingDelayMs: options.customsDelayMs ?? 50 });
  const carrier = await startCarrierSandbox({
    webhookSecret: CARRIER_WEBHOOK_SECRET,
    webhookRetryDelaysMs: [100, 500, 1_000, 2_000, 4_000],
    duplicateDelayMs: 20,
    progression: null,
  });
  const api = await composeApi({
    databaseUrl: options.databaseUrl ?? testDatabaseUrl(),
    databasePoolSize: 4,
    temporal: {
      address: options.temporalAddress ?? process.env.TEMPORAL_ADDRESS!,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      payloadCodec: testPayloadCodec(),
    },
    stripeWebhookSecret: STRIPE_WEBHOOK_SECRET,
    carrierWebhookSecret: CARRIER_WEBHOOK_SECRET,
    orderTimings: { ...TEST_ORDER_TIMINGS, ...timings },
    ordersTaskQueue: taskQueue,
    logger: false,
  });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  stripe.webhooks.configure({ url: `${baseUrl}/v1/webhooks/stripe` });
  carrier.webhooks.configure({ url: `${baseUrl}/v1/webhooks/carrier` });

  const db = createDatabase({ url: options.databaseUrl ?? testDatabaseUrl(), poolSize: 4 });
  const deps: ActivityDeps = {
    db,
    payments: new StripePayments({
      secretKey: stripe.secretKey,
      apiBase: { host: stripe.host, port: stripe.port, protocol: 'http' },
      timeoutMs: 5_000,
    }),
    customs: new HttpCustomsBroker({ baseUrl: customs.url, apiKey: customs.apiKey, timeoutMs: 5_000 }),
    carrier: new HttpCarrier({ baseUrl: carrier.url, apiKey: carrier.apiKey, timeoutMs: 5_000 }),
    ledger: new PgOrderLedger(db),
  };
  const temporal = await connectTestTemporal(options.temporalAddress);
  const worker =
    options.worker === false
      ? undefined
      : await startWorker({
          connection: temporal.nativeConnection,
          namespace: temporal.namespace,
          taskQueue,
          deps,
          payloadCodec: temporal.payloadCodec,
          workflowBundle: productWorkflowBundle(),
          shutdownGraceTime: '2 seconds',
        });

  const keys = new ApiKeyStore(api.db);
  const keyFor = {} as Record<Role, string>;
  for (const role of ROLES) keyFor[role] = (await keys.create({ name: `world ${role}`, role })).key;

  return {
    api,
    baseUrl,
    db,
    temporal,
    taskQueue,
    stripe,
    customs,
    carrier,
    worker,
    deps,
    auth: (role) => ({ authorization: `Bearer ${keyFor[role]}` }),
    async close() {
      await worker?.shutdown().catch(() => undefined);
      await api.close();
      await Promise.allSettled([
        stripe.close(),
        customs.close(),
        carrier.close(),
        db.$disconnect(),
        temporal.close(),
      ]);
    },
  };
}

export const GOOD_ADDRESS = {
  name: 'Jane Doe',
  line1: '1 Main Street',
  city: 'Springfield',
  region: 'IL',
  postalCode: '62701',
  country: 'US',
};

export interface QuoteOverrides {
  currency?: string;
  incoterm?: 'DDP' | 'DAP';
  shipTo?: string;
  lines?: unknown[];
  /** Of the default cart's one line (T-shirts). */
  quantity?: number;
  consigneeName?: string;
}

/** The body of POST /v1/quotes: a small cart of T-shirts from the US, by the test merchant. */
export function quoteRequest(overrides: QuoteOverrides = {}) {
  const shipTo = overrides.shipTo ?? 'DE';
  const address = { line1: 'Hauptstraße 5', city: 'Berlin', postalCode: '10115', country: shipTo };
  return {
    merchantId: 'mer_test_outdoor',
    currency: overrides.currency ?? 'USD',
    incoterm: overrides.incoterm ?? 'DDP',
    shipFrom: { country: 'US' },
    shipTo: { country: shipTo },
    lines: overrides.lines ?? [
      {
        sku: 'TEE-1',
        description: 'Cotton T-shirt, knitted, men',
        hsCode: '610910',
        originCountry: 'US',
        unitPrice: '25.00',
        quantity: overrides.quantity ?? 2,
        weightGrams: 200,
      },
    ],
    buyer: { name: 'Erika Mustermann', address },
    consignee: { name: overrides.consigneeName ?? 'Erika Mustermann', address },
  };
}

/** A quote for a small cart from one of the dev merchants (seeded if missing). */
export async function createQuote(
  world: OrderWorld,
  overrides: QuoteOverrides = {},
): Promise<{ id: string; chargeNow: { amount: number; currency: string } }> {
  // Several quotes at once: an upsert would race with itself.
  await world.db.merchant.createMany({
    data: [{ id: 'mer_test_outdoor', name: 'Test Outdoor Co', country: 'US', settlementCurrency: 'USD' }],
    skipDuplicates: true,
  });
  const res = await world.api.app.inject({
    method: 'POST',
    url: '/v1/quotes',
    headers: world.auth('checkout'),
    payload: quoteRequest(overrides),
  });
  if (res.statusCode !== 201) throw new Error(`quote failed: ${res.statusCode} ${res.body}`);
  const quote = res.json() as { id: string; totals: { chargeNow: { amount: number; currency: string } } };
  return { id: quote.id, chargeNow: quote.totals.chargeNow };
}

export function orderRequest(quoteId: string, overrides: Record<string, unknown> = {}) {
  return {
    orderId: uniqueId('ord'),
    quoteId,
    customer: { name: 'Erika Mustermann', email: 'erika@example.com' },
    shippingAddress: {
      name: 'Erika Mustermann',
      line1: 'Hauptstraße 5',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    paymentMethodId: 'pm_card_visa',
    ...overrides,
  };
}

export async function placeOrder(
  world: OrderWorld,
  body: Record<string, unknown>,
  key = String(body.orderId),
) {
  return world.api.app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { ...world.auth('checkout'), 'idempotency-key': key },
    payload: body,
  });
}

export async function getOrder(world: OrderWorld, orderId: string): Promise<OrderView> {
  const res = await world.api.app.inject({
    method: 'GET',
    url: `/v1/orders/${orderId}`,
    headers: world.auth('support'),
  });
  if (res.statusCode !== 200) throw new Error(`GET order failed: ${res.statusCode} ${res.body}`);
  return res.json() as OrderView;
}

/** Polls the order until `predicate` holds (or fails with the last view). */
export async function waitForOrder(
  world: OrderWorld,
  orderId: string,
  predicate: (view: OrderView) => boolean,
  timeoutMs = 30_000,
): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  let last: OrderView | undefined;
  while (Date.now() < deadline) {
    try {
      last = await getOrder(world, orderId);
      if (predicate(last)) return last;
    } catch {
      // not started yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(
    `order ${orderId} did not reach the expected state; last: ${JSON.stringify(last, null, 2)}`,
  );
}

export const hasStatus =
  (...statuses: string[]) =>
  (view: OrderView) =>
    statuses.includes(view.status);

/** The carrier shipment of an order, once its label is bought. */
export function shipmentOf(world: OrderWorld, orderId: string) {
  const shipment = world.carrier.findByReference(`order:${orderId}:shipment`);
  if (!shipment) throw new Error(`no shipment for ${orderId}`);
  return shipment;
}

/**
 * Keeps the history of an order's workflow under test/histories when RECORD_HISTORIES=1, so that
 * CI replays it against the current workflow code (test/integration/temporal/replay.test.ts).
 */
export async function recordHistory(world: OrderWorld, orderId: string, name: string): Promise<void> {
  await recordWorkflowHistory(world.temporal.client, `order-${orderId}`, `order-${name}`);
}

/**
 * `npm run worker` in a process of its own, on the world's task queue and sandboxes (a test
 * that kills workers): the test run's PostgreSQL and Temporal unless `env` says otherwise.
 */
export function spawnWorkerProcess(world: OrderWorld, env: NodeJS.ProcessEnv = {}): Spawned {
  return spawnCli('worker', [], {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_MIGRATE_ON_START: 'false',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    ORDERS_TASK_QUEUE: world.taskQueue,
    STRIPE_SECRET_KEY: world.stripe.secretKey,
    STRIPE_API_BASE: world.stripe.url,
    CUSTOMS_BROKER_URL: world.customs.url,
    CUSTOMS_BROKER_API_KEY: world.customs.apiKey,
    CARRIER_API_URL: world.carrier.url,
    CARRIER_API_KEY: world.carrier.apiKey,
    SHUTDOWN_GRACE_MS: '1000',
    ...env,
  });
}
