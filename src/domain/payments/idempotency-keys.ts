import { AppError } from '../../errors';

/**
 * An idempotency key for a call to the payment provider. It is derived from the business
 * operation (the order being authorised, the refund being paid), never from an attempt, so
 * that every retry of the same operation (a Temporal activity retry, a replayed API request)
 * sends the same key and the provider performs the operation at most once.
 *
 * The brand makes the builders below the only way to obtain one.
 */
export type PaymentIdempotencyKey = string & { readonly __brand: 'PaymentIdempotencyKey' };

/** Stripe accepts idempotency keys of up to 255 characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Business ids inside a key: letters, digits and `_ - .` so that `:` stays the separator. */
const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

function part(name: string, value: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${name} must be a non-empty id of letters, digits, '_', '-' or '.' to build an idempotency key`,
      { field: name },
    );
  }
  return value;
}

function key(...parts: string[]): PaymentIdempotencyKey {
  const value = parts.join(':');
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new AppError(
      'VALIDATION_FAILED',
      `idempotency key is ${value.length} characters long; the provider accepts at most ${MAX_IDEMPOTENCY_KEY_LENGTH}`,
      { field: 'idempotencyKey' },
    );
  }
  return value as PaymentIdempotencyKey;
}

export const idempotencyKeys = {
  /** `order:<orderId>:authorize` — the one authorisation of an order's total. */
  authorize: (orderId: string) => key('order', part('orderId', orderId), 'authorize'),
  /** `order:<orderId>:capture` — a PaymentIntent is captured once (full or partial). */
  capture: (orderId: string) => key('order', part('orderId', orderId), 'capture'),
  /** `order:<orderId>:cancel` — releasing the authorisation. */
  cancel: (orderId: string) => key('order', part('orderId', orderId), 'cancel'),
  /** `refund:<refundId>` — each refund of a charge has its own business id. */
  refund: (refundId: string) => key('refund', part('refundId', refundId)),
  /** `payout:<runId>:<merchantId>` — one transfer per merchant per settlement run. */
  payout: (runId: string, merchantId: string) =>
    key('payout', part('runId', runId), part('merchantId', merchantId)),
  /** `payout-reversal:<runId>:<merchantId>:<reversalId>` — claw back (part of) a payout. */
  payoutReversal: (runId: string, merchantId: string, reversalId: string) =>
    key(
      'payout-reversal',
      part('runId', runId),
      part('merchantId', merchantId),
      part('reversalId', reversalId),
    ),
} as const;

/**
 * How long after an operation's first attempt its idempotency key can be trusted. Stripe keeps a
 * key 24 hours after its first use and then forgets it: "You can remove keys from the system
 * automatically after they're at least 24 hours old. We generate a new request if a key is reused
 * after the original is pruned" (docs.stripe.com/idempotency). The hour under 24 is a margin for
 * clock skew between us and Stripe and a request in flight. Past it, a retry whose earlier answer
 * was lost must look the operation up at the provider before repeating it (the order's
 * authorisation and refunds, the settlement payouts).
 */
export const IDEMPOTENCY_KEY_TRUST_MS = 23 * 60 * 60 * 1000;

/** True when a key first used at `firstAttemptAtMs` may have been forgotten by `nowMs`. */
export function idempotencyKeyMayHaveExpired(firstAttemptAtMs: number, nowMs: number): boolean {
  return nowMs - firstAttemptAtMs >= IDEMPOTENCY_KEY_TRUST_MS;
}
