import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { ApiKeyStore } from '../../../src/access';
import { buildApp } from '../../../src/api/app';
import { idempotencyKeys } from '../../../src/domain/payments';
import type { PaymentProviderEvent } from '../../../src/domain/payments';
import { PgPaymentEventStore, newPaymentEvent, describeStripeEvent } from '../../../src/infra/payments';
import { startTestApi, TEST_STRIPE_WEBHOOK_SECRET, type TestApi } from '../../helpers/api';
import { startTestSandbox } from '../../helpers/stripe-sandbox';

const URL = '/v1/webhooks/stripe';
const now = () => Math.floor(Date.now() / 1000);
const eventId = () => `evt_test_${randomBytes(8).toString('hex')}`;

interface EventInput {
  id?: string;
  type?: string;
  object?: Record<string, unknown>;
}

/** A Stripe event as Stripe renders it (pretty-printed, as the sandbox and Stripe send it). */
function eventJson({ id = eventId(), type = 'payment_intent.succeeded', object }: EventInput = {}): string {
  return JSON.stringify(
    {
      id,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: now(),
      data: {
        object: object ?? {
          id: 'pi_test_webhooks',
          object: 'payment_intent',
          amount: 1_000,
          currency: 'eur',
          status: 'succeeded',
          metadata: { order_id: 'ord-webhooks' },
        },
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    },
    null,
    2,
  );
}

function sign(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? TEST_STRIPE_WEBHOOK_SECRET,
    timestamp: options.timestamp ?? now(),
  });
}

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

function deliver(
  payload: string,
  signature: string | undefined,
  contentType = 'application/json; charset=utf-8',
) {
  return api.app.inject({
    method: 'POST',
    url: URL,
    headers: {
      'content-type': contentType,
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      ...(signature !== undefined ? { 'stripe-signature': signature } : {}),
    },
    payload,
  });
}

const rowsFor = (id: string) => api.db.paymentEvent.findMany({ where: { id } });
/** Events of this file (ids `evt_test_…`): order tests in other files store real ones meanwhile. */
const countAll = () => api.db.paymentEvent.count({ where: { id: { startsWith: 'evt_test_' } } });

describe('events from the Stripe sandbox', () => {
  it('accepts the signed webhooks of a real payment and stores each event once', async () => {
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (api.app.server.address() as AddressInfo).port;
    const { sandbox, payments } = await startTestSandbox({
      webhookUrl: `http://127.0.0.1:${port}${URL}`,
      webhookSecret: TEST_STRIPE_WEBHOOK_SECRET,
    });
    try {
      const orderId = `wh-api-${randomBytes(4).toString('hex')}`;
      const payment = await payments.authorizePayment({
        orderId,
        amount: { amount: 12_345, currency: 'EUR' },
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: idempotencyKeys.authorize(orderId),
      });
      await payments.capturePayment({
        providerPaymentId: payment.providerPaymentId,
        idempotencyKey: idempotencyKeys.capture(orderId),
      });
      await sandbox.webhooks.idle();

      const sent = sandbox.state.events.map((event) => event.id);
      expect(sent).toHaveLength(2);
      // Every delivery was answered 200 on its first attempt (deliveries run concurrently, so
      // their order is not the events' order).
      expect(sandbox.webhooks.deliveries.map((d) => [d.eventId, d.status, d.attempt]).sort()).toEqual(
        sent.map((id) => [id, 200, 1]).sort(),
      );

      const rows = await api.db.paymentEvent.findMany({
        where: { paymentIntentId: payment.providerPaymentId },
        orderBy: { created: 'asc' },
      });
      expect(rows.map((row) => row.id).sort()).toEqual([...sent].sort());
      expect(rows.map((row) => row.type).sort()).toEqual(
        ['payment_intent.amount_capturable_updated', 'payment_intent.succeeded'].sort(),
      );
      for (const row of rows) {
        expect(row).toMatchObject({
          status: 'processed',
          orderId,
          paymentIntentId: payment.providerPaymentId,
          livemode: false,
          apiVersion: '2026-10-28.endive',
          processedAt: expect.any(Date),
        });
        expect(row.created).toBeInstanceOf(Date);
        expect(row.payload).toMatchObject({
          id: row.id,
          type: row.type,
          data: { object: { object: 'payment_intent' } },
        });
      }
    } finally {
      await sandbox.close();
    }
  });
});

describe('POST /v1/webhooks/stripe', () => {
  it('stores a signed event and acknowledges it', async () => {
    const id = eventId();
    const payload = eventJson({ id });
    const res = await deliver(payload, sign(payload));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true, eventId: id, outcome: 'stored' });
    expect(await rowsFor(id)).toEqual([
      expect.objectContaining({
        type: 'payment_intent.succeeded',
        status: 'processed',
        paymentIntentId: 'pi_test_webhooks',
        orderId: 'ord-webhooks',
        livemode: false,
        apiVersion: '2026-10-28.endive',
        payload: JSON.parse(payload),
      }),
    ]);
  });

  it('acknowledges a redelivery without storing it again', async () => {
    const id = eventId();
    const payload = eventJson({ id });
    const first = await deliver(payload, sign(payload));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, eventId: id, outcome: 'stored' });
    const [stored] = await rowsFor(id);

    // Stripe signs every attempt afresh.
    const again = await deliver(payload, sign(payload, { timestamp: now() + 1 }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: true, eventId: id, outcome: 'duplicate' });
    expect(await rowsFor(id)).toEqual([stored]);
  });

  it('stores one row when the same event arrives several times at once', async () => {
    const id = eventId();
    const payload = eventJson({ id });
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(payload, sign(payload))));
    expect(results.map((res) => res.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(results.map((res) => res.json().outcome).sort()).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'stored',
    ]);
    expect(await rowsFor(id)).toHaveLength(1);
  });

  it('stores an event of a type Borderline does not act on as ignored, and answers 200', async () => {
    const id = eventId();
    const payload = eventJson({ id, type: 'customer.created', object: { id: 'cus_1', object: 'customer' } });
    const res = await deliver(payload, sign(payload));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true, eventId: id, outcome: 'ignored' });
    expect(await rowsFor(id)).toEqual([
      expect.objectContaining({
        type: 'customer.created',
        status: 'ignored',
        paymentIntentId: null,
        orderId: null,
      }),
    ]);
  });

  it('keeps the related payment and order of a refund', async () => {
    const id = eventId();
    const payload = eventJson({
      id,
      type: 'charge.refunded',
      object: {
        id: 'ch_1',
        object: 'charge',
        payment_intent: 'pi_refunded',
        metadata: { order_id: 'ord-r' },
      },
    });
    expect((await deliver(payload, sign(payload))).statusCode).toBe(200);
    expect(await rowsFor(id)).toEqual([
      expect.objectContaining({ status: 'processed', paymentIntentId: 'pi_refunded', orderId: 'ord-r' }),
    ]);
  });

  describe('refuses with 400 naming stripe-signature, and stores nothing,', () => {
    it.each([
      [
        'a tampered body',
        'mismatch',
        (payload: string) => {
          const body = payload.replace('"amount": 1000', '"amount": 1');
          if (body === payload) throw new Error('the body was not tampered with');
          return { body, signature: sign(payload) };
        },
      ],
      [
        'a signature made with another secret',
        'mismatch',
        (payload: string) => ({ body: payload, signature: sign(payload, { secret: 'whsec_someone_else' }) }),
      ],
      [
        'a timestamp older than five minutes',
        'stale',
        (payload: string) => ({ body: payload, signature: sign(payload, { timestamp: now() - 6 * 60 }) }),
      ],
      ['a malformed header', 'malformed', (payload: string) => ({ body: payload, signature: 'v1=deadbeef' })],
    ])('%s', async (_label, problem, make) => {
      const id = eventId();
      const { body, signature } = make(eventJson({ id }));
      expect(body).toContain(id);
      const before = await countAll();
      const res = await deliver(body, signature);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'stripe-signature',
        details: { problem },
        requestId: res.headers['x-request-id'],
      });
      expect(res.json().error.message).not.toContain(TEST_STRIPE_WEBHOOK_SECRET);
      expect(await rowsFor(id)).toHaveLength(0);
      expect(await countAll()).toBe(before);
    });

    it('a missing header', async () => {
      const id = eventId();
      const before = await countAll();
      const res = await deliver(eventJson({ id }), undefined);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'stripe-signature' });
      expect(await countAll()).toBe(before);
    });

    it('an empty header', async () => {
      const payload = eventJson();
      const res = await deliver(payload, '');
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ field: 'stripe-signature', details: { problem: 'missing' } });
    });
  });

  it('refuses a correctly signed body that is not JSON, storing nothing', async () => {
    const payload = '{"id": "evt_test_broken", "object": "event", ';
    const before = await countAll();
    const res = await deliver(payload, sign(payload));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'MALFORMED_JSON', field: 'body' });
    expect(await countAll()).toBe(before);
  });

  it('refuses correctly signed JSON that is not a Stripe event, storing nothing', async () => {
    const payload = JSON.stringify({
      id: 'evt_test_nodata',
      type: 'payment_intent.succeeded',
      created: now(),
    });
    const before = await countAll();
    const res = await deliver(payload, sign(payload));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
    expect(await countAll()).toBe(before);
  });

  it('refuses a body that is not application/json', async () => {
    const payload = eventJson();
    const res = await deliver(payload, sign(payload), 'text/plain');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('UNSUPPORTED_CONTENT_TYPE');
  });

  it('leaves the JSON parser of the other routes alone', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: api.auth('admin'),
      payload: { name: 'after webhooks', role: 'support' },
    });
    expect(created.statusCode).toBe(201);
    const broken = await api.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { ...api.auth('admin'), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('MALFORMED_JSON');
  });

  it('is documented as public, with its header, body and answer', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operation = doc.paths[URL].post;
    expect(operation.security).toEqual([]);
    expect(operation.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'header', name: 'stripe-signature', required: true }),
      ]),
    );
    expect(operation.requestBody.content['application/json'].schema.title).toBe('StripeEvent');
    expect(operation.responses['200'].content['application/json'].schema.properties.outcome).toBeDefined();
  });
});

describe('the hand-off seam', () => {
  it('hands an event it acts on over until a hand-off succeeds; a failed hand-off answers 503 for a redelivery', async () => {
    const handed: PaymentProviderEvent[] = [];
    let fail = false;
    const app = await buildApp({
      deps: {
        keys: new ApiKeyStore(api.db),
        readiness: {},
        stripeWebhooks: {
          webhookSecret: TEST_STRIPE_WEBHOOK_SECRET,
          events: new PgPaymentEventStore(api.db),
          onPaymentEvent: async (event) => {
            handed.push(event);
            if (fail) throw new Error('order saga unavailable');
          },
        },
      },
    });
    try {
      const post = (payload: string) =>
        app.inject({
          method: 'POST',
          url: URL,
          headers: { 'content-type': 'application/json', 'stripe-signature': sign(payload) },
          payload,
        });
      const id = eventId();
      const payload = eventJson({ id });
      expect((await post(payload)).statusCode).toBe(200);
      expect((await post(payload)).statusCode).toBe(200);
      const ignored = eventJson({ type: 'customer.created', object: { id: 'cus_2', object: 'customer' } });
      expect((await post(ignored)).statusCode).toBe(200);
      expect(handed).toEqual([
        expect.objectContaining({
          providerEventId: id,
          type: 'payment.captured',
          providerObjectId: 'pi_test_webhooks',
          orderId: 'ord-webhooks',
        }),
      ]);

      expect(await rowsFor(id)).toEqual([expect.objectContaining({ status: 'processed' })]);

      fail = true;
      const failing = eventId();
      const failingPayload = eventJson({ id: failing });
      const res = await post(failingPayload);
      expect(res.statusCode).toBe(503);
      expect(handed.map((event) => event.providerEventId)).toContain(failing);
      expect(await rowsFor(failing)).toEqual([expect.objectContaining({ status: 'received' })]);

      // Stripe delivers it again: now the hand-over succeeds, once.
      fail = false;
      expect((await post(failingPayload)).statusCode).toBe(200);
      expect((await post(failingPayload)).statusCode).toBe(200);
      expect(handed.filter((event) => event.providerEventId === failing)).toHaveLength(2);
      expect(await rowsFor(failing)).toEqual([expect.objectContaining({ status: 'processed' })]);
    } finally {
      await app.close();
    }
  });

  it('keeps the raw-body parser to its own route: a route added after it still gets parsed JSON', async () => {
    const app = await buildApp({
      deps: {
        keys: new ApiKeyStore(api.db),
        readiness: {},
        stripeWebhooks: {
          webhookSecret: TEST_STRIPE_WEBHOOK_SECRET,
          events: {
            receive: async () => ({ stored: true, processed: false }),
            markProcessed: async () => undefined,
          },
          onPaymentEvent: async () => undefined,
        },
      },
    });
    app.post('/echo', { config: { auth: { public: true } } }, async (request) => ({
      raw: Buffer.isBuffer(request.body),
      body: request.body,
    }));
    try {
      const res = await app.inject({ method: 'POST', url: '/echo', payload: { hello: 'world' } });
      expect(res.json()).toEqual({ raw: false, body: { hello: 'world' } });
    } finally {
      await app.close();
    }
  });

  it('the store inserts one row of many concurrent inserts of one event', async () => {
    const store = new PgPaymentEventStore(api.db);
    const payload = eventJson();
    const event = JSON.parse(payload) as Stripe.Event;
    const record = newPaymentEvent(event, describeStripeEvent(event));
    const results = await Promise.all(Array.from({ length: 8 }, () => store.receive(record)));
    expect(results.filter((result) => result.stored)).toHaveLength(1);
    expect(results.filter((result) => result.processed)).toHaveLength(0);
    expect(await rowsFor(event.id)).toHaveLength(1);
  });

  it('the store tells a redelivery of an event handed over already from one not handed over yet', async () => {
    const store = new PgPaymentEventStore(api.db);
    const event = JSON.parse(eventJson()) as Stripe.Event;
    const record = newPaymentEvent(event, describeStripeEvent(event));
    expect(await store.receive(record)).toEqual({ stored: true, processed: false });
    expect(await store.receive(record)).toEqual({ stored: false, processed: false });
    await store.markProcessed(event.id);
    expect(await store.receive(record)).toEqual({ stored: false, processed: true });
    expect(await rowsFor(event.id)).toEqual([expect.objectContaining({ status: 'processed' })]);
  });
});
