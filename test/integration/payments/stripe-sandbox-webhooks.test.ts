import Stripe from 'stripe';
import { idempotencyKeys } from '../../../src/domain/payments';
import { parseStripeWebhook } from '../../../src/infra/payments';
import { ManualClock } from '../../../src/sandboxes/stripe';
import { startTestSandbox, startWebhookReceiver, type WebhookReceiver } from '../../helpers/stripe-sandbox';

jest.setTimeout(30_000);

const eur = (amount: number) => ({ amount, currency: 'EUR' });

function verified(receiver: WebhookReceiver, secret: string): Stripe.Event[] {
  return receiver.received
    .filter((delivery) => delivery.status < 300)
    .map((delivery) => {
      const signature = delivery.headers['stripe-signature'];
      return Stripe.webhooks.constructEvent(delivery.rawBody, String(signature), secret);
    });
}

describe('signed webhooks from the sandbox', () => {
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.close());

  it('sends every payment event, signed so that stripe.webhooks.constructEvent accepts it', async () => {
    const { sandbox, payments } = await startTestSandbox({
      webhookUrl: receiver.url,
      webhookSecret: 'whsec_borderline_test',
    });
    try {
      const payment = await payments.authorizePayment({
        orderId: 'wh-1',
        amount: eur(10_000),
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: idempotencyKeys.authorize('wh-1'),
      });
      await payments.capturePayment({
        providerPaymentId: payment.providerPaymentId,
        idempotencyKey: idempotencyKeys.capture('wh-1'),
      });
      await payments.refundPayment({
        providerPaymentId: payment.providerPaymentId,
        refundId: 'wh-rf-1',
        amount: eur(2_500),
        idempotencyKey: idempotencyKeys.refund('wh-rf-1'),
      });
      const other = await payments.authorizePayment({
        orderId: 'wh-2',
        amount: eur(500),
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: idempotencyKeys.authorize('wh-2'),
      });
      await payments.cancelAuthorization({
        providerPaymentId: other.providerPaymentId,
        idempotencyKey: idempotencyKeys.cancel('wh-2'),
      });
      await payments
        .authorizePayment({
          orderId: 'wh-3',
          amount: eur(500),
          paymentMethodId: 'pm_card_chargeDeclined',
          idempotencyKey: idempotencyKeys.authorize('wh-3'),
        })
        .catch(() => undefined);
      const transfer = await payments.transferToMerchant({
        runId: 'wh-run',
        merchantId: 'm1',
        destinationAccountId: 'acct_webhooks',
        amount: eur(3_000),
        idempotencyKey: idempotencyKeys.payout('wh-run', 'm1'),
      });
      await payments.reverseTransfer({
        providerTransferId: transfer.providerTransferId,
        reversalId: 'rv',
        idempotencyKey: idempotencyKeys.payoutReversal('wh-run', 'm1', 'rv'),
      });

      await receiver.waitForDelivered(8);
      await sandbox.webhooks.idle();
      const events = verified(receiver, 'whsec_borderline_test');
      expect(events.map((event) => event.type).sort()).toEqual(
        [
          'payment_intent.amount_capturable_updated',
          'payment_intent.succeeded',
          'charge.refunded',
          'payment_intent.amount_capturable_updated',
          'payment_intent.canceled',
          'payment_intent.payment_failed',
          'transfer.created',
          'transfer.reversed',
        ].sort(),
      );
      const succeeded = events.find((event) => event.type === 'payment_intent.succeeded');
      expect(succeeded?.data.object).toMatchObject({
        id: payment.providerPaymentId,
        amount_received: 10_000,
        status: 'succeeded',
      });
      expect(succeeded?.data.previous_attributes).toMatchObject({ status: 'requires_capture' });
      expect(succeeded?.request).toEqual({
        id: expect.stringMatching(/^req_/),
        idempotency_key: 'order:wh-1:capture',
      });
      const refunded = events.find((event) => event.type === 'charge.refunded');
      expect(refunded?.data.object).toMatchObject({
        object: 'charge',
        amount_refunded: 2_500,
        refunded: false,
      });
      const failed = events.find((event) => event.type === 'payment_intent.payment_failed');
      expect(failed?.data.object).toMatchObject({ last_payment_error: { decline_code: 'generic_decline' } });
      const reversed = events.find((event) => event.type === 'transfer.reversed');
      expect(reversed?.data.object).toMatchObject({ amount_reversed: 3_000, reversed: true });

      // What each delivery means to Borderline, through the adapter's webhook parser.
      const meanings = receiver.received
        .filter((delivery) => delivery.status < 300)
        .map((delivery) =>
          parseStripeWebhook(
            delivery.rawBody,
            String(delivery.headers['stripe-signature']),
            'whsec_borderline_test',
          ),
        );
      expect(
        meanings
          .filter((meaning) => meaning.orderId === 'wh-1')
          .map((meaning) => meaning.type)
          .sort(),
      ).toEqual(['payment.authorized', 'payment.captured', 'payment.refunded'].sort());
      expect(meanings.find((meaning) => meaning.type === 'payment.refunded')?.providerObjectId).toBe(
        payment.providerPaymentId,
      );
      expect(meanings.find((meaning) => meaning.type === 'payment.failed')?.orderId).toBe('wh-3');

      // A forged or altered delivery does not verify.
      const delivery = receiver.received[0];
      expect(() =>
        Stripe.webhooks.constructEvent(
          delivery?.rawBody ?? '',
          String(delivery?.headers['stripe-signature']),
          'whsec_wrong',
        ),
      ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    } finally {
      await sandbox.close();
    }
  });

  it('retries a delivery the endpoint refused, signing each attempt afresh', async () => {
    const { sandbox, payments } = await startTestSandbox({
      webhookUrl: receiver.url,
      webhookRetryDelaysMs: [50, 50, 50],
    });
    try {
      receiver.failNext(500, 503);
      await payments.authorizePayment({
        orderId: 'wh-retry',
        amount: eur(1_000),
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: idempotencyKeys.authorize('wh-retry'),
      });
      await receiver.waitForDelivered(1);
      await sandbox.webhooks.idle();
      expect(receiver.received.map((delivery) => delivery.status)).toEqual([500, 503, 200]);
      const ids = receiver.received.map((delivery) => (JSON.parse(delivery.rawBody) as { id: string }).id);
      expect(new Set(ids).size).toBe(1);
      expect(sandbox.webhooks.deliveries.map((attempt) => [attempt.attempt, attempt.delivered])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ]);
      expect(verified(receiver, sandbox.webhookSecret)).toHaveLength(1);
      expect(sandbox.state.events[0]?.pendingWebhooks).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it('announces an expired authorisation with payment_intent.canceled (reason expired)', async () => {
    const clock = new ManualClock();
    const { sandbox, payments } = await startTestSandbox({
      webhookUrl: receiver.url,
      clock,
      authorizationValidityMs: 1_000,
      expirySweepIntervalMs: 20,
    });
    try {
      const payment = await payments.authorizePayment({
        orderId: 'wh-exp',
        amount: eur(1_000),
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: idempotencyKeys.authorize('wh-exp'),
      });
      clock.advance(1_000);
      // No request needed: the periodic sweep notices the lapse.
      await receiver.waitForDelivered(3);
      const canceled = verified(receiver, sandbox.webhookSecret).find(
        (event) => event.type === 'payment_intent.canceled',
      );
      expect(canceled?.data.object).toMatchObject({
        id: payment.providerPaymentId,
        cancellation_reason: 'expired',
      });
    } finally {
      await sandbox.close();
    }
  });
});
