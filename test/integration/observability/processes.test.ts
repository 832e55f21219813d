/**
 * Observability of the real processes (`npm run api`, `npm run worker`) run through orders:
 *
 * - the worker's Prometheus endpoint (TEMPORAL_METRICS_PORT) serves the Temporal SDK's metrics
 *   and the saga step counters, compensations included;
 * - the API's (METRICS_PORT) times requests by route pattern, never by raw URL;
 * - with OTEL_TRACING on, one trace runs from the HTTP request through the workflow start to
 *   the workflow and its activities (received here by a fake OTLP/HTTP collector);
 * - at LOG_LEVEL=trace, no secret (API keys, partner credentials, webhook secrets, the payload
 *   encryption key) and no card number ever reaches stdout or stderr.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { ApiKeyStore } from '../../../src/access';
import type { OrderView } from '../../../src/domain/orders/types';
import { createDatabase, type Database } from '../../../src/infra/database';
import { startCarrierSandbox, type CarrierSandbox } from '../../../src/sandboxes/carrier';
import { startCustomsBrokerSandbox, type CustomsBrokerSandbox } from '../../../src/sandboxes/customs-broker';
import { signPayload, startStripeSandbox, type StripeSandbox } from '../../../src/sandboxes/stripe';
import { testDatabaseUrl, uniqueId } from '../../helpers/database';
import { orderRequest, quoteRequest } from '../../helpers/order-world';
import { ROOT, spawnCli, type Spawned } from '../../helpers/processes';

jest.setTimeout(240_000);

const random = (n = 12) =>
  Math.random()
    .toString(36)
    .slice(2, 2 + n)
    .padEnd(n, '0');

// Secrets of this run, each distinctive enough that a leak is found by a plain search.
const SECRETS = {
  STRIPE_SECRET_KEY: `sk_test_obs${random(20)}`,
  STRIPE_WEBHOOK_SECRET: `whsec_obs${random(20)}`,
  CUSTOMS_BROKER_API_KEY: `cb_obs_${random(20)}`,
  CARRIER_API_KEY: `ck_obs_${random(20)}`,
  CARRIER_WEBHOOK_SECRET: `carrier_whsec_obs_${random(20)}`,
};
/** 32 printable bytes, so that the raw key is searchable as well as its base64. */
const PAYLOAD_KEY = `obs-payload-key-${random(16)}`;
const PAYLOAD_KEYS = `obs-1:${Buffer.from(PAYLOAD_KEY).toString('base64')}`;
const WRONG_KEY = `bl_checkout_${'W'.repeat(20)}${random(23)}`;

interface CollectedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

let stripe: StripeSandbox;
let customs: CustomsBrokerSandbox;
let carrier: CarrierSandbox;
let collector: Server;
const spans: CollectedSpan[] = [];
let db: Database;
let api: Spawned;
let worker: Spawned;
let baseUrl: string;
let apiMetricsUrl: string;
let workerMetricsUrl: string;
const keys: Record<'checkout' | 'support', string> = { checkout: '', support: '' };
let stopped = false;

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fake OTLP/HTTP collector: keeps the spans posted (JSON) to /v1/traces. */
async function startCollector(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') collect(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

type OtlpAttribute = { key: string; value: Record<string, unknown> };
function collect(body: {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: (Omit<CollectedSpan, 'attributes' | 'service'> & { attributes?: OtlpAttribute[] })[];
    }[];
  }[];
}) {
  const flat = (attributes: OtlpAttribute[] = []) =>
    Object.fromEntries(attributes.map((a) => [a.key, Object.values(a.value)[0]]));
  for (const rs of body.resourceSpans ?? []) {
    const service = String(flat(rs.resource?.attributes)['service.name']);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        spans.push({
          service,
          name: span.name,
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          attributes: flat(span.attributes),
        });
      }
    }
  }
}

async function call(
  method: string,
  path: string,
  role: 'checkout' | 'support' | null,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(role ? { authorization: `Bearer ${keys[role]}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

async function placeOrder(paymentMethodId: string, requestId: string): Promise<string> {
  const quote = await call('POST', '/v1/quotes', 'checkout', quoteRequest());
  expect(quote.status).toBe(201);
  const orderId = uniqueId('ord-obs');
  const order = await call(
    'POST',
    '/v1/orders',
    'checkout',
    orderRequest(String(quote.json().id), { orderId, paymentMethodId }),
    { 'idempotency-key': orderId, 'x-request-id': requestId },
  );
  expect(order.status).toBe(201);
  expect(order.headers.get('x-request-id')).toBe(requestId);
  return orderId;
}

async function waitForOrder(orderId: string, statuses: string[], timeoutMs = 60_000): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  let last: OrderView | undefined;
  while (Date.now() < deadline) {
    const res = await call('GET', `/v1/orders/${orderId}`, 'support');
    if (res.status === 200) {
      last = res.json() as unknown as OrderView;
      if (statuses.includes(last.status)) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`order ${orderId} is not ${statuses.join('/')}: ${JSON.stringify(last)}`);
}

const scrape = async (url: string) => (await fetch(url)).text();

/** The value of the series `name{labels…}` (labels in any order, others allowed); 0 if absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) {
      total += Number(line.slice(line.lastIndexOf('}') + 1).trim());
    }
  }
  return total;
}

async function stopProcesses(): Promise<void> {
  if (stopped) return;
  stopped = true;
  api?.child.kill('SIGTERM');
  worker?.child.kill('SIGTERM');
  await Promise.all([api?.exited, worker?.exited]);
}

beforeAll(async () => {
  stripe = await startStripeSandbox({
    apiKeys: [SECRETS.STRIPE_SECRET_KEY],
    webhookSecret: SECRETS.STRIPE_WEBHOOK_SECRET,
    webhookRetryDelaysMs: [100, 500, 1_000],
  });
  customs = await startCustomsBrokerSandbox({
    apiKeys: [SECRETS.CUSTOMS_BROKER_API_KEY],
    processingDelayMs: 50,
  });
  carrier = await startCarrierSandbox({
    apiKeys: [SECRETS.CARRIER_API_KEY],
    webhookSecret: SECRETS.CARRIER_WEBHOOK_SECRET,
    webhookRetryDelaysMs: [100, 500, 1_000],
    progression: null,
  });
  const otlp = await startCollector();
  collector = otlp.server;

  db = createDatabase({ url: testDatabaseUrl(), poolSize: 2 });
  await db.merchant.upsert({
    where: { id: 'mer_test_outdoor' },
    create: { id: 'mer_test_outdoor', name: 'Test Outdoor Co', country: 'US', settlementCurrency: 'USD' },
    update: {},
  });
  const store = new ApiKeyStore(db);
  keys.checkout = (await store.create({ name: 'observability checkout', role: 'checkout' })).key;
  keys.support = (await store.create({ name: 'observability support', role: 'support' })).key;

  const [apiPort, metricsPort, temporalMetricsPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'trace',
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_MIGRATE_ON_START: 'false',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    ORDERS_TASK_QUEUE: uniqueId('orders-obs'),
    TEMPORAL_PAYLOAD_KEYS: PAYLOAD_KEYS,
    TEMPORAL_PAYLOAD_KEY_ID: 'obs-1',
    ...SECRETS,
    STRIPE_API_BASE: stripe.url,
    CUSTOMS_BROKER_URL: customs.url,
    CARRIER_API_URL: carrier.url,
    API_PORT: String(apiPort),
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: String(metricsPort),
    TEMPORAL_METRICS_PORT: String(temporalMetricsPort),
    OTEL_TRACING: 'true',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    SHUTDOWN_GRACE_MS: '2000',
  };
  api = spawnCli('api', [], env);
  worker = spawnCli('worker', [], env);
  const listening = await api.waitFor(/API listening on/, 60_000);
  baseUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(listening)![1]!;
  apiMetricsUrl = /API metrics at (http:\/\/[^\s"]+\/metrics)/.exec(await api.waitFor(/API metrics at/))![1]!;
  const running = await worker.waitFor(/worker running/, 120_000);
  workerMetricsUrl = /metrics at (http:\/\/[^\s")]+\/metrics)/.exec(running)![1]!;
  expect(apiMetricsUrl).toBe(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(workerMetricsUrl).toBe(`http://127.0.0.1:${temporalMetricsPort}/metrics`);
  stripe.webhooks.configure({ url: `${baseUrl}/v1/webhooks/stripe` });
  carrier.webhooks.configure({ url: `${baseUrl}/v1/webhooks/carrier` });
});

afterAll(async () => {
  await stopProcesses();
  await Promise.allSettled([
    stripe?.close(),
    customs?.close(),
    carrier?.close(),
    db?.$disconnect(),
    new Promise((resolve) => collector?.close(resolve)),
  ]);
});

describe('orders through the real API and worker processes', () => {
  const orders: Record<'shipped' | 'cancelled' | 'declined', string> = {
    shipped: '',
    cancelled: '',
    declined: '',
  };

  beforeAll(async () => {
    [orders.shipped, orders.cancelled, orders.declined] = await Promise.all([
      placeOrder('pm_card_visa', 'obs-shipped'),
      placeOrder('pm_card_visa', 'obs-cancelled'),
      placeOrder('pm_card_chargeDeclinedInsufficientFunds', 'obs-declined'),
    ]);
    await waitForOrder(orders.declined, ['rejected']);
    // The parcel handed over: a signed carrier webhook moves the order on.
    await waitForOrder(orders.shipped, ['awaiting_handover']);
    const shipment = carrier.findByReference(`order:${orders.shipped}:shipment`)!;
    carrier.advance(shipment.shipmentId, 'handover');
    await waitForOrder(orders.shipped, ['in_transit']);
    // Cancelled once paid: label voided, declaration voided, capture refunded (compensations).
    await waitForOrder(orders.cancelled, ['awaiting_handover']);
    const cancel = await call('POST', `/v1/orders/${orders.cancelled}/cancel`, 'support', {
      reason: 'the shopper asked to cancel',
    });
    expect(cancel.status).toBe(200);
    await waitForOrder(orders.cancelled, ['cancelled']);

    // Refused requests: a wrong API key, and a Stripe webhook with a bad signature.
    expect(
      (
        await call('GET', `/v1/orders/${orders.shipped}`, null, undefined, {
          authorization: `Bearer ${WRONG_KEY}`,
        })
      ).status,
    ).toBe(401);
    const event = JSON.stringify({
      id: 'evt_obs_forged',
      type: 'payment_intent.succeeded',
      data: { object: {} },
    });
    const forged = await fetch(`${baseUrl}/v1/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signPayload(event, 'whsec_not_the_secret', Math.floor(Date.now() / 1000)),
      },
      body: event,
    });
    expect(forged.status).toBe(400);
  });

  it('the worker endpoint serves the SDK metrics and the saga step counters', async () => {
    const text = await scrape(workerMetricsUrl);
    // The SDK's own metrics (Core prefixes them temporal_).
    expect(text).toMatch(/^temporal_activity_execution_latency\w*\{/m);
    expect(text).toMatch(/^temporal_workflow_completed\{/m);
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);

    for (const step of ['lockQuote', 'screenOrder', 'authorizePayment', 'submitDeclaration', 'buyLabel']) {
      expect(sample(text, 'borderline_saga_steps_started', { step })).toBeGreaterThanOrEqual(2);
    }
    expect(sample(text, 'borderline_saga_steps_completed', { step: 'buyLabel' })).toBeGreaterThanOrEqual(2);
    expect(
      sample(text, 'borderline_saga_steps_completed', { step: 'capturePayment' }),
    ).toBeGreaterThanOrEqual(2);
    // The declined card: a failure Temporal does not retry, with its AppError code.
    expect(
      sample(text, 'borderline_saga_steps_failed', {
        step: 'authorizePayment',
        retryable: 'false',
        code: 'PAYMENT_DECLINED',
      }),
    ).toBe(1);
    // The SDK's meter tags every series with the activity type and task queue too.
    expect(text).toMatch(/borderline_saga_steps_started\{[^}]*activityType="lockQuote"/);
    // The cancelled order's compensations, newest first: label, declaration, payment.
    for (const step of ['voidLabel', 'voidDeclaration', 'releasePayment']) {
      expect(sample(text, 'borderline_saga_compensations', { step, outcome: 'completed' })).toBe(1);
    }
    expect(sample(text, 'borderline_saga_compensations', { step: 'buyLabel' })).toBe(0);
  });

  it("the API's endpoint times requests by route pattern, never by raw URL", async () => {
    const text = await scrape(apiMetricsUrl);
    expect(
      sample(text, 'borderline_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/v1/orders/:id',
        status_code: '200',
      }),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'borderline_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/orders',
        status_code: '201',
      }),
    ).toBe(3);
    expect(
      sample(text, 'borderline_http_request_duration_seconds_count', {
        route: '/v1/orders/:id',
        status_code: '401',
      }),
    ).toBe(1);
    for (const orderId of Object.values(orders)) expect(text).not.toContain(orderId);
  });

  it('traces one request from HTTP to the workflow start, the workflow and its activities', async () => {
    await stopProcesses(); // flushes the span processors
    const httpSpan = spans.find(
      (s) => s.name === 'POST /v1/orders' && s.attributes['borderline.request_id'] === 'obs-cancelled',
    );
    expect(httpSpan).toMatchObject({ service: 'borderline-api', attributes: { 'http.route': '/v1/orders' } });
    const trace = spans.filter((s) => s.traceId === httpSpan!.traceId);
    const start = trace.find((s) => s.name === 'StartWorkflow:orderWorkflow');
    expect(start).toMatchObject({
      service: 'borderline-api',
      attributes: { 'borderline.request_id': 'obs-cancelled' },
    });
    expect(trace.find((s) => s.name === 'RunWorkflow:orderWorkflow')?.service).toBe('borderline-worker');
    const activities = trace.filter((s) => s.name.startsWith('RunActivity:')).map((s) => s.name);
    expect(activities).toEqual(
      expect.arrayContaining(['RunActivity:lockQuote', 'RunActivity:buyLabel', 'RunActivity:voidLabel']),
    );
    expect(trace.every((s) => s === httpSpan || s.parentSpanId)).toBe(true);
  });

  it('no secret and no card number reaches the logs, even at LOG_LEVEL=trace', async () => {
    await stopProcesses();
    const output = `${api.output()}\n${worker.output()}`;
    expect(output).toMatch(/"level":10/); // trace lines were written
    expect(output).toContain('"statusCode":401');
    const secretPart = (key: string) => key.replace(/^bl_[a-z]+_/, '');
    const secrets: Record<string, string> = {
      ...SECRETS,
      'checkout API key': keys.checkout,
      'checkout API key (secret part)': secretPart(keys.checkout),
      'support API key': keys.support,
      'support API key (secret part)': secretPart(keys.support),
      'wrong API key': WRONG_KEY,
      'wrong API key (secret part)': secretPart(WRONG_KEY),
      'payload encryption key': PAYLOAD_KEY,
      'payload encryption key (base64)': Buffer.from(PAYLOAD_KEY).toString('base64'),
    };
    const leaked = Object.entries(secrets)
      .filter(([, value]) => output.includes(value))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
    // The detector finds a card number however it is written, and skips the ids that look like one.
    expect(cardNumbersIn('card 4242 4242 4242 4242, 5555-5555-5555-4444 and 378282246310005')).toHaveLength(
      3,
    );
    expect(cardNumbersIn('"randomnessSeed":"4111111111111111","time":4111111111111')).toEqual([]);
    // A UUID whose middle groups happen to be digits (a run once matched "3843-4657-8353-17").
    expect(cardNumbersIn('"runId":"01a2150e-3843-4657-8353-17e5f6a7b8c9"')).toEqual([]);
    expect(cardNumbersIn(output)).toEqual([]);
  });
});

/**
 * Digit runs of a card number's length (13 to 19, spaces or dashes allowed) that start with a
 * card network's prefix (Visa 4, Mastercard 2221-2720 and 51-55, American Express 34 and 37,
 * Discover 6011 and 64-65, JCB 35, Diners Club 30, 36, 38-39, UnionPay 62), pass Luhn, and stand
 * alone (no letter, digit, dot or dash right before or after).
 */
function cardNumbersIn(text: string): string[] {
  const found: string[] = [];
  // Not part of a longer token: a digit run inside an id (a UUID's digit-only groups) is no card.
  for (const match of text.matchAll(/(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w.-])/g)) {
    const digits = match[0].replace(/\D/g, '');
    const before = text.slice(Math.max(0, match.index - 20), match.index);
    // pino's epoch-millisecond timestamps are 13 digits, and a workflow activation's
    // randomnessSeed (logged at trace level) is a random 64-bit integer: not card numbers.
    if (/"(time|randomnessSeed)":"?$/.test(before)) continue;
    if (CARD_NETWORK_PREFIX.test(digits) && luhn(digits)) found.push(match[0]);
  }
  return found;
}

const CARD_NETWORK_PREFIX = /^(4|5[1-5]|2(22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[4-9]|30|6011|6[245])/;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

it('loads nothing of the OpenTelemetry SDK while tracing is off', async () => {
  // prom-client requires @opentelemetry/api (for exemplars) itself; the SDK, the exporter and
  // Temporal's interceptors are what tracing adds.
  const script = [
    "require('./src/api/compose');",
    "require('./src/worker');",
    "require('./src/infra/telemetry');",
    "const { startTracingIfEnabled } = require('./src/infra/telemetry');",
    "startTracingIfEnabled({ OTEL_TRACING: false, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:1' }, 'x');",
    'console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /opentelemetry/.test(k) && !/@opentelemetry\\/api\\//.test(k))));',
  ].join('\n');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
  });
  expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual([]);
});
