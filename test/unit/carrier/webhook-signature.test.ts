import { createHmac } from 'node:crypto';
import type { TrackingEvent } from '../../../src/domain/shipping/tracking';
import { AppError } from '../../../src/errors';
import { carrierWebhookSignature, verifyCarrierWebhook } from '../../../src/infra/carrier';
import { renderWebhookBody, signWebhookBody } from '../../../src/sandboxes/carrier';

const secret = 'carrier_whsec_unit_test_secret';
const trackingEvent: TrackingEvent = {
  eventId: 'evt_1',
  shipmentId: 'shp_1',
  reference: 'order:o-1:shipment',
  trackingNumber: 'SPC123456789012',
  status: 'in_transit',
  occurredAt: '2026-11-25T10:00:00.000Z',
  description: 'Picked up by the carrier',
  location: 'Berlin, DE',
};

function delivery(signedAtMs = Date.now(), event: TrackingEvent = trackingEvent) {
  const body = renderWebhookBody({ event, createdAtMs: signedAtMs - 1_000 }, signedAtMs);
  return { body: Buffer.from(body), headers: { 'x-hmac-signature': signWebhookBody(body, secret) } };
}

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('verifyCarrierWebhook', () => {
  it('accepts a delivery signed by the sandbox and returns its tracking event', () => {
    const { body, headers } = delivery();
    expect(verifyCarrierWebhook(body, headers, secret)).toEqual(trackingEvent);
  });

  it('signs as EasyPost does: hmac-sha256-hex= and the hex HMAC-SHA256 of the raw body', () => {
    const { body, headers } = delivery();
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(headers['x-hmac-signature']).toBe(`hmac-sha256-hex=${expected}`);
    expect(carrierWebhookSignature(body, secret)).toBe(headers['x-hmac-signature']);
  });

  it('finds the header whatever its case, in a plain object, an array or a Headers', () => {
    const { body, headers } = delivery();
    const signature = headers['x-hmac-signature'];
    expect(verifyCarrierWebhook(body, { 'X-Hmac-Signature': signature }, secret).eventId).toBe('evt_1');
    expect(verifyCarrierWebhook(body, { 'x-hmac-signature': [signature] }, secret).eventId).toBe('evt_1');
    expect(verifyCarrierWebhook(body, new Headers({ 'X-HMAC-SIGNATURE': signature }), secret).eventId).toBe(
      'evt_1',
    );
  });

  it('normalises the secret (NFKD), as EasyPost clients do', () => {
    const composed = 'sécret_with_accent_0123456789';
    const body = renderWebhookBody({ event: trackingEvent, createdAtMs: Date.now() }, Date.now());
    const headers = { 'x-hmac-signature': signWebhookBody(body, composed.normalize('NFD')) };
    expect(verifyCarrierWebhook(Buffer.from(body), headers, composed.normalize('NFC')).eventId).toBe('evt_1');
  });

  it('refuses a tampered body', () => {
    const { body, headers } = delivery();
    const tampered = Buffer.from(body.toString('utf8').replace('in_transit', 'delivered'));
    const error = refusal(() => verifyCarrierWebhook(tampered, headers, secret));
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'x-hmac-signature',
      details: { problem: 'mismatch' },
    });
  });

  it('refuses a delivery signed with another secret', () => {
    const { body, headers } = delivery();
    expect(refusal(() => verifyCarrierWebhook(body, headers, 'another_secret_0123456789')).details).toEqual({
      problem: 'mismatch',
    });
  });

  it.each([
    ['stale', Date.now() - 301_000],
    ['from the future', Date.now() + 301_000],
  ])('refuses a delivery signed %s (beyond 300 s), though its signature matches', (_label, signedAtMs) => {
    const { body, headers } = delivery(signedAtMs);
    const error = refusal(() => verifyCarrierWebhook(body, headers, secret));
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'x-hmac-signature',
      details: { problem: 'stale' },
    });
    expect(error.message).toContain('300 seconds');
  });

  it('honours the tolerance given', () => {
    const { body, headers } = delivery(Date.now() - 20_000);
    expect(() => verifyCarrierWebhook(body, headers, secret, 10)).toThrow(AppError);
    expect(verifyCarrierWebhook(body, headers, secret, 30).eventId).toBe('evt_1');
  });

  it('refuses a signed body without signed_at as stale', () => {
    const body = Buffer.from(
      JSON.stringify({ id: 'evt_1', object: 'Event', description: 'tracker.updated', result: trackingEvent }),
    );
    const error = refusal(() =>
      verifyCarrierWebhook(body, { 'x-hmac-signature': signWebhookBody(body, secret) }, secret),
    );
    expect(error.details).toEqual({ problem: 'stale' });
  });

  it.each([
    ['missing', {}],
    ['missing', { 'x-hmac-signature': '' }],
    ['malformed', { 'x-hmac-signature': 'sha256=abc' }],
    ['malformed', { 'x-hmac-signature': 'hmac-sha256-hex=xyz' }],
    ['malformed', { 'x-hmac-signature': `hmac-sha256-hex=${'a'.repeat(63)}` }],
  ])('refuses a %s signature header', (problem, headers) => {
    const { body } = delivery();
    const error = refusal(() => verifyCarrierWebhook(body, headers, secret));
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'x-hmac-signature',
      details: { problem },
    });
    expect(error.message).not.toContain(secret);
  });

  it('refuses correctly signed bodies that are not JSON or not tracking events', () => {
    const sign = (text: string) => ({
      body: Buffer.from(text),
      headers: { 'x-hmac-signature': signWebhookBody(text, secret) },
    });
    const notJson = sign('not json');
    expect(refusal(() => verifyCarrierWebhook(notJson.body, notJson.headers, secret)).code).toBe(
      'MALFORMED_JSON',
    );
    const now = new Date().toISOString();
    const wrongType = sign(
      JSON.stringify({
        object: 'Event',
        description: 'batch.updated',
        signed_at: now,
        result: trackingEvent,
      }),
    );
    expect(refusal(() => verifyCarrierWebhook(wrongType.body, wrongType.headers, secret))).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'body',
    });
    const badStatus = sign(
      JSON.stringify({
        object: 'Event',
        description: 'tracker.updated',
        signed_at: now,
        result: { ...trackingEvent, status: 'lost' },
      }),
    );
    expect(refusal(() => verifyCarrierWebhook(badStatus.body, badStatus.headers, secret)).field).toBe('body');
  });

  it('is a configuration error without a secret', () => {
    const { body, headers } = delivery();
    expect(refusal(() => verifyCarrierWebhook(body, headers, '')).code).toBe('INTERNAL');
  });
});
