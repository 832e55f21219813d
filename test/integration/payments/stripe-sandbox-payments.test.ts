import Stripe from 'stripe';
import { AppError } from '../../../src/errors';
import { idempotencyKeys } from '../../../src/domain/payments';
import { createStripeClient, type StripePayments } from '../../../src/infra/payments';
import { ManualClock, type StripeSandbox } from '../../../src/sandboxes/stripe';
import { paymentsFor, startTestSandbox } from '../../helpers/stripe-sandbox';

jest.setTimeout(30_000);

const eur = (amount: number) => ({ amount, currency: 'EUR' });
let counter = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('Stripe adapter against the sandbox: payments', () => {
  let sandbox: StripeSandbox;
  let payments: StripePayments;

  beforeAll(async () => {
    ({ sandbox, payments } = await startTestSandbox());
  });
  afterAll(() => sandbox.close());

  async function authorize(amount = 10_000, paymentMethodId = 'pm_card_visa') {
    const orderId = uniqueId('ord');
    const payment = await payments.authorizePayment({
      orderId,
      amount: eur(amount),
      paymentMethodId,
      idempotencyKey: idempotencyKeys.authorize(orderId),
    });
    return { orderId, payment };
  }

  it('authorises with manual capture, then captures the full amount', async () => {
    const { orderId, payment } = await authorize(12_345);
    expect(payment).toMatchObject({
      status: 'requires_capture',
      orderId,
      amount: eur(12_345),
      amountCapturable: eur(12_345),
      amountReceived: eur(0),
    });
    expect(payment.providerChargeId).toMatch(/^ch_/);
    // A card authorisation lapses after 7 days.
    const held = Date.parse(payment.captureBefore ?? '') - Date.parse(payment.createdAt);
    expect(held).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000 - 1000);
    expect(held).toBeLessThanOrEqual(7 * 24 * 3600 * 1000 + 1000);

    const captured = await payments.capturePayment({
      providerPaymentId: payment.providerPaymentId,
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    expect(captured).toMatchObject({
      status: 'succeeded',
      amountReceived: eur(12_345),
      amountCapturable: eur(0),
    });

    const charge = sandbox.state.charges.get(payment.providerChargeId ?? '');
    expect(charge).toMatchObject({ captured: true, amountCaptured: 12_345 });
    const ledger = sandbox.state.balanceTransaction(charge?.balanceTransaction ?? '');
    // 2.9 % of 123.45 = 3.58 (rounded), + 0.30.
    expect(ledger).toMatchObject({
      type: 'charge',
      amount: 12_345,
      fee: 388,
      currency: 'eur',
      source: charge?.id,
    });
  });

  it('captures part of an authorisation and releases the rest', async () => {
    const { orderId, payment } = await authorize(10_000);
    const captured = await payments.capturePayment({
      providerPaymentId: payment.providerPaymentId,
      amount: eur(7_500),
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    expect(captured).toMatchObject({
      status: 'succeeded',
      amount: eur(10_000),
      amountReceived: eur(7_500),
      amountCapturable: eur(0),
      amountRefunded: eur(0),
    });
    const charge = sandbox.state.charges.get(payment.providerChargeId ?? '');
    expect(charge?.amountCaptured).toBe(7_500);
    // One balance transaction, for the captured amount (no refund for the released part).
    const forCharge = sandbox.state.balanceTransactions.filter((entry) => entry.source === charge?.id);
    expect(forCharge).toHaveLength(1);
    expect(forCharge[0]?.amount).toBe(7_500);
    expect([...sandbox.state.refunds.values()].filter((refund) => refund.charge === charge?.id)).toHaveLength(
      0,
    );
  });

  it('refuses a capture above what is capturable, without retrying', async () => {
    const { orderId, payment } = await authorize(5_000);
    const error = await failure(
      payments.capturePayment({
        providerPaymentId: payment.providerPaymentId,
        amount: eur(5_001),
        idempotencyKey: idempotencyKeys.capture(orderId),
      }),
    );
    expect(error.code).toBe('PAYMENT_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({
      stripeCode: 'amount_too_large',
      param: 'amount_to_capture',
      statusCode: 400,
    });
    expect((await payments.retrievePayment(payment.providerPaymentId)).status).toBe('requires_capture');
  });

  it('refuses a capture in another currency before calling Stripe', async () => {
    const { orderId, payment } = await authorize(5_000);
    const error = await failure(
      payments.capturePayment({
        providerPaymentId: payment.providerPaymentId,
        amount: { amount: 5_000, currency: 'JPY' },
        idempotencyKey: idempotencyKeys.capture(orderId),
      }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect((await payments.retrievePayment(payment.providerPaymentId)).amountCapturable).toEqual(eur(5_000));
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline', 'card_declined'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'card_declined'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedFraudulent', 'fraudulent', 'card_declined'],
  ])('keeps the reason when %s is declined', async (paymentMethodId, declineCode, stripeCode) => {
    const orderId = uniqueId('ord');
    const error = await failure(
      payments.authorizePayment({
        orderId,
        amount: eur(2_000),
        paymentMethodId,
        idempotencyKey: idempotencyKeys.authorize(orderId),
      }),
    );
    expect(error.code).toBe('PAYMENT_DECLINED');
    expect(error.status).toBe(402);
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({
      declineCode,
      stripeCode,
      paymentStatus: 'requires_payment_method',
    });
    const providerPaymentId = String(error.details?.providerPaymentId);
    const payment = await payments.retrievePayment(providerPaymentId);
    expect(payment.status).toBe('requires_payment_method');
    expect(payment.lastPaymentError).toMatchObject({ declineCode, code: stripeCode });
    expect(sandbox.state.charges.get(payment.providerChargeId ?? '')?.status).toBe('failed');
  });

  it('cancels an authorisation, and then refuses to capture it', async () => {
    const { orderId, payment } = await authorize(3_000);
    const canceled = await payments.cancelAuthorization({
      providerPaymentId: payment.providerPaymentId,
      reason: 'requested_by_customer',
      idempotencyKey: idempotencyKeys.cancel(orderId),
    });
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellationReason: 'requested_by_customer',
      amountCapturable: eur(0),
      amountReceived: eur(0),
    });
    const error = await failure(
      payments.capturePayment({
        providerPaymentId: payment.providerPaymentId,
        idempotencyKey: idempotencyKeys.capture(orderId),
      }),
    );
    expect(error.code).toBe('PAYMENT_REJECTED');
    expect(error.details).toMatchObject({ stripeCode: 'payment_intent_unexpected_state' });
  });

  it('refuses to cancel after capture, as Stripe does', async () => {
    const { orderId, payment } = await authorize(3_000);
    await payments.capturePayment({
      providerPaymentId: payment.providerPaymentId,
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    const error = await failure(
      payments.cancelAuthorization({
        providerPaymentId: payment.providerPaymentId,
        idempotencyKey: idempotencyKeys.cancel(orderId),
      }),
    );
    expect(error.code).toBe('PAYMENT_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ stripeCode: 'payment_intent_unexpected_state', statusCode: 400 });
    expect(error.message).toContain('because it has a status of succeeded');
  });

  it('refunds in parts up to what was captured, and refuses one cent more', async () => {
    const { orderId, payment } = await authorize(10_000);
    await payments.capturePayment({
      providerPaymentId: payment.providerPaymentId,
      amount: eur(8_000),
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    const refundOf = (refundId: string, amount: number) =>
      payments.refundPayment({
        providerPaymentId: payment.providerPaymentId,
        refundId,
        amount: eur(amount),
        reason: 'requested_by_customer',
        idempotencyKey: idempotencyKeys.refund(refundId),
      });

    const first = await refundOf(uniqueId('rf'), 3_000);
    const second = await refundOf(uniqueId('rf'), 5_000);
    expect(first).toMatchObject({
      status: 'succeeded',
      amount: eur(3_000),
      providerPaymentId: payment.providerPaymentId,
    });
    expect(second.providerRefundId).not.toBe(first.providerRefundId);
    expect((await payments.retrievePayment(payment.providerPaymentId)).amountRefunded).toEqual(eur(8_000));

    const over = await failure(refundOf(uniqueId('rf'), 1));
    expect(over.code).toBe('PAYMENT_REJECTED');
    expect(over.retryable).toBe(false);
    expect(over.details).toMatchObject({ stripeCode: 'charge_already_refunded' });

    const refunds = sandbox.state.balanceTransactions.filter(
      (entry) =>
        entry.type === 'refund' && [first.providerRefundId, second.providerRefundId].includes(entry.source),
    );
    expect(refunds.map((entry) => entry.amount)).toEqual([-3_000, -5_000]);
    expect(refunds.every((entry) => entry.fee === 0)).toBe(true);
  });

  it('refuses a refund larger than what is left on the charge', async () => {
    const { orderId, payment } = await authorize(4_000);
    await payments.capturePayment({
      providerPaymentId: payment.providerPaymentId,
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    const refundId = uniqueId('rf');
    await payments.refundPayment({
      providerPaymentId: payment.providerPaymentId,
      refundId,
      amount: eur(1_000),
      idempotencyKey: idempotencyKeys.refund(refundId),
    });
    const secondId = uniqueId('rf');
    const error = await failure(
      payments.refundPayment({
        providerPaymentId: payment.providerPaymentId,
        refundId: secondId,
        amount: eur(3_001),
        idempotencyKey: idempotencyKeys.refund(secondId),
      }),
    );
    expect(error.code).toBe('PAYMENT_REJECTED');
    expect(error.details).toMatchObject({ param: 'amount', statusCode: 400 });
    expect(error.message).toContain(
      'Refund amount (€30.01) is greater than unrefunded amount on charge (€30.00)',
    );
  });

  it('refuses to refund an authorisation that was never captured', async () => {
    const { payment } = await authorize(2_500);
    const refundId = uniqueId('rf');
    const error = await failure(
      payments.refundPayment({
        providerPaymentId: payment.providerPaymentId,
        refundId,
        amount: eur(100),
        idempotencyKey: idempotencyKeys.refund(refundId),
      }),
    );
    expect(error.code).toBe('PAYMENT_REJECTED');
    expect(error.message).toMatch(/Cancel the PaymentIntent instead/);
  });

  it('transfers to a connected account and reverses it in parts', async () => {
    const runId = uniqueId('run');
    const transfer = await payments.transferToMerchant({
      runId,
      merchantId: 'mer_1',
      destinationAccountId: 'acct_1MerchantOne',
      amount: eur(9_000),
      transferGroup: `settlement-${runId}`,
      idempotencyKey: idempotencyKeys.payout(runId, 'mer_1'),
    });
    expect(transfer).toMatchObject({
      destinationAccountId: 'acct_1MerchantOne',
      runId,
      merchantId: 'mer_1',
      amount: eur(9_000),
      amountReversed: eur(0),
      reversed: false,
      transferGroup: `settlement-${runId}`,
    });
    const reverse = (reversalId: string, amount?: number) =>
      payments.reverseTransfer({
        providerTransferId: transfer.providerTransferId,
        reversalId,
        ...(amount !== undefined ? { amount: eur(amount) } : {}),
        idempotencyKey: idempotencyKeys.payoutReversal(runId, 'mer_1', reversalId),
      });
    const partial = await reverse('rv1', 2_000);
    expect(partial).toMatchObject({
      amount: eur(2_000),
      reversalId: 'rv1',
      providerTransferId: transfer.providerTransferId,
    });
    const rest = await reverse('rv2');
    expect(rest.amount).toEqual(eur(7_000));
    const stored = sandbox.state.transfers.get(transfer.providerTransferId);
    expect(stored).toMatchObject({ amountReversed: 9_000 });

    const again = await failure(reverse('rv3', 1));
    expect(again.code).toBe('PAYMENT_REJECTED');
    expect(again.message).toContain('already fully reversed');

    const ledger = sandbox.state.balanceTransactions.filter((entry) =>
      [transfer.providerTransferId, partial.providerReversalId, rest.providerReversalId].includes(
        entry.source,
      ),
    );
    expect(ledger.map((entry) => [entry.type, entry.amount])).toEqual([
      ['transfer', -9_000],
      ['transfer_refund', 2_000],
      ['transfer_refund', 7_000],
    ]);
  });

  it('refuses a transfer to an account that does not exist', async () => {
    const { sandbox: strict } = await startTestSandbox({ connectedAccounts: ['acct_known'] });
    try {
      const error = await failure(
        paymentsFor(strict).transferToMerchant({
          runId: 'run-x',
          merchantId: 'm',
          destinationAccountId: 'acct_unknown',
          amount: eur(100),
          idempotencyKey: idempotencyKeys.payout('run-x', 'm'),
        }),
      );
      expect(error.code).toBe('NOT_FOUND');
      expect(error.details).toMatchObject({ param: 'destination' });
    } finally {
      await strict.close();
    }
  });

  it('lists balance transactions newest first, page by page', async () => {
    const { sandbox: own, payments: adapter } = await startTestSandbox();
    try {
      for (let i = 1; i <= 5; i++) {
        const orderId = `page-${i}`;
        const payment = await adapter.authorizePayment({
          orderId,
          amount: eur(1_000 * i),
          paymentMethodId: 'pm_card_mastercard',
          idempotencyKey: idempotencyKeys.authorize(orderId),
        });
        await adapter.capturePayment({
          providerPaymentId: payment.providerPaymentId,
          idempotencyKey: idempotencyKeys.capture(orderId),
        });
      }
      const first = await adapter.listBalanceTransactions({ limit: 2 });
      expect(first.items.map((item) => item.amount.amount)).toEqual([5_000, 4_000]);
      expect(first.hasMore).toBe(true);
      const second = await adapter.listBalanceTransactions({
        limit: 2,
        startingAfter: first.nextStartingAfter ?? '',
      });
      expect(second.items.map((item) => item.amount.amount)).toEqual([3_000, 2_000]);
      const last = await adapter.listBalanceTransactions({
        limit: 2,
        startingAfter: second.nextStartingAfter ?? '',
      });
      expect(last.items.map((item) => item.amount.amount)).toEqual([1_000]);
      expect(last).toMatchObject({ hasMore: false, nextStartingAfter: null });
      const charge = first.items[0];
      expect(charge).toMatchObject({ type: 'charge', reportingCategory: 'charge', status: 'pending' });
      expect(charge?.net.amount).toBe((charge?.amount.amount ?? 0) - (charge?.fee.amount ?? 0));
      expect(charge?.sourceId).toMatch(/^ch_/);
      const future = await adapter.listBalanceTransactions({
        createdFrom: new Date(Date.now() + 60_000).toISOString(),
      });
      expect(future.items).toHaveLength(0);
    } finally {
      await own.close();
    }
  });
});

describe('authorisation expiry', () => {
  it('cancels an uncaptured authorisation once it lapses; capturing it then fails', async () => {
    const clock = new ManualClock(Date.parse('2026-11-01T10:00:00Z'));
    const { sandbox, payments } = await startTestSandbox({
      clock,
      authorizationValidityMs: 60_000,
      expirySweepIntervalMs: 0,
    });
    try {
      const payment = await payments.authorizePayment({
        orderId: 'exp-1',
        amount: eur(4_200),
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: idempotencyKeys.authorize('exp-1'),
      });
      expect(payment.captureBefore).toBe('2026-11-01T10:01:00.000Z');

      clock.advance(59_000);
      expect(sandbox.expireAuthorizations()).toEqual([]);
      clock.advance(1_000);
      const after = await payments.retrievePayment(payment.providerPaymentId);
      expect(after).toMatchObject({
        status: 'canceled',
        cancellationReason: 'expired',
        amountCapturable: eur(0),
      });

      const error = await failure(
        payments.capturePayment({
          providerPaymentId: payment.providerPaymentId,
          idempotencyKey: idempotencyKeys.capture('exp-1'),
        }),
      );
      expect(error.code).toBe('PAYMENT_REJECTED');
      expect(error.details).toMatchObject({ stripeCode: 'payment_intent_unexpected_state' });
    } finally {
      await sandbox.close();
    }
  });

  it('expires with the default 7 days when time moves on', async () => {
    const clock = new ManualClock(Date.parse('2026-11-01T10:00:00Z'));
    const { sandbox, payments } = await startTestSandbox({ clock, expirySweepIntervalMs: 0 });
    try {
      const payment = await payments.authorizePayment({
        orderId: 'exp-2',
        amount: eur(100),
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: idempotencyKeys.authorize('exp-2'),
      });
      clock.advance(6 * 24 * 3600 * 1000);
      expect(sandbox.expireAuthorizations()).toEqual([]);
      clock.advance(24 * 3600 * 1000);
      expect(sandbox.expireAuthorizations()).toEqual([payment.providerPaymentId]);
    } finally {
      await sandbox.close();
    }
  });
});

describe('the sandbox speaks Stripe to the stripe package directly', () => {
  let sandbox: StripeSandbox;
  let stripe: ReturnType<typeof createStripeClient>;

  beforeAll(async () => {
    ({ sandbox } = await startTestSandbox());
    stripe = createStripeClient({
      secretKey: sandbox.secretKey,
      apiBase: { host: sandbox.host, port: sandbox.port, protocol: 'http' },
    });
  });
  afterAll(() => sandbox.close());

  it('creates without confirming, then confirms: a decline leaves it open for another card', async () => {
    const intent = await stripe.paymentIntents.create(
      { amount: 2_000, currency: 'eur', capture_method: 'manual', metadata: { order_id: 'raw-1' } },
      { idempotencyKey: 'raw-1-create' },
    );
    expect(intent).toMatchObject({
      status: 'requires_payment_method',
      amount_capturable: 0,
      latest_charge: null,
    });

    const declined = await stripe.paymentIntents
      .confirm(
        intent.id,
        { payment_method: 'pm_card_chargeDeclinedExpiredCard' },
        { idempotencyKey: 'raw-1-confirm-1' },
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({
      statusCode: 402,
      code: 'expired_card',
      decline_code: 'expired_card',
      param: 'exp_month',
    });
    expect((declined as InstanceType<typeof Stripe.errors.StripeCardError>).payment_intent?.id).toBe(
      intent.id,
    );

    const confirmed = await stripe.paymentIntents.confirm(
      intent.id,
      { payment_method: 'pm_card_mastercard', expand: ['latest_charge'] },
      { idempotencyKey: 'raw-1-confirm-2' },
    );
    expect(confirmed).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 2_000,
      last_payment_error: null,
    });
    const charge = confirmed.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      captured: false,
      amount: 2_000,
      balance_transaction: null,
    });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'mastercard', last4: '4444' });
    expect(sandbox.state.charges.size).toBe(2);
  });

  it('waits in requires_confirmation when created with a payment method, and answers Stripe-like 4xx errors', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      payment_method: 'pm_card_visa',
    });
    expect(intent.status).toBe('requires_confirmation');

    await expect(stripe.paymentIntents.retrieve('pi_doesNotExist')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });
    await expect(
      stripe.paymentIntents.create({ amount: 900, currency: 'usd', not_a_param: 1 } as never),
    ).rejects.toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'not_a_param' });
    await expect(stripe.paymentIntents.create({ amount: 0, currency: 'usd' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'amount',
    });
  });

  it('expands a balance transaction’s source in a list', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'eur',
      confirm: true,
      payment_method: 'pm_card_visa',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(intent.status).toBe('succeeded');
    const page = await stripe.balanceTransactions.list({ limit: 1, expand: ['data.source'] });
    expect(page.data[0]?.source).toMatchObject({
      object: 'charge',
      payment_intent: intent.id,
      captured: true,
    });
  });
});
