import Stripe from 'stripe';
import { AppError, type ErrorCode } from '../../errors';

/**
 * Stripe's failures as `AppError`s. The decision that matters is retryable or not:
 * - the issuer declined (402 card_error): PAYMENT_DECLINED, never retried, decline code kept;
 * - Stripe refused the request (400 invalid_request_error): PAYMENT_REJECTED, or NOT_FOUND for a
 *   missing object; retrying the same request gets the same answer;
 * - the idempotency key was used with other parameters: IDEMPOTENCY_KEY_REUSED;
 * - rate limited (429): RATE_LIMITED, retried;
 * - 5xx, 409 (a request with the same key still running), connection lost, timeout:
 *   PAYMENT_PROVIDER_ERROR, retried — the outcome may be unknown, and a retry with the same
 *   idempotency key either replays the first result or performs the operation once;
 * - bad API key or permissions: INTERNAL (our configuration; retried until it is fixed).
 *
 * Nothing here copies Stripe's raw error: it can carry the PaymentIntent with its payment method
 * (card brand, last 4, expiry). Messages are scrubbed of anything that looks like a key or a PAN.
 */
export type PaymentOperation =
  | 'authorize'
  | 'capture'
  | 'cancel'
  | 'retrieve'
  | 'find_payment'
  | 'refund'
  | 'find_refund'
  | 'transfer'
  | 'find_transfer'
  | 'reverse_transfer'
  | 'list_balance_transactions';

const SECRET_PATTERN = /\b(sk|rk|pk)_(test|live)_[A-Za-z0-9*]+/g;
const WEBHOOK_SECRET_PATTERN = /\bwhsec_[A-Za-z0-9]+/g;
const PAN_PATTERN = /\b\d(?:[ -]?\d){12,18}\b/g;

export function scrubSecrets(text: string): string {
  return text
    .replace(SECRET_PATTERN, '$1_$2_[redacted]')
    .replace(WEBHOOK_SECRET_PATTERN, 'whsec_[redacted]')
    .replace(PAN_PATTERN, '[redacted]');
}

function clean<T extends Record<string, unknown>>(details: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).filter(([, value]) => value !== undefined && value !== null),
  );
}

function connectionKind(error: InstanceType<typeof Stripe.errors.StripeError>): 'timeout' | 'connection' {
  const detail = error.detail as { code?: unknown } | undefined;
  return detail?.code === 'ETIMEDOUT' || /timeout/i.test(error.message) ? 'timeout' : 'connection';
}

export function stripeErrorToAppError(error: unknown, operation: PaymentOperation): AppError {
  if (AppError.isAppError(error)) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new AppError('INTERNAL', `Stripe ${operation} failed: ${scrubSecrets(message)}`, {
      details: { provider: 'stripe', operation },
    });
  }

  const message = scrubSecrets(error.message || 'Stripe returned an error without a message');
  const base = clean({
    provider: 'stripe',
    operation,
    stripeErrorType: error.rawType,
    stripeCode: error.code,
    param: error.param,
    statusCode: error.statusCode,
    requestId: error.requestId,
  });
  const paymentIntent = error.payment_intent;
  const paymentDetails = clean({
    providerPaymentId: paymentIntent?.id,
    paymentStatus: paymentIntent?.status,
    providerChargeId: error.charge,
  });
  // A sanitized cause: the original error holds response headers and possibly card details.
  const cause = Object.assign(new Error(message), { name: error.type });
  const make = (code: ErrorCode, text: string, extra: Record<string, unknown> = {}) =>
    new AppError(code, text, { details: { ...base, ...paymentDetails, ...clean(extra) }, cause });

  if (error instanceof Stripe.errors.StripeCardError) {
    return make('PAYMENT_DECLINED', `Payment declined: ${message}`, {
      declineCode: error.decline_code || error.code,
      adviceCode: error.advice_code,
      networkDeclineCode: error.network_decline_code,
    });
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return make(
      'IDEMPOTENCY_KEY_REUSED',
      `Stripe refused an idempotency key reused with other parameters: ${message}`,
    );
  }
  if (error instanceof Stripe.errors.StripeRateLimitError) {
    return make('RATE_LIMITED', `Stripe rate limit: ${message}`, {
      rateLimitedReason: error.headers?.['stripe-rate-limited-reason'],
    });
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    if (error.code === 'resource_missing') return make('NOT_FOUND', `Stripe: ${message}`);
    return make('PAYMENT_REJECTED', `Stripe refused the ${operation}: ${message}`);
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return make('INTERNAL', `Stripe refused our credentials: ${message}`);
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return make('PAYMENT_PROVIDER_ERROR', `Stripe did not answer the ${operation}: ${message}`, {
      kind: connectionKind(error),
      outcomeUnknown: true,
    });
  }
  return make('PAYMENT_PROVIDER_ERROR', `Stripe failed the ${operation}: ${message}`, {
    kind: 'api_error',
    outcomeUnknown: true,
  });
}
