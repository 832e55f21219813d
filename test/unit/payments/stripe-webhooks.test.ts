import { AppError } from '../../../src/errors';
import { parseStripeWebhook, paymentIntentIdOf, verifyStripeWebhook } from '../../../src/infra/payments';
import { signPayload } from '../../../src/sandboxes/stripe';

const secret = 'whsec_unit_test';
const now = () => Math.floor(Date.now() / 1000);

function event(type: string, object: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'evt_1',
    object: 'event',
    created: 1_790_000_000,
    livemode: false,
    type,
    data: { object },
  });
}

describe('parseStripeWebhook', () => {
  it('turns a signed payment event into what it means for the order', () => {
    const body = event('payment_intent.succeeded', {
      id: 'pi_1',
      object: 'payment_intent',
      metadata: { order_id: 'ord-1' },
    });
    expect(parseStripeWebhook(body, signPayload(body, secret, now()), secret)).toEqual({
      providerEventId: 'evt_1',
      type: 'payment.captured',
      providerType: 'payment_intent.succeeded',
      providerObjectId: 'pi_1',
      orderId: 'ord-1',
      occurredAt: new Date(1_790_000_000 * 1000).toISOString(),
    });
  });

  it('points a refund at its payment, and keeps unknown events as other', () => {
    const refund = event('charge.refunded', {
      id: 'ch_1',
      object: 'charge',
      payment_intent: 'pi_9',
      metadata: {},
    });
    expect(parseStripeWebhook(refund, signPayload(refund, secret, now()), secret)).toMatchObject({
      type: 'payment.refunded',
      providerObjectId: 'pi_9',
      orderId: null,
    });
    const other = event('customer.created', { id: 'cus_1', object: 'customer' });
    expect(parseStripeWebhook(other, signPayload(other, secret, now()), secret).type).toBe('other');
  });

  it.each([
    ['a wrong secret', 'mismatch', (body: string) => signPayload(body, 'whsec_other', now())],
    ['an altered body', 'mismatch', (body: string) => signPayload(`${body} `, secret, now())],
    ['an old timestamp', 'stale', (body: string) => signPayload(body, secret, now() - 301)],
    ['a header without v1', 'malformed', () => `t=${now()}`],
    ['a header without t', 'malformed', () => 'v1=abcdef'],
    ['no header', 'missing', () => undefined],
    ['an empty header', 'missing', () => ''],
  ])('rejects %s as a 400 naming stripe-signature (%s)', (_, problem, header) => {
    const body = event('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' });
    const caught = failure(() => parseStripeWebhook(body, header(body), secret));
    expect(caught).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, field: 'stripe-signature' });
    expect(caught.details).toEqual({ problem });
    expect(caught.retryable).toBe(false);
    expect(caught.message).not.toContain(secret);
  });

  it('accepts a signature just inside the five-minute tolerance', () => {
    const body = event('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' });
    expect(parseStripeWebhook(body, signPayload(body, secret, now() - 290), secret).providerEventId).toBe(
      'evt_1',
    );
  });

  it('refuses a correctly signed body that is not JSON, or not an event', () => {
    const broken = '{"id": "evt_1", ';
    expect(
      failure(() => verifyStripeWebhook(broken, signPayload(broken, secret, now()), secret)),
    ).toMatchObject({ code: 'MALFORMED_JSON', field: 'body' });
    for (const body of [
      '[]',
      '{"id":"evt_1"}',
      JSON.stringify({ id: 'x', type: 't', created: 1, data: {} }),
    ]) {
      expect(
        failure(() => verifyStripeWebhook(body, signPayload(body, secret, now()), secret)),
      ).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'body',
      });
    }
  });

  it("treats a missing endpoint secret as our fault, not the caller's", () => {
    const body = event('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' });
    expect(failure(() => verifyStripeWebhook(body, signPayload(body, secret, now()), '')).code).toBe(
      'INTERNAL',
    );
  });
});

describe('paymentIntentIdOf', () => {
  const verified = (type: string, object: Record<string, unknown>) => {
    const body = event(type, object);
    return verifyStripeWebhook(body, signPayload(body, secret, now()), secret);
  };

  it('finds the PaymentIntent of a payment intent, a charge or a refund, and nothing for a transfer', () => {
    expect(
      paymentIntentIdOf(verified('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' })),
    ).toBe('pi_1');
    expect(
      paymentIntentIdOf(
        verified('charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: 'pi_2' }),
      ),
    ).toBe('pi_2');
    expect(
      paymentIntentIdOf(
        verified('refund.created', { id: 're_1', object: 'refund', payment_intent: { id: 'pi_3' } }),
      ),
    ).toBe('pi_3');
    expect(paymentIntentIdOf(verified('transfer.created', { id: 'tr_1', object: 'transfer' }))).toBeNull();
  });
});

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}
