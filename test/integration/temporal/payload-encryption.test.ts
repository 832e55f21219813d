/**
 * Customer data in Temporal: a real order runs through the API and the worker, and the history
 * the Temporal server holds (read with a client that has no codec) must not contain the
 * customer's name, e-mail or address anywhere, while a client with the codec reads them back.
 * Then the codec endpoint the Temporal Web UI calls (POST /codec/decode, /codec/encode).
 */
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { freePort } from '../../../src/infra/net';
import { ENCRYPTED_ENCODING, EncryptionCodec, startTemporalDevServer } from '../../../src/infra/temporal';
import { startTestApi, type TestApi } from '../../helpers/api';
import {
  createQuote,
  hasStatus,
  orderRequest,
  placeOrder,
  recordHistory,
  shipmentOf,
  startOrderWorld,
  waitForOrder,
  type OrderWorld,
} from '../../helpers/order-world';

const UI_ORIGIN = 'http://localhost:8233';
const CUSTOMER = { name: 'Zelda Quixotic-Marchbanks', email: 'zelda.marchbanks@private-mail.example' };
const SHIP_TO = {
  name: 'Zelda Quixotic-Marchbanks',
  line1: 'Königsallee 742 Hinterhaus',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};
/** The buyer and consignee of the quote (stored in PostgreSQL, but read by the saga). */
const QUOTE_CONSIGNEE = 'Erika Mustermann';
const SECRETS = [CUSTOMER.name, CUSTOMER.email, SHIP_TO.line1, QUOTE_CONSIGNEE, 'Hauptstraße 5'];

let world: OrderWorld;
let api: TestApi;
beforeAll(async () => {
  world = await startOrderWorld();
  api = await startTestApi({ codecEndpoint: { allowedOrigins: [UI_ORIGIN] } });
});
afterAll(async () => {
  await api?.close();
  await world?.close();
});

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const b64 = (value: Uint8Array | string) => Buffer.from(value).toString('base64');
const toJson = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(payload.data ?? new Uint8Array()),
});
const plainJson = (value: unknown) => toJson(defaultPayloadConverter.toPayload(value));

/** Every payload of a history, wherever it sits in the events, with where it sits. */
function payloadsOf(history: temporal.api.history.v1.IHistory): { path: string; payload: Payload }[] {
  const found: { path: string; payload: Payload }[] = [];
  const walk = (value: unknown, path: string): void => {
    if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
    const candidate = value as Payload;
    if (candidate.metadata && typeof candidate.metadata === 'object' && 'encoding' in candidate.metadata) {
      found.push({ path, payload: candidate });
      return;
    }
    for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
  };
  walk(history.events, 'events');
  return found;
}

let orderId: string;
let rawHistory: temporal.api.history.v1.History;

it('runs an order whose history on the server holds no customer name, e-mail or address', async () => {
  const quote = await createQuote(world, { consigneeName: QUOTE_CONSIGNEE });
  const body = orderRequest(quote.id, { customer: CUSTOMER, shippingAddress: SHIP_TO });
  orderId = body.orderId;
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  await waitForOrder(world, orderId, hasStatus('awaiting_handover'));
  const shipment = shipmentOf(world, orderId);
  world.carrier.advance(shipment.shipmentId, 'handover');
  await waitForOrder(world, orderId, hasStatus('in_transit'));
  world.carrier.advance(shipment.shipmentId, 'deliver');
  await waitForOrder(world, orderId, hasStatus('completed'));

  // A client WITHOUT the codec: what anyone with access to the Temporal server sees.
  const plain = new Client({ connection: world.temporal.connection, namespace: world.temporal.namespace });
  const handle = plain.workflow.getHandle(`order-${orderId}`);
  rawHistory = temporal.api.history.v1.History.create(await handle.fetchHistory());
  const described = await world.temporal.connection.workflowService.describeWorkflowExecution({
    namespace: world.temporal.namespace,
    execution: { workflowId: `order-${orderId}` },
  });
  const bytes = Buffer.concat([
    Buffer.from(temporal.api.history.v1.History.encode(rawHistory).finish()),
    Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(described).finish()),
  ]);
  expect(rawHistory.events.length).toBeGreaterThan(20);
  for (const secret of SECRETS) {
    expect({ secret, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ secret, found: false });
  }
  // Not vacuous: every payload in it is encrypted, with the key the test run uses, except the
  // search attributes (indexed by the server, so never encoded: ids and the status only), the
  // SDK's own patch marker (the patch id, written by the SDK core without the codec) and the
  // SDK's record of each local activity (its type, sequence number and times; its result is
  // encrypted like any other payload).
  const found = payloadsOf(rawHistory);
  const isSearchAttribute = (path: string) => /\.searchAttributes\.indexedFields\.\w+$/.test(path);
  const isPatchMarker = (path: string) => /markerRecordedEventAttributes\.details\.patch-data\./.test(path);
  const isLocalActivityRecord = (path: string) => /markerRecordedEventAttributes\.details\.data\./.test(path);
  const localActivityRecords = found
    .filter(({ path }) => isLocalActivityRecord(path))
    .map(({ payload }) => defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload));
  expect(localActivityRecords.length).toBeGreaterThan(5);
  for (const record of localActivityRecords) {
    expect(record.activity_type).toBe('recordOrder');
    expect(Object.keys(record).sort()).toEqual(
      [
        'activity_id',
        'activity_type',
        'attempt',
        'backoff',
        'complete_time',
        'original_schedule_time',
        'seq',
      ].sort(),
    );
  }
  const encrypted = found.filter(
    ({ path }) => !isSearchAttribute(path) && !isPatchMarker(path) && !isLocalActivityRecord(path),
  );
  expect(encrypted.length).toBeGreaterThan(20);
  expect(new Set(encrypted.map(({ payload }) => text(payload.metadata!.encoding)))).toEqual(
    new Set([ENCRYPTED_ENCODING]),
  );
  expect(new Set(encrypted.map(({ payload }) => text(payload.metadata!['encryption-key-id'])))).toEqual(
    new Set(['dev-1']),
  );
  expect(
    new Set(found.filter(({ path }) => isSearchAttribute(path)).map(({ path }) => path.split('.').pop())),
  ).toEqual(new Set(['OrderId', 'MerchantId', 'OrderStatus', 'TemporalChangeVersion']));
  // The order workflow's patches, and nothing else, in the clear.
  expect(
    found
      .filter(({ path }) => isPatchMarker(path))
      .map(({ payload }) => defaultPayloadConverter.fromPayload(payload))
      .sort((a, b) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1)),
  ).toEqual([
    { id: 'post-ledger-at-capture', deprecated: false },
    { id: 'projection-local-activity', deprecated: false },
    { id: 'tracking-poll', deprecated: false },
  ]);
  const attributes = described.workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
  // Ours (ids and the status) and the server's own (BuildIds, Temporal*).
  expect(
    Object.keys(attributes)
      .filter((name) => !name.startsWith('Temporal') && name !== 'BuildIds')
      .sort(),
  ).toEqual(['MerchantId', 'OrderId', 'OrderStatus']);

  // The codec-enabled client reads them back: the start input, and the memo.
  const started = rawHistory.events[0]!.workflowExecutionStartedEventAttributes!;
  const [input] = await world.temporal.payloadCodec.decode(started.input!.payloads!);
  expect(defaultPayloadConverter.fromPayload(input!)).toMatchObject({
    orderId,
    customer: CUSTOMER,
    shippingAddress: SHIP_TO,
  });
  const description = await world.temporal.client.workflow.getHandle(`order-${orderId}`).describe();
  expect(description.memo).toMatchObject({ requestHash: expect.any(String) });
  // A client without the codec cannot make sense of it.
  await expect(handle.describe().then((d) => d.memo)).rejects.toThrow(/binary\/encrypted/);

  await recordHistory(world, orderId, 'encrypted-completed-ddp');
});

describe('POST /codec/decode and /codec/encode', () => {
  const startInput = () =>
    toJson(rawHistory.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!);

  it('decodes the order input for support (as the Temporal Web UI asks), with CORS for the UI', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { ...api.auth('support'), origin: UI_ORIGIN, 'x-namespace': 'default' },
      payload: { payloads: [startInput()] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['cache-control']).toBe('no-store');
    const [payload] = res.json().payloads as { metadata: Record<string, string>; data: string }[];
    expect(Buffer.from(payload!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    const input = JSON.parse(Buffer.from(payload!.data, 'base64').toString('utf8'));
    expect(input).toMatchObject({ customer: CUSTOMER, shippingAddress: SHIP_TO });
    for (const role of ['finance', 'admin'] as const) {
      const again = await api.app.inject({
        method: 'POST',
        url: '/codec/decode',
        headers: api.auth(role),
        payload: { payloads: [startInput()] },
      });
      expect(again.statusCode).toBe(200);
    }
  });

  it('answers 401 without a key (CORS headers included, so the UI can tell) and 403 for checkout', async () => {
    const anonymous = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { origin: UI_ORIGIN },
      payload: { payloads: [startInput()] },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(anonymous.body).not.toContain(CUSTOMER.name);

    const checkout = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: api.auth('checkout'),
      payload: { payloads: [startInput()] },
    });
    expect(checkout.statusCode).toBe(403);
    expect(checkout.json().error.message).toContain('allowed: support, finance, admin');
    expect(checkout.body).not.toContain(CUSTOMER.name);
  });

  it.each([
    ['no payloads', {}],
    ['payloads not a list', { payloads: 'x' }],
    ['data not base64', { payloads: [{ metadata: {}, data: 'not base64!' }] }],
    ['metadata not base64', { payloads: [{ metadata: { encoding: '***' }, data: '' }] }],
  ])('answers 400 to a bad body: %s', async (_case, payload) => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: api.auth('support'),
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 400 to a payload of an unknown key, one that does not decrypt, or another namespace', async () => {
    const other = new EncryptionCodec({
      currentKeyId: 'elsewhere-7',
      keys: new Map([['elsewhere-7', Buffer.alloc(32, 7)]]),
    });
    const [foreign] = await other.encode([defaultPayloadConverter.toPayload({ secret: true })]);
    const unknown = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: api.auth('support'),
      payload: { payloads: [toJson(foreign!)] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/encrypted with key "elsewhere-7", which is not configured/);

    const tampered = startInput();
    tampered.data = b64(Buffer.from(tampered.data, 'base64').map((byte, i) => (i === 30 ? byte ^ 1 : byte)));
    const bad = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: api.auth('support'),
      payload: { payloads: [tampered] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/does not decrypt/);

    const namespace = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { ...api.auth('support'), 'x-namespace': 'someone-else' },
      payload: { payloads: [startInput()] },
    });
    expect(namespace.statusCode).toBe(400);
    expect(namespace.json().error.field).toBe('x-namespace');
  });

  it('passes plain payloads through decode, and encodes with the current key (round trip)', async () => {
    const plainPayload = plainJson({ note: 'not secret' });
    const passed = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: api.auth('support'),
      payload: { payloads: [plainPayload] },
    });
    expect(passed.json()).toEqual({ payloads: [plainPayload] });

    const encoded = await api.app.inject({
      method: 'POST',
      url: '/codec/encode',
      headers: api.auth('support'),
      payload: { payloads: [plainJson({ signal: CUSTOMER.email })] },
    });
    expect(encoded.statusCode).toBe(200);
    const [sealed] = encoded.json().payloads as { metadata: Record<string, string>; data: string }[];
    expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed!.metadata['encryption-key-id']!, 'base64').toString()).toBe('dev-1');
    expect(Buffer.from(sealed!.data, 'base64').includes(Buffer.from(CUSTOMER.email))).toBe(false);
    const opened = await api.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: api.auth('support'),
      payload: { payloads: [sealed] },
    });
    expect(opened.json()).toEqual({ payloads: [plainJson({ signal: CUSTOMER.email })] });
  });

  it('answers the browser preflight for the UI origin only', async () => {
    const preflight = (origin: string) =>
      api.app.inject({
        method: 'OPTIONS',
        url: '/codec/decode',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': UI_ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, x-namespace',
    });
    const refused = await preflight('https://evil.example');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/codec/decode', '/codec/encode']));
    expect(doc.paths['/codec/decode'].post.description).toContain('Roles: support, finance, admin.');
  });
});

describe('npm run dev wiring', () => {
  it('needs no key only where the API is told so (dev with the published key)', async () => {
    const devApi = await startTestApi({
      codecEndpoint: { allowedOrigins: [UI_ORIGIN], allowAnonymous: true },
    });
    try {
      const res = await devApi.app.inject({
        method: 'POST',
        url: '/codec/decode',
        headers: { origin: UI_ORIGIN },
        payload: {
          payloads: [
            toJson(rawHistory.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!),
          ],
        },
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await devApi.close();
    }
  });

  it('starts the dev server Web UI with the codec endpoint configured', async () => {
    const uiPort = await freePort();
    const server = await startTemporalDevServer({
      uiPort,
      uiCodecEndpoint: 'http://127.0.0.1:3999/codec',
      log: () => undefined,
    });
    try {
      const settings = await fetch(`${server.uiUrl}/api/v1/settings`);
      expect(settings.status).toBe(200);
      expect(JSON.stringify(await settings.json())).toContain('http://127.0.0.1:3999/codec');
    } finally {
      await server.stop();
    }
  });
});
