import Stripe from 'stripe';
import { AppError } from '../../../src/errors';
import { scrubSecrets, stripeErrorToAppError } from '../../../src/infra/payments/stripe-errors';

const raw = (fields: Record<string, unknown>) => fields as never;

describe('stripeErrorToAppError', () => {
  it('maps a card decline to a non-retryable PAYMENT_DECLINED keeping the decline reason', () => {
    const error = new Stripe.errors.StripeCardError(
      raw({
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        advice_code: 'try_again_later',
        message: 'Your card has insufficient funds.',
        statusCode: 402,
        requestId: 'req_1',
        charge: 'ch_1',
        payment_intent: {
          id: 'pi_1',
          status: 'requires_payment_method',
          payment_method: { card: { last4: '9995' } },
        },
      }),
    );
    const mapped = stripeErrorToAppError(error, 'authorize');
    expect(mapped.code).toBe('PAYMENT_DECLINED');
    expect(mapped.status).toBe(402);
    expect(mapped.retryable).toBe(false);
    expect(mapped.details).toMatchObject({
      declineCode: 'insufficient_funds',
      stripeCode: 'card_declined',
      adviceCode: 'try_again_later',
      providerPaymentId: 'pi_1',
      providerChargeId: 'ch_1',
      requestId: 'req_1',
    });
    // The PaymentIntent in Stripe's error carries card details: none of it is copied.
    expect(JSON.stringify(mapped.details)).not.toContain('9995');
    expect(mapped.cause).not.toBe(error);
  });

  it.each([
    [
      new Stripe.errors.StripeInvalidRequestError(
        raw({ code: 'amount_too_large', statusCode: 400, message: 'too large' }),
      ),
      'PAYMENT_REJECTED',
      false,
    ],
    [
      new Stripe.errors.StripeInvalidRequestError(
        raw({ code: 'resource_missing', statusCode: 404, message: 'No such payment_intent' }),
      ),
      'NOT_FOUND',
      false,
    ],
    [
      new Stripe.errors.StripeIdempotencyError(
        raw({ type: 'idempotency_error', statusCode: 400, message: 'Keys for idempotent requests' }),
      ),
      'IDEMPOTENCY_KEY_REUSED',
      false,
    ],
    [
      new Stripe.errors.StripeRateLimitError(
        raw({ code: 'rate_limit', statusCode: 429, message: 'Too many requests' }),
      ),
      'RATE_LIMITED',
      true,
    ],
    [
      new Stripe.errors.StripeAPIError(raw({ statusCode: 503, message: 'Sorry, something went wrong' })),
      'PAYMENT_PROVIDER_ERROR',
      true,
    ],
    [
      new Stripe.errors.StripeAPIError(raw({ statusCode: 409, message: 'idempotency key in use' })),
      'PAYMENT_PROVIDER_ERROR',
      true,
    ],
    [
      new Stripe.errors.StripeConnectionError(
        raw({ message: 'An error occurred with our connection to Stripe.' }),
      ),
      'PAYMENT_PROVIDER_ERROR',
      true,
    ],
    [
      new Stripe.errors.StripeAuthenticationError(
        raw({ statusCode: 401, message: 'Invalid API Key provided: sk_test_****abcd' }),
      ),
      'INTERNAL',
      true,
    ],
  ] as const)('maps %p to %s (retryable: %s)', (error, code, retryable) => {
    const mapped = stripeErrorToAppError(error, 'capture');
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.code).toBe(code);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.details).toMatchObject({ provider: 'stripe', operation: 'capture' });
  });

  it('tells a timeout from a lost connection, both with an unknown outcome', () => {
    const timeout = new Stripe.errors.StripeConnectionError(
      raw({ message: 'Request aborted due to timeout being reached (300ms)', detail: { code: 'ETIMEDOUT' } }),
    );
    expect(stripeErrorToAppError(timeout, 'refund').details).toMatchObject({
      kind: 'timeout',
      outcomeUnknown: true,
    });
    const reset = new Stripe.errors.StripeConnectionError(
      raw({ message: 'An error occurred', detail: { code: 'ECONNRESET' } }),
    );
    expect(stripeErrorToAppError(reset, 'refund').details).toMatchObject({
      kind: 'connection',
      outcomeUnknown: true,
    });
  });

  it('never carries a secret key into the message', () => {
    const error = new Stripe.errors.StripeAuthenticationError(
      raw({ statusCode: 401, message: 'Invalid API Key provided: sk_live_51Habcdefghijklmnop' }),
    );
    const mapped = stripeErrorToAppError(error, 'authorize');
    expect(mapped.message).not.toContain('51Habcdefghijklmnop');
    expect(mapped.message).toContain('sk_live_[redacted]');
  });

  it('wraps unknown failures as INTERNAL and leaves AppErrors alone', () => {
    expect(stripeErrorToAppError(new TypeError('boom'), 'retrieve').code).toBe('INTERNAL');
    const appError = new AppError('VALIDATION_FAILED', 'bad');
    expect(stripeErrorToAppError(appError, 'retrieve')).toBe(appError);
  });
});

describe('scrubSecrets', () => {
  it('redacts keys, webhook secrets and card numbers', () => {
    expect(scrubSecrets('key sk_test_abc123 and rk_live_XYZ')).toBe(
      'key sk_test_[redacted] and rk_live_[redacted]',
    );
    expect(scrubSecrets('secret whsec_abcdef')).toBe('secret whsec_[redacted]');
    expect(scrubSecrets('card 4242 4242 4242 4242 declined')).toBe('card [redacted] declined');
    expect(scrubSecrets('Refund amount (€60.00) is greater than (€50.00)')).toBe(
      'Refund amount (€60.00) is greater than (€50.00)',
    );
  });
});
