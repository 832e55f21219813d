import Stripe from 'stripe';
import { parseParams } from '../../../src/sandboxes/stripe/form';
import { FaultPlan } from '../../../src/sandboxes/stripe/faults';
import { IdempotencyStore, requestFingerprint } from '../../../src/sandboxes/stripe/idempotency';
import { cardFee } from '../../../src/sandboxes/stripe/ledger';
import { signPayload } from '../../../src/sandboxes/stripe/webhooks';
import { ManualClock } from '../../../src/sandboxes/shared/clock';

describe('parseParams (form bodies as stripe-node encodes them)', () => {
  it('nests bracketed keys, builds arrays from indexes and decodes values', () => {
    const body =
      'amount=1000&currency=eur&confirm=true&metadata[order_id]=ord%2F1&metadata[note]=a+b' +
      '&expand[0]=latest_charge&expand[1]=latest_charge.balance_transaction' +
      '&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never';
    expect(parseParams(body)).toEqual({
      amount: '1000',
      currency: 'eur',
      confirm: 'true',
      metadata: { order_id: 'ord/1', note: 'a b' },
      expand: ['latest_charge', 'latest_charge.balance_transaction'],
      automatic_payment_methods: { enabled: 'true', allow_redirects: 'never' },
    });
  });

  it('reads percent-encoded brackets, `[]` appends and range queries', () => {
    expect(parseParams('expand%5B%5D=a&expand%5B%5D=b&created[gte]=10&created[lt]=20&limit=3')).toEqual({
      expand: ['a', 'b'],
      created: { gte: '10', lt: '20' },
      limit: '3',
    });
  });

  it('keeps numeric metadata keys as a hash', () => {
    expect(parseParams('metadata[0]=x&metadata[1]=y')).toEqual({ metadata: { '0': 'x', '1': 'y' } });
  });
});

describe('cardFee', () => {
  it('is 2.9 % + 30, rounded half up in integer arithmetic', () => {
    const fee = { percentBps: 290, fixed: 30 };
    expect(cardFee(10000, fee)).toBe(320);
    expect(cardFee(1999, fee)).toBe(88); // 57.971 → 58, + 30
    expect(cardFee(50, fee)).toBe(31); // 1.45 → 1, + 30
    expect(cardFee(1724, fee)).toBe(80); // 49.996 → 50, + 30
  });
});

describe('signPayload', () => {
  it('produces a Stripe-Signature that stripe.webhooks.constructEvent accepts', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded' });
    const secret = 'whsec_test_secret';
    const header = signPayload(payload, secret, Math.floor(Date.now() / 1000));
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = Stripe.webhooks.constructEvent(payload, header, secret);
    expect(event.id).toBe('evt_1');
    expect(() => Stripe.webhooks.constructEvent(payload, header, 'whsec_other')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => Stripe.webhooks.constructEvent(`${payload} `, header, secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });
});

describe('IdempotencyStore', () => {
  it('replays a completed request, refuses other parameters, and forgets keys after 24 hours', () => {
    const clock = new ManualClock(0);
    const store = new IdempotencyStore(clock);
    const first = requestFingerprint('POST', '/v1/refunds', { amount: '100', metadata: { a: '1', b: '2' } });
    const sameReordered = requestFingerprint('POST', '/v1/refunds', {
      metadata: { b: '2', a: '1' },
      amount: '100',
    });
    expect(sameReordered).toBe(first);

    expect(store.begin('sk', 'k', first)).toEqual({ kind: 'new' });
    expect(store.begin('sk', 'k', first)).toEqual({ kind: 'in_progress' });
    store.complete('sk', 'k', { status: 200, body: '{}', requestId: 'req_1' });
    expect(store.begin('sk', 'k', first)).toEqual({
      kind: 'replay',
      response: { status: 200, body: '{}', requestId: 'req_1' },
    });
    expect(store.begin('sk', 'k', requestFingerprint('POST', '/v1/refunds', { amount: '101' }))).toEqual({
      kind: 'mismatch',
    });
    expect(store.begin('other_key', 'k', first)).toEqual({ kind: 'new' });

    clock.advance(24 * 60 * 60 * 1000);
    expect(store.begin('sk', 'k', requestFingerprint('POST', '/v1/refunds', { amount: '101' }))).toEqual({
      kind: 'new',
    });
  });

  it('forgets a key whose request never executed', () => {
    const store = new IdempotencyStore(new ManualClock(0));
    expect(store.begin('sk', 'k', 'a')).toEqual({ kind: 'new' });
    store.abandon('sk', 'k');
    expect(store.begin('sk', 'k', 'b')).toEqual({ kind: 'new' });
  });
});

describe('FaultPlan', () => {
  it('hits matching requests the given number of times', () => {
    const faults = new FaultPlan();
    faults.inject({ kind: '503', times: 2, method: 'post', path: '/v1/payment_intents' });
    expect(faults.take('GET', '/v1/payment_intents/pi_1', 'r0')).toBeUndefined();
    expect(faults.take('POST', '/v1/refunds', 'r1')).toBeUndefined();
    expect(faults.take('POST', '/v1/payment_intents', 'r2')?.kind).toBe('503');
    expect(faults.take('POST', '/v1/payment_intents/pi_1/capture', 'r3')?.kind).toBe('503');
    expect(faults.take('POST', '/v1/payment_intents', 'r4')).toBeUndefined();
    expect(faults.triggered.map((hit) => hit.requestId)).toEqual(['r2', 'r3']);
  });

  it('refuses unknown kinds', () => {
    expect(() => new FaultPlan().inject({ kind: 'teapot' as never })).toThrow(/unknown fault kind/);
  });
});

describe('parseParams on a malformed body', () => {
  it('answers a Stripe-like 400 instead of failing', () => {
    expect(() => parseParams('amount=%E0%A4%A')).toThrow(/malformed percent-encoding/);
  });
});
