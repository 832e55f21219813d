import { AppError } from '../../../src/errors';
import { parseStripeWebhook } from '../../../src/infra/payments';
import { signPayload } from '../../../src/sandboxes/stripe';

const secret = 'whsec_unit_test';
const now = () => Math.floor(Date.now() / 1000);

function event(type: string, object: Record<string, unknown>): string {
  return JSON.stringify({ id: 'evt_1', object: 'event', created: 1_790_000_000, type, data: { object } });
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
    ['a wrong secret', (body: string) => signPayload(body, 'whsec_other', now())],
    ['an old timestamp', (body: string) => signPayload(body, secret, now() - 600)],
    ['no header', () => undefined],
  ])('rejects %s as UNAUTHENTICATED', (_, header) => {
    const body = event('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' });
    let caught: unknown;
    try {
      parseStripeWebhook(body, header(body), secret);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('UNAUTHENTICATED');
    expect((caught as AppError).retryable).toBe(false);
  });
});
