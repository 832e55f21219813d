import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors';
import type { TrackingEvent } from '../../domain/shipping/tracking';
import { isoTime, trackingEventFromWire } from './wire';

/**
 * Verification of the carrier's tracking webhooks (the carrier sandbox signs them; see
 * src/sandboxes/carrier/README.md):
 * - `X-Hmac-Signature: hmac-sha256-hex=<hex>`, the HMAC-SHA256 of the raw body keyed by the
 *   webhook secret (NFKD-normalised, UTF-8): EasyPost's scheme, compared in constant time;
 * - freshness: the signed body's `signed_at` (ISO 8601, the time the delivery was signed) must be
 *   within `toleranceSeconds` of now, either way; EasyPost's signature carries no time, so the
 *   sandbox signs one inside the body, and a captured delivery cannot be replayed later;
 * - the body: `{ id, object: "Event", description: "tracker.updated", created_at, signed_at,
 *   result: TrackingEvent }`.
 *
 * A delivery that fails is refused with `VALIDATION_FAILED`, field `x-hmac-signature`
 * (`details.problem`: missing | malformed | mismatch | stale) for the signature and its time,
 * `MALFORMED_JSON` / `VALIDATION_FAILED` field `body` for a correctly signed body that is not a
 * tracking event. Messages never echo the header, the body or the secret.
 */
export const CARRIER_WEBHOOK_TOLERANCE_SECONDS = 300;
export const CARRIER_SIGNATURE_FIELD = 'x-hmac-signature';
const PREFIX = 'hmac-sha256-hex=';

export type CarrierSignatureProblem = 'missing' | 'malformed' | 'mismatch' | 'stale';

export type WebhookHeaders =
  Headers | Readonly<Record<string, string | readonly string[] | undefined>> | undefined;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? (value[0] as string | undefined) : (value as string | undefined);
  }
  return undefined;
}

function signatureError(problem: CarrierSignatureProblem, toleranceSeconds: number): AppError {
  const messages: Record<CarrierSignatureProblem, string> = {
    missing: 'The X-Hmac-Signature header is missing',
    malformed: 'The X-Hmac-Signature header is not of the form hmac-sha256-hex=<64 hex digits>',
    mismatch:
      'The X-Hmac-Signature does not match the body (signed with another secret, or the body was altered)',
    stale: `The delivery was signed more than ${toleranceSeconds} seconds away from now (or carries no signed_at)`,
  };
  return new AppError('VALIDATION_FAILED', messages[problem], {
    field: CARRIER_SIGNATURE_FIELD,
    details: { problem },
  });
}

function notAnEvent(why: string): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    `The body is correctly signed but is not a tracking event (${why})`,
    {
      field: 'body',
    },
  );
}

/** The signature a delivery of `rawBody` carries (for tests and tools). */
export function carrierWebhookSignature(rawBody: Buffer | string, secret: string): string {
  return `${PREFIX}${createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8'))
    .update(rawBody)
    .digest('hex')}`;
}

/**
 * Verifies a delivery and returns its tracking event (see above). `nowMs` is for tests.
 */
export function verifyCarrierWebhook(
  rawBody: Buffer,
  headers: WebhookHeaders,
  secret: string,
  toleranceSeconds = CARRIER_WEBHOOK_TOLERANCE_SECONDS,
  nowMs: number = Date.now(),
): TrackingEvent {
  if (!secret || !secret.trim()) {
    // Our configuration, not the caller's fault: a 500, and the carrier retries until it is fixed.
    throw new AppError('INTERNAL', 'no carrier webhook secret is configured');
  }
  const signature = header(headers, CARRIER_SIGNATURE_FIELD)?.trim();
  if (!signature) throw signatureError('missing', toleranceSeconds);
  const hex = signature.toLowerCase().startsWith(PREFIX) ? signature.slice(PREFIX.length) : '';
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw signatureError('malformed', toleranceSeconds);
  const expected = createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8'))
    .update(rawBody)
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(hex, 'hex'))) throw signatureError('mismatch', toleranceSeconds);

  let event: unknown;
  try {
    event = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new AppError('MALFORMED_JSON', 'The body is correctly signed but is not valid JSON', {
      field: 'body',
    });
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw notAnEvent('not an object');
  const body = event as Record<string, unknown>;
  const signedAt = isoTime(body.signed_at);
  if (signedAt === null || Math.abs(nowMs - signedAt) > toleranceSeconds * 1000) {
    throw signatureError('stale', toleranceSeconds);
  }
  if (body.object !== 'Event') throw notAnEvent('object');
  if (body.description !== 'tracker.updated') throw notAnEvent('description');
  const trackingEvent = trackingEventFromWire(body.result, (why) =>
    notAnEvent(why === 'not an object' ? 'no result object' : `result.${why}`),
  );
  if (body.id !== undefined && body.id !== trackingEvent.eventId)
    throw notAnEvent('id differs from result.eventId');
  return trackingEvent;
}
