/**
 * The order's payment activities retried after Stripe has forgotten their idempotency key (24 hours
 * after first use). The first attempt's call is committed by the Stripe sandbox, which then drops
 * the connection (`drop-after-commit`): the PaymentIntent or refund exists, its answer is lost.
 * The activity is retried in a MockActivityEnvironment whose info says when it was first scheduled:
 * - 25 hours ago (the sandbox's clock moved 25 hours, the key forgotten): the activity looks the
 *   object up first and returns it: still one PaymentIntent, one refund;
 * - 22 hours ago: no lookup; the one POST is answered by the idempotency key (a replay).
 * The capture is guarded the same way (a capture made, its answer lost, is read rather than
 * refused by Stripe after the key is forgotten). The payment's compensation (releasePayment) can
 * be scheduled anew by support's retry days later, so it always reads first: the refund made
 * under its refund id, the payment's status.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOrderActivities, type OrderActivityDeps } from '../../../activities/orders';
import { IDEMPOTENCY_KEY_TRUST_MS, idempotencyKeys } from '../../../src/domain/payments';
import type { StripePayments } from '../../../src/infra/payments';
import { PAYOUT_KEY_TRUST_MS } from '../../../src/infra/settlement/settlement-store';
import { ManualClock, type StripeSandbox } from '../../../src/sandboxes/stripe';
import { startTestSandbox } from '../../helpers/stripe-sandbox';

jest.setTimeout(60_000);

const HOUR_MS = 60 * 60 * 1000;
const eur = (amount: number) => ({ amount, currency: 'EUR' });
let counter = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

let sandbox: StripeSandbox;
let payments: StripePayments;
let activities: ReturnType<typeof createOrderActivities>;
const stripeClock = new ManualClock(Date.now());

beforeAll(async () => {
  ({ sandbox, payments } = await startTestSandbox({ clock: stripeClock }));
  // Only the payments port is used by these two activities.
  activities = createOrderActivities({ payments } as unknown as OrderActivityDeps);
});
afterEach(() => sandbox.faults.clear());
afterAll(async () => {
  await sandbox?.close();
});

/** Runs `fn` as attempt `attemptNumber` of an activity first scheduled `agoMs` ago. */
function attempt(attemptNumber: number, agoMs: number) {
  const env = new MockActivityEnvironment({
    attempt: attemptNumber,
    scheduledTimestampMs: Date.now() - agoMs,
  });
  return {
    run: <I, R>(fn: (input: I) => Promise<R>, input: I): Promise<R> => env.run(() => fn(input)) as Promise<R>,
  };
}

const intentsOf = (orderId: string) =>
  [...sandbox.state.paymentIntents.values()].filter((intent) => intent.metadata.order_id === orderId);
const refundsOf = (refundId: string) =>
  [...sandbox.state.refunds.values()].filter((refund) => refund.metadata.refund_id === refundId);
const requestsSince = (mark: number) =>
  sandbox.requests.slice(mark).map((r) => `${r.method} ${r.path}${r.replayed ? ' (replayed)' : ''}`);

const authorizeInput = (orderId: string) => ({
  orderId,
  amount: eur(5_000),
  paymentMethodId: 'pm_card_visa',
});

/** The first attempt: the PaymentIntent is created and confirmed, its answer lost. */
async function authorizeAndLoseTheAnswer(orderId: string): Promise<string> {
  sandbox.faults.inject({
    kind: 'drop-after-commit',
    times: 'always',
    method: 'POST',
    path: '/v1/payment_intents',
  });
  await expect(attempt(1, 0).run(activities.authorizePayment, authorizeInput(orderId))).rejects.toMatchObject(
    {
      type: 'PAYMENT_PROVIDER_ERROR',
    },
  );
  sandbox.faults.clear();
  const made = intentsOf(orderId);
  expect(made).toHaveLength(1);
  expect(made[0]!.status).toBe('requires_capture');
  return made[0]!.id;
}

/** A captured payment, then the first attempt of a refund: made, its answer lost. */
async function refundAndLoseTheAnswer(refundId: string): Promise<{ paymentIntentId: string; made: string }> {
  const orderId = uniqueId('ord');
  const { paymentIntentId } = await attempt(1, 0).run(activities.authorizePayment, authorizeInput(orderId));
  await payments.capturePayment({
    providerPaymentId: paymentIntentId,
    idempotencyKey: idempotencyKeys.capture(orderId),
  });
  sandbox.faults.inject({ kind: 'drop-after-commit', times: 'always', method: 'POST', path: '/v1/refunds' });
  const input = { paymentIntentId, refundId, amount: eur(1_200), reason: 'requested_by_customer' as const };
  await expect(attempt(1, 0).run(activities.refundPayment, input)).rejects.toMatchObject({
    type: 'PAYMENT_PROVIDER_ERROR',
  });
  sandbox.faults.clear();
  const made = refundsOf(refundId);
  expect(made).toHaveLength(1);
  return { paymentIntentId, made: made[0]!.id };
}

it('shares one trust window with the settlement payouts: 23 hours', () => {
  expect(IDEMPOTENCY_KEY_TRUST_MS).toBe(23 * HOUR_MS);
  expect(PAYOUT_KEY_TRUST_MS).toBe(IDEMPOTENCY_KEY_TRUST_MS);
});

describe('authorizePayment', () => {
  it('25 hours after it was first scheduled, finds the PaymentIntent made and returns it: one hold', async () => {
    const orderId = uniqueId('ord');
    const made = await authorizeAndLoseTheAnswer(orderId);

    stripeClock.advance(25 * HOUR_MS);
    const mark = sandbox.requests.length;
    const result = await attempt(2, 25 * HOUR_MS).run(activities.authorizePayment, authorizeInput(orderId));
    expect(result).toEqual({ paymentIntentId: made, authorized: eur(5_000), attempt: 2 });
    expect(intentsOf(orderId)).toHaveLength(1);
    expect(requestsSince(mark)).toEqual([
      'GET /v1/payment_intents/search',
      `GET /v1/payment_intents/${made}`,
    ]);
  });

  it('a search that finds nothing (the first attempt made nothing) authorises as usual', async () => {
    const orderId = uniqueId('ord');
    const mark = sandbox.requests.length;
    const result = await attempt(2, 25 * HOUR_MS).run(activities.authorizePayment, authorizeInput(orderId));
    expect(intentsOf(orderId).map((intent) => intent.id)).toEqual([result.paymentIntentId]);
    expect(requestsSince(mark)).toEqual(['GET /v1/payment_intents/search', 'POST /v1/payment_intents']);
  });

  it('within 23 hours, makes no lookup: the idempotency key answers the one POST', async () => {
    const orderId = uniqueId('ord');
    const made = await authorizeAndLoseTheAnswer(orderId);

    stripeClock.advance(22 * HOUR_MS);
    const mark = sandbox.requests.length;
    const result = await attempt(2, 22 * HOUR_MS).run(activities.authorizePayment, authorizeInput(orderId));
    expect(result.paymentIntentId).toBe(made);
    expect(requestsSince(mark)).toEqual(['POST /v1/payment_intents (replayed)']);
    expect(intentsOf(orderId)).toHaveLength(1);
  });

  it('the control: a POST with the forgotten key makes a second PaymentIntent', async () => {
    const orderId = uniqueId('ord');
    await authorizeAndLoseTheAnswer(orderId);
    stripeClock.advance(25 * HOUR_MS);
    await payments.authorizePayment({
      ...authorizeInput(orderId),
      idempotencyKey: idempotencyKeys.authorize(orderId),
    });
    expect(intentsOf(orderId)).toHaveLength(2);
  });
});

describe('capturePayment', () => {
  /** An authorised payment, then the first attempt of its capture: made, its answer lost. */
  async function captureAndLoseTheAnswer(): Promise<{ orderId: string; paymentIntentId: string }> {
    const orderId = uniqueId('ord');
    const { paymentIntentId } = await attempt(1, 0).run(activities.authorizePayment, authorizeInput(orderId));
    sandbox.faults.inject({
      kind: 'drop-after-commit',
      times: 'always',
      method: 'POST',
      path: `/v1/payment_intents/${paymentIntentId}/capture`,
    });
    const input = { orderId, paymentIntentId, amount: eur(5_000) };
    await expect(attempt(1, 0).run(activities.capturePayment, input)).rejects.toMatchObject({
      type: 'PAYMENT_PROVIDER_ERROR',
    });
    sandbox.faults.clear();
    expect(sandbox.state.paymentIntents.get(paymentIntentId)!.status).toBe('succeeded');
    return { orderId, paymentIntentId };
  }

  /** Attempt 2 of the capture, `hours` after the first: its result and the requests it made. */
  async function retryCaptureAfter(hours: number, lost: { orderId: string; paymentIntentId: string }) {
    stripeClock.advance(hours * HOUR_MS);
    const mark = sandbox.requests.length;
    const result = await attempt(2, hours * HOUR_MS).run(activities.capturePayment, {
      ...lost,
      amount: eur(5_000),
    });
    return { result, requests: requestsSince(mark) };
  }

  it('25 hours after it was first scheduled, finds the capture made and returns it', async () => {
    const lost = await captureAndLoseTheAnswer();
    const { result, requests } = await retryCaptureAfter(25, lost);
    expect(result).toEqual({ captured: eur(5_000), attempt: 2 });
    expect(requests).toEqual([`GET /v1/payment_intents/${lost.paymentIntentId}`]);
  });

  it('within 23 hours, makes no lookup: the idempotency key answers the one POST', async () => {
    const lost = await captureAndLoseTheAnswer();
    const { result, requests } = await retryCaptureAfter(22, lost);
    expect(result.captured).toEqual(eur(5_000));
    // The GET reads the payment's currency before a capture of an amount (the adapter's check).
    expect(requests).toEqual([
      `GET /v1/payment_intents/${lost.paymentIntentId}`,
      `POST /v1/payment_intents/${lost.paymentIntentId}/capture (replayed)`,
    ]);
  });

  it('the control: capturing again with the forgotten key is refused by Stripe', async () => {
    const { orderId, paymentIntentId } = await captureAndLoseTheAnswer();
    stripeClock.advance(25 * HOUR_MS);
    await expect(
      payments.capturePayment({
        providerPaymentId: paymentIntentId,
        idempotencyKey: idempotencyKeys.capture(orderId),
      }),
    ).rejects.toMatchObject({ retryable: false });
  });
});

describe('refundPayment (finance)', () => {
  it('25 hours after it was first scheduled, finds the refund made and returns it: one refund', async () => {
    const refundId = uniqueId('rf');
    const { paymentIntentId, made } = await refundAndLoseTheAnswer(refundId);

    stripeClock.advance(25 * HOUR_MS);
    const mark = sandbox.requests.length;
    const result = await attempt(2, 25 * HOUR_MS).run(activities.refundPayment, {
      paymentIntentId,
      refundId,
      amount: eur(1_200),
      reason: 'requested_by_customer',
    });
    expect(result).toEqual({ providerRefundId: made, status: 'succeeded', attempt: 2 });
    expect(refundsOf(refundId)).toHaveLength(1);
    expect(requestsSince(mark)).toEqual(['GET /v1/refunds']);
  });

  it('within 23 hours, makes no lookup: the idempotency key answers the one POST', async () => {
    const refundId = uniqueId('rf');
    const { paymentIntentId, made } = await refundAndLoseTheAnswer(refundId);

    stripeClock.advance(22 * HOUR_MS);
    const mark = sandbox.requests.length;
    const result = await attempt(2, 22 * HOUR_MS).run(activities.refundPayment, {
      paymentIntentId,
      refundId,
      amount: eur(1_200),
      reason: 'requested_by_customer',
    });
    expect(result.providerRefundId).toBe(made);
    // The GET reads the payment's currency before the refund (the adapter's currency check).
    expect(requestsSince(mark)).toEqual([
      `GET /v1/payment_intents/${paymentIntentId}`,
      'POST /v1/refunds (replayed)',
    ]);
    expect(refundsOf(refundId)).toHaveLength(1);
  });
});

describe('releasePayment (compensation), run again by support days later', () => {
  /** An authorised payment (captured when `capture`), its order id. */
  async function authorized(capture: boolean): Promise<{ orderId: string; paymentIntentId: string }> {
    const orderId = uniqueId('ord');
    const { paymentIntentId } = await attempt(1, 0).run(activities.authorizePayment, authorizeInput(orderId));
    if (capture) {
      await payments.capturePayment({
        providerPaymentId: paymentIntentId,
        idempotencyKey: idempotencyKeys.capture(orderId),
      });
    }
    return { orderId, paymentIntentId };
  }

  it('a refund made by an earlier run (its answer lost) is found and returned: one refund', async () => {
    const { orderId, paymentIntentId } = await authorized(true);
    const input = { orderId, paymentIntentId, captured: true, amount: eur(5_000) };
    sandbox.faults.inject({
      kind: 'drop-after-commit',
      times: 'always',
      method: 'POST',
      path: '/v1/refunds',
    });
    await expect(attempt(1, 0).run(activities.releasePayment, input)).rejects.toMatchObject({
      type: 'PAYMENT_PROVIDER_ERROR',
    });
    sandbox.faults.clear();
    const made = refundsOf(`${orderId}-compensation`);
    expect(made).toHaveLength(1);

    // Support's retry, two days later: a new activity, first scheduled just now.
    stripeClock.advance(48 * HOUR_MS);
    const mark = sandbox.requests.length;
    const result = await attempt(1, 0).run(activities.releasePayment, input);
    expect(result).toMatchObject({ released: 'refunded', refundId: `${orderId}-compensation` });
    expect(refundsOf(`${orderId}-compensation`)).toHaveLength(1);
    expect(requestsSince(mark)).toEqual(['GET /v1/refunds']);
  });

  it('the first run refunds after one lookup that finds nothing', async () => {
    const { orderId, paymentIntentId } = await authorized(true);
    const mark = sandbox.requests.length;
    const result = await attempt(1, 0).run(activities.releasePayment, {
      orderId,
      paymentIntentId,
      captured: true,
      amount: eur(5_000),
    });
    expect(result).toMatchObject({ released: 'refunded', status: 'succeeded' });
    expect(refundsOf(`${orderId}-compensation`)).toHaveLength(1);
    expect(requestsSince(mark)).toEqual([
      'GET /v1/refunds',
      `GET /v1/payment_intents/${paymentIntentId}`,
      'POST /v1/refunds',
    ]);
  });

  it('an authorisation an earlier run cancelled (its answer lost) is not cancelled again', async () => {
    const { orderId, paymentIntentId } = await authorized(false);
    const input = { orderId, paymentIntentId, captured: false, amount: eur(5_000) };
    sandbox.faults.inject({
      kind: 'drop-after-commit',
      times: 'always',
      method: 'POST',
      path: `/v1/payment_intents/${paymentIntentId}/cancel`,
    });
    await expect(attempt(1, 0).run(activities.releasePayment, input)).rejects.toMatchObject({
      type: 'PAYMENT_PROVIDER_ERROR',
    });
    sandbox.faults.clear();
    expect(sandbox.state.paymentIntents.get(paymentIntentId)!.status).toBe('canceled');

    stripeClock.advance(48 * HOUR_MS);
    const mark = sandbox.requests.length;
    const result = await attempt(1, 0).run(activities.releasePayment, input);
    expect(result).toMatchObject({ released: 'cancelled', status: 'canceled' });
    expect(requestsSince(mark)).toEqual([`GET /v1/payment_intents/${paymentIntentId}`]);
  });

  it('a payment captured without the saga knowing is refunded in full, not cancelled; once', async () => {
    // The capture went through but its answer was lost and its retries failed for good, so the
    // saga compensates an authorisation it believes uncaptured.
    const { orderId, paymentIntentId } = await authorized(true);
    const input = { orderId, paymentIntentId, captured: false, amount: eur(5_000) };
    const mark = sandbox.requests.length;
    const result = await attempt(1, 0).run(activities.releasePayment, input);
    expect(result).toMatchObject({
      released: 'refunded',
      status: 'succeeded',
      refundId: `${orderId}-compensation`,
      capturedUnseen: eur(5_000),
    });
    expect(requestsSince(mark)).not.toContain(`POST /v1/payment_intents/${paymentIntentId}/cancel`);
    expect(refundsOf(`${orderId}-compensation`).map((r) => r.amount)).toEqual([5_000]);
    expect(sandbox.state.paymentIntents.get(paymentIntentId)).toMatchObject({ status: 'succeeded' });

    // Support's retry two days later finds that refund: still one.
    stripeClock.advance(48 * HOUR_MS);
    const again = await attempt(1, 0).run(activities.releasePayment, input);
    expect(again).toMatchObject({ released: 'refunded', refundId: `${orderId}-compensation` });
    expect(refundsOf(`${orderId}-compensation`)).toHaveLength(1);
  });

  it('the control: Stripe refuses to cancel a captured payment', async () => {
    const { orderId, paymentIntentId } = await authorized(true);
    await expect(
      payments.cancelAuthorization({
        providerPaymentId: paymentIntentId,
        idempotencyKey: idempotencyKeys.cancel(orderId),
      }),
    ).rejects.toMatchObject({ retryable: false });
  });

  it('the control: cancelling again with the forgotten key is refused by Stripe', async () => {
    const { orderId, paymentIntentId } = await authorized(false);
    await payments.cancelAuthorization({
      providerPaymentId: paymentIntentId,
      idempotencyKey: idempotencyKeys.cancel(orderId),
    });
    await expect(
      payments.cancelAuthorization({
        providerPaymentId: paymentIntentId,
        idempotencyKey: idempotencyKeys.cancel(`${orderId}-again`),
      }),
    ).rejects.toMatchObject({ retryable: false });
  });
});

describe('the sandbox search and refund list', () => {
  it('pages search results with next_page and refuses a query it does not understand', async () => {
    const orderId = uniqueId('ord');
    // Three PaymentIntents carrying the same order id (as if the key had been forgotten twice).
    for (const suffix of ['a', 'b', 'c']) {
      await payments.authorizePayment({
        ...authorizeInput(orderId),
        idempotencyKey: idempotencyKeys.authorize(`${orderId}-${suffix}`),
      });
    }
    const url = (query: Record<string, string>) =>
      `http://${sandbox.host}:${sandbox.port}/v1/payment_intents/search?${new URLSearchParams(query).toString()}`;
    const get = async (query: Record<string, string>) => {
      const response = await fetch(url(query), { headers: { Authorization: `Bearer ${sandbox.secretKey}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const query = `metadata['order_id']:'${orderId}'`;
    const first = await get({ query, limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      object: 'search_result',
      has_more: true,
      url: '/v1/payment_intents/search',
    });
    expect(first.body.data).toHaveLength(2);
    const second = await get({ query, limit: '2', page: first.body.next_page as string });
    expect(second.body).toMatchObject({ object: 'search_result', has_more: false, next_page: null });
    expect(second.body.data).toHaveLength(1);

    // The adapter reads every page and picks the oldest.
    const oldest = intentsOf(orderId)[0]!.id;
    await expect(payments.findOrderPayment({ orderId })).resolves.toMatchObject({
      providerPaymentId: oldest,
    });

    const refused = await get({ query: `status:'succeeded'` });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { type: 'invalid_request_error', param: 'query' } });
  });

  it('lists a payment’s refunds, paged with starting_after; findRefund matches the metadata', async () => {
    const orderId = uniqueId('ord');
    const { paymentIntentId } = await attempt(1, 0).run(activities.authorizePayment, authorizeInput(orderId));
    await payments.capturePayment({
      providerPaymentId: paymentIntentId,
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const refundId = uniqueId('rf');
      ids.push(refundId);
      await payments.refundPayment({
        providerPaymentId: paymentIntentId,
        refundId,
        amount: eur(100),
        idempotencyKey: idempotencyKeys.refund(refundId),
      });
    }
    // The sandbox pages the list newest first (listPage, shared with transfers).
    const listUrl = (query: Record<string, string>) =>
      `http://${sandbox.host}:${sandbox.port}/v1/refunds?${new URLSearchParams(query).toString()}`;
    const list = async (query: Record<string, string>) =>
      (await (
        await fetch(listUrl(query), { headers: { Authorization: `Bearer ${sandbox.secretKey}` } })
      ).json()) as {
        object: string;
        data: { id: string; metadata: { refund_id: string } }[];
        has_more: boolean;
      };
    const page1 = await list({ payment_intent: paymentIntentId, limit: '2' });
    expect(page1).toMatchObject({ object: 'list', has_more: true });
    expect(page1.data.map((refund) => refund.metadata.refund_id)).toEqual([ids[2], ids[1]]);
    const page2 = await list({
      payment_intent: paymentIntentId,
      limit: '2',
      starting_after: page1.data[1]!.id,
    });
    expect(page2).toMatchObject({ has_more: false });
    expect(page2.data.map((refund) => refund.metadata.refund_id)).toEqual([ids[0]]);

    const mark = sandbox.requests.length;
    // limit 100 in the adapter: one page here; the sandbox's paging is listPage (shared with transfers).
    await expect(
      payments.findRefund({ providerPaymentId: paymentIntentId, refundId: ids[0]! }),
    ).resolves.toMatchObject({
      refundId: ids[0],
      providerPaymentId: paymentIntentId,
      amount: eur(100),
    });
    expect(requestsSince(mark)).toEqual(['GET /v1/refunds']);
    await expect(
      payments.findRefund({ providerPaymentId: paymentIntentId, refundId: 'rf-none' }),
    ).resolves.toBeNull();
  });
});
