import { AppError } from '../../../src/errors';
import { idempotencyKeys } from '../../../src/domain/payments';
import { createStripeClient, type StripePayments } from '../../../src/infra/payments';
import type { StripeSandbox } from '../../../src/sandboxes/stripe';
import { paymentsFor, startTestSandbox } from '../../helpers/stripe-sandbox';

jest.setTimeout(30_000);

const eur = (amount: number) => ({ amount, currency: 'EUR' });
let counter = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('idempotency and faults, through the stripe package against the sandbox', () => {
  let sandbox: StripeSandbox;
  let payments: StripePayments;

  beforeAll(async () => {
    ({ sandbox, payments } = await startTestSandbox());
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.close());

  const intentsFor = (orderId: string) =>
    [...sandbox.state.paymentIntents.values()].filter((intent) => intent.metadata.order_id === orderId);
  const chargesFor = (orderId: string) =>
    [...sandbox.state.charges.values()].filter((charge) => charge.metadata.order_id === orderId);
  const requestsWith = (key: string) => sandbox.requests.filter((request) => request.idempotencyKey === key);
  const authorize = (orderId: string, amount = 5_000, paymentMethodId = 'pm_card_visa') =>
    payments.authorizePayment({
      orderId,
      amount: eur(amount),
      paymentMethodId,
      idempotencyKey: idempotencyKeys.authorize(orderId),
    });

  it('replays the first answer for the same key and parameters: one PaymentIntent', async () => {
    const orderId = uniqueId('ord');
    const first = await authorize(orderId);
    const second = await authorize(orderId);
    expect(second.providerPaymentId).toBe(first.providerPaymentId);
    expect(intentsFor(orderId)).toHaveLength(1);
    expect(requestsWith(idempotencyKeys.authorize(orderId)).map((request) => request.replayed)).toEqual([
      false,
      true,
    ]);
  });

  it('marks replays with Idempotent-Replayed and Original-Request, as Stripe does', async () => {
    const stripe = createStripeClient({
      secretKey: sandbox.secretKey,
      apiBase: { host: sandbox.host, port: sandbox.port, protocol: 'http' },
    });
    const params = { amount: 700, currency: 'eur', transfer_group: uniqueId('grp') };
    const key = uniqueId('raw');
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(second.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect(second.lastResponse.requestId).not.toBe(first.lastResponse.requestId);
  });

  it('refuses the same key with another amount, changing nothing', async () => {
    const orderId = uniqueId('ord');
    await authorize(orderId, 5_000);
    const error = await failure(authorize(orderId, 5_100));
    expect(error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ stripeErrorType: 'idempotency_error', statusCode: 400 });
    expect(intentsFor(orderId)).toHaveLength(1);
    expect(intentsFor(orderId)[0]?.amount).toBe(5_000);
  });

  it('replays a decline too: the saved answer includes errors', async () => {
    const orderId = uniqueId('ord');
    const first = await failure(authorize(orderId, 5_000, 'pm_card_chargeDeclinedInsufficientFunds'));
    const second = await failure(authorize(orderId, 5_000, 'pm_card_chargeDeclinedInsufficientFunds'));
    expect(second.code).toBe('PAYMENT_DECLINED');
    expect(second.details?.providerPaymentId).toBe(first.details?.providerPaymentId);
    expect(chargesFor(orderId)).toHaveLength(1);
  });

  it.each(['500', '503'] as const)(
    'maps an injected %s to a retryable error; the retry with the same key succeeds once',
    async (kind) => {
      const orderId = uniqueId('ord');
      sandbox.faults.inject({ kind, times: 2, method: 'POST', path: '/v1/payment_intents' });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await failure(authorize(orderId));
        expect(error.code).toBe('PAYMENT_PROVIDER_ERROR');
        expect(error.retryable).toBe(true);
        expect(error.details).toMatchObject({ statusCode: Number(kind), kind: 'api_error' });
      }
      expect(intentsFor(orderId)).toHaveLength(0);
      const payment = await authorize(orderId);
      expect(payment.status).toBe('requires_capture');
      expect(intentsFor(orderId)).toHaveLength(1);
    },
  );

  it('maps a 429 to RATE_LIMITED (retryable), naming the limiter and sending no Retry-After', async () => {
    const orderId = uniqueId('ord');
    sandbox.faults.inject({ kind: '429', method: 'POST' });
    const error = await failure(authorize(orderId));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({
      statusCode: 429,
      stripeCode: 'rate_limit',
      rateLimitedReason: 'global-rate',
    });
    expect(intentsFor(orderId)).toHaveLength(0);
    expect((await authorize(orderId)).status).toBe('requires_capture');
  });

  it('survives one dropped connection after commit: stripe-node resends once with the same key and gets the replay', async () => {
    const orderId = uniqueId('ord');
    sandbox.faults.inject({
      kind: 'drop-after-commit',
      times: 1,
      method: 'POST',
      path: '/v1/payment_intents',
    });
    const payment = await authorize(orderId);
    expect(payment.status).toBe('requires_capture');
    const requests = requestsWith(idempotencyKeys.authorize(orderId));
    expect(requests.map((request) => [request.status, request.replayed])).toEqual([
      ['dropped', false],
      [200, true],
    ]);
    expect(intentsFor(orderId)).toHaveLength(1);
  });

  it('reports a connection dropped after commit as retryable with an unknown outcome; the retry gives exactly one charge', async () => {
    const orderId = uniqueId('ord');
    // Two drops: the first defeats stripe-node's own single resend, the second reaches the adapter.
    sandbox.faults.inject({
      kind: 'drop-after-commit',
      times: 2,
      method: 'POST',
      path: '/v1/payment_intents',
    });
    const error = await failure(authorize(orderId));
    expect(error.code).toBe('PAYMENT_PROVIDER_ERROR');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ kind: 'connection', outcomeUnknown: true });
    // The sandbox committed the authorisation although nobody heard the answer.
    expect(intentsFor(orderId)).toHaveLength(1);

    const retried = await authorize(orderId);
    expect(retried.providerPaymentId).toBe(intentsFor(orderId)[0]?.id);
    expect(intentsFor(orderId)).toHaveLength(1);
    expect(chargesFor(orderId)).toHaveLength(1);
    const captured = await payments.capturePayment({
      providerPaymentId: retried.providerPaymentId,
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    expect(captured.amountReceived).toEqual(eur(5_000));
  });

  it('reports a connection dropped before commit as retryable; nothing was created', async () => {
    const orderId = uniqueId('ord');
    sandbox.faults.inject({
      kind: 'drop-before-commit',
      times: 2,
      method: 'POST',
      path: '/v1/payment_intents',
    });
    const error = await failure(authorize(orderId));
    expect(error.code).toBe('PAYMENT_PROVIDER_ERROR');
    expect(intentsFor(orderId)).toHaveLength(0);
    expect((await authorize(orderId)).status).toBe('requires_capture');
    expect(intentsFor(orderId)).toHaveLength(1);
  });

  it('times out on a slow answer (retryable); a retry while it runs gets 409; afterwards the replay: one refund', async () => {
    const orderId = uniqueId('ord');
    const payment = await authorize(orderId);
    await payments.capturePayment({
      providerPaymentId: payment.providerPaymentId,
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    const impatient = paymentsFor(sandbox, { timeoutMs: 200 });
    const refundId = uniqueId('rf');
    const refund = () =>
      impatient.refundPayment({
        providerPaymentId: payment.providerPaymentId,
        refundId,
        amount: eur(1_000),
        idempotencyKey: idempotencyKeys.refund(refundId),
      });
    sandbox.faults.inject({ kind: 'slow', delayMs: 800, method: 'POST', path: '/v1/refunds' });

    const timedOut = await failure(refund());
    expect(timedOut.code).toBe('PAYMENT_PROVIDER_ERROR');
    expect(timedOut.details).toMatchObject({ kind: 'timeout', outcomeUnknown: true });

    const whileRunning = await failure(refund());
    expect(whileRunning.code).toBe('PAYMENT_PROVIDER_ERROR');
    expect(whileRunning.retryable).toBe(true);
    expect(whileRunning.details).toMatchObject({ statusCode: 409 });

    await new Promise((resolve) => setTimeout(resolve, 900));
    const done = await refund();
    expect(done.amount).toEqual(eur(1_000));
    const refunds = [...sandbox.state.refunds.values()].filter(
      (item) => item.metadata.refund_id === refundId,
    );
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.id).toBe(done.providerRefundId);
  });

  it('accepts faults over HTTP for tests in another process', async () => {
    const orderId = uniqueId('ord');
    const headers = { Authorization: `Bearer ${sandbox.secretKey}`, 'Content-Type': 'application/json' };
    const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ kind: '503', times: 1, path: '/v1/payment_intents' }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ kind: '503', remaining: 1 });
    expect((await failure(authorize(orderId))).details).toMatchObject({ statusCode: 503 });
    expect((await authorize(orderId)).status).toBe('requires_capture');
    const listed = (await (await fetch(`${sandbox.url}/_sandbox/faults`, { headers })).json()) as {
      pending: unknown[];
      triggered: Array<{ kind: string }>;
    };
    expect(listed.pending).toEqual([]);
    expect(listed.triggered.at(-1)?.kind).toBe('503');
  });

  it('refuses an unknown secret key; the adapter reports our configuration as the problem', async () => {
    const wrong = paymentsFor(sandbox, { secretKey: 'sk_live_not_a_test_key' });
    const error = await failure(wrong.retrievePayment('pi_whatever'));
    expect(error.code).toBe('INTERNAL');
    expect(error.details).toMatchObject({ statusCode: 401 });
    expect(error.message).not.toContain('not_a_test_key');
  });
});
