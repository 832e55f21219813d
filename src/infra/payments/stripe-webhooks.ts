import Stripe from 'stripe';
import { AppError } from '../../errors';
import type { PaymentEventType, PaymentProviderEvent } from '../../domain/payments';
import { METADATA } from './stripe-mapping';

/**
 * Stripe webhooks: verification of a delivery (signature over the raw body, timestamp at most
 * `toleranceSeconds` old, with the official `stripe.webhooks.constructEvent`) and what an event
 * means for an order.
 *
 * A delivery that fails verification is refused with a 400 (`VALIDATION_FAILED`, field
 * `stripe-signature`), as Stripe's documentation advises: nothing in it can be trusted. The
 * messages name the problem (missing, malformed, not matching, too old) but never echo the
 * header, the body or the secret.
 */

/** Stripe's own default: a delivery signed more than five minutes ago may be a replay. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

export const SIGNATURE_FIELD = 'stripe-signature';

export type SignatureProblem = 'missing' | 'malformed' | 'mismatch' | 'stale';

const EVENT_TYPES: Readonly<Record<string, PaymentEventType>> = {
  'payment_intent.amount_capturable_updated': 'payment.authorized',
  'payment_intent.succeeded': 'payment.captured',
  'payment_intent.canceled': 'payment.canceled',
  'payment_intent.payment_failed': 'payment.failed',
  'charge.refunded': 'payment.refunded',
  'transfer.created': 'transfer.created',
  'transfer.reversed': 'transfer.reversed',
};

interface EventObject {
  object?: string;
  id?: string;
  payment_intent?: string | { id: string } | null;
  metadata?: Record<string, string> | null;
}

/**
 * Verifies a delivery and returns the event. Throws `VALIDATION_FAILED` (field
 * `stripe-signature`, `details.problem`) when the signature is missing, malformed, does not
 * match or is too old; `MALFORMED_JSON` when a correctly signed body is not JSON; and
 * `VALIDATION_FAILED` (field `body`) when it is JSON but not a Stripe event.
 */
export function verifyStripeWebhook(
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  webhookSecret: string,
  toleranceSeconds = STRIPE_WEBHOOK_TOLERANCE_SECONDS,
): Stripe.Event {
  if (!webhookSecret.trim()) {
    // Our configuration, not the caller's fault: a 500, and Stripe retries until it is fixed.
    throw new AppError('INTERNAL', 'no Stripe webhook secret is configured');
  }
  if (!signatureHeader) throw signatureError('missing', toleranceSeconds);
  if (rawBody.length === 0) {
    throw new AppError('MALFORMED_JSON', 'The body is empty: a Stripe event was expected', { field: 'body' });
  }

  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, webhookSecret, toleranceSeconds);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw signatureError(classify(rawBody, signatureHeader, webhookSecret), toleranceSeconds);
    }
    if (error instanceof SyntaxError) {
      throw new AppError('MALFORMED_JSON', 'The body is correctly signed but is not valid JSON', {
        field: 'body',
      });
    }
    throw notAnEvent();
  }
  if (!isStripeEvent(event)) throw notAnEvent();
  return event;
}

/** What a verified event means for an order. Unknown types are `other`. */
export function describeStripeEvent(event: Stripe.Event): PaymentProviderEvent {
  const object = event.data.object as EventObject;
  const providerObjectId =
    object.object === 'charge'
      ? idOf(object.payment_intent)
      : typeof object.id === 'string'
        ? object.id
        : null;
  const orderId = object.metadata?.[METADATA.orderId];
  return {
    providerEventId: event.id,
    type: EVENT_TYPES[event.type] ?? 'other',
    providerType: event.type,
    providerObjectId,
    orderId: typeof orderId === 'string' ? orderId : null,
    occurredAt: new Date(event.created * 1000).toISOString(),
  };
}

/** The PaymentIntent (`pi_...`) an event's object is, or belongs to (charges, refunds). */
export function paymentIntentIdOf(event: Stripe.Event): string | null {
  const object = event.data.object as EventObject;
  if (object.object === 'payment_intent') return typeof object.id === 'string' ? object.id : null;
  return idOf(object.payment_intent);
}

/** Verifies a delivery and says what it means for an order (see `verifyStripeWebhook`). */
export function parseStripeWebhook(
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  webhookSecret: string,
  toleranceSeconds = STRIPE_WEBHOOK_TOLERANCE_SECONDS,
): PaymentProviderEvent {
  return describeStripeEvent(verifyStripeWebhook(rawBody, signatureHeader, webhookSecret, toleranceSeconds));
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (typeof value === 'string') return value;
  return typeof value?.id === 'string' ? value.id : null;
}

/**
 * Why constructEvent refused. Decided from the header's form and by verifying the signature
 * alone (tolerance 0), not from stripe-node's messages, which may change between versions.
 */
function classify(rawBody: string | Buffer, header: string, secret: string): SignatureProblem {
  const parts = header.split(',').map((part) => part.split('='));
  const hasTimestamp = parts.some(([key, value]) => key === 't' && /^\d+$/.test(value ?? ''));
  const hasSignature = parts.some(([key, value]) => key === 'v1' && !!value);
  if (!hasTimestamp || !hasSignature) return 'malformed';
  try {
    Stripe.webhooks.constructEvent(rawBody, header, secret, 0);
    return 'stale';
  } catch (error) {
    // Verified, then failed to parse: the signature was fine, so the age was the problem.
    return error instanceof Stripe.errors.StripeSignatureVerificationError ? 'mismatch' : 'stale';
  }
}

function signatureError(problem: SignatureProblem, toleranceSeconds: number): AppError {
  const messages: Record<SignatureProblem, string> = {
    missing: 'The Stripe-Signature header is missing',
    malformed: 'The Stripe-Signature header is not of the form t=<timestamp>,v1=<signature>',
    mismatch:
      'The Stripe-Signature does not match the body (signed with another secret, or the body was altered)',
    stale: `The Stripe-Signature timestamp is more than ${toleranceSeconds} seconds old`,
  };
  return new AppError('VALIDATION_FAILED', messages[problem], {
    field: SIGNATURE_FIELD,
    details: { problem },
  });
}

function notAnEvent(): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    'The body is correctly signed but is not a Stripe event (id, type, created, livemode, data.object)',
    { field: 'body' },
  );
}

const EVENT_ID = /^evt_[A-Za-z0-9_]{1,250}$/;

/** The fields Borderline reads and stores, checked before anything is stored. */
function isStripeEvent(value: unknown): value is Stripe.Event {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const event = value as Record<string, unknown>;
  const data = event.data as Record<string, unknown> | null | undefined;
  const apiVersion = event.api_version;
  return (
    typeof event.id === 'string' &&
    EVENT_ID.test(event.id) &&
    typeof event.type === 'string' &&
    event.type.length > 0 &&
    event.type.length <= 255 &&
    Number.isSafeInteger(event.created) &&
    (event.created as number) >= 0 &&
    typeof event.livemode === 'boolean' &&
    (apiVersion === undefined ||
      apiVersion === null ||
      (typeof apiVersion === 'string' && apiVersion.length <= 64)) &&
    typeof data === 'object' &&
    data !== null &&
    typeof data.object === 'object' &&
    data.object !== null &&
    !Array.isArray(data.object)
  );
}
