import { idempotencyKeys } from '../../../src/domain/payments';
import { createStripeClient, StripePayments } from '../../../src/infra/payments';
import { startStripeMock, type RunningStripeMock } from '../../helpers/stripe-mock';

/**
 * Every request the adapter makes, sent to Stripe's own stripe-mock, which validates it against
 * Stripe's OpenAPI spec (unknown or mistyped parameters are refused with a 400) and answers with
 * fixtures. stripe-mock keeps no state: these tests check that Stripe accepts what we send and
 * that we can read what it returns, not the values.
 */
jest.setTimeout(120_000);

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('Stripe adapter contract, against stripe-mock', () => {
  let mock: RunningStripeMock;
  let payments: StripePayments;

  beforeAll(async () => {
    mock = await startStripeMock();
    payments = new StripePayments({
      secretKey: 'sk_test_123',
      apiBase: { host: mock.host, port: mock.port, protocol: 'http' },
      timeoutMs: 10_000,
    });
  });
  afterAll(() => mock?.stop());

  it('authorizePayment: create + confirm with manual capture', async () => {
    const payment = await payments.authorizePayment({
      orderId: 'ord-contract',
      amount: usd(2_000),
      paymentMethodId: 'pm_card_visa',
      description: 'Order ord-contract',
      transferGroup: 'order-ord-contract',
      idempotencyKey: idempotencyKeys.authorize('ord-contract'),
    });
    expect(payment.providerPaymentId).toMatch(/^pi_/);
    expect(payment.amount.currency).toBe('USD');
    expect(Number.isSafeInteger(payment.amount.amount)).toBe(true);
    // latest_charge was expanded: stripe-mock returned a charge object, which we read.
    expect(payment.providerChargeId).toMatch(/^ch_/);
    expect(Date.parse(payment.createdAt)).not.toBeNaN();
  });

  it('capturePayment: full, and partial (after reading the payment currency)', async () => {
    const full = await payments.capturePayment({
      providerPaymentId: 'pi_123',
      idempotencyKey: idempotencyKeys.capture('ord-c1'),
    });
    expect(full.providerPaymentId).toMatch(/^pi_/);
    const partial = await payments.capturePayment({
      providerPaymentId: 'pi_123',
      amount: usd(1_500),
      idempotencyKey: idempotencyKeys.capture('ord-c2'),
    });
    expect(partial.amountReceived.currency).toBe('USD');
  });

  it('cancelAuthorization, with and without a reason', async () => {
    const withReason = await payments.cancelAuthorization({
      providerPaymentId: 'pi_123',
      reason: 'requested_by_customer',
      idempotencyKey: idempotencyKeys.cancel('ord-x1'),
    });
    expect(withReason.providerPaymentId).toMatch(/^pi_/);
    await expect(
      payments.cancelAuthorization({
        providerPaymentId: 'pi_123',
        idempotencyKey: idempotencyKeys.cancel('ord-x2'),
      }),
    ).resolves.toBeDefined();
  });

  it('retrievePayment', async () => {
    const payment = await payments.retrievePayment('pi_123');
    expect(payment.providerPaymentId).toMatch(/^pi_/);
    expect(payment.amountRefunded.currency).toBe('USD');
  });

  it('refundPayment: partial refund with a reason', async () => {
    const refund = await payments.refundPayment({
      providerPaymentId: 'pi_123',
      refundId: 'rf-contract',
      amount: usd(500),
      reason: 'requested_by_customer',
      idempotencyKey: idempotencyKeys.refund('rf-contract'),
    });
    expect(refund.providerRefundId).toMatch(/^re_/);
    expect(Number.isSafeInteger(refund.amount.amount)).toBe(true);
  });

  it('findOrderPayment: search PaymentIntents by the order id in their metadata (limit 100, expanded, auto-paged)', async () => {
    // stripe-mock answers a fixture whatever the query; what matters is that it accepts the
    // request. Its PaymentIntent carries none of our metadata, so nothing matches.
    await expect(payments.findOrderPayment({ orderId: 'ord-contract' })).resolves.toBeNull();
    const stripe = createStripeClient({
      secretKey: 'sk_test_123',
      apiBase: { host: mock.host, port: mock.port, protocol: 'http' },
    });
    await expect(
      stripe.paymentIntents.search({ query: "metadata['order_id']:'x'", not_a_stripe_param: 'x' } as never),
    ).rejects.toThrow(/additional properties are not allowed/);
  });

  it('findRefund: list a payment’s refunds (limit 100, auto-paged)', async () => {
    await expect(
      payments.findRefund({ providerPaymentId: 'pi_123', refundId: 'rf-contract' }),
    ).resolves.toBeNull();
    const stripe = createStripeClient({
      secretKey: 'sk_test_123',
      apiBase: { host: mock.host, port: mock.port, protocol: 'http' },
    });
    await expect(
      stripe.refunds.list({ payment_intent: 'pi_123', not_a_stripe_param: 'x' } as never),
    ).rejects.toThrow(/additional properties are not allowed/);
  });

  it('transferToMerchant', async () => {
    const transfer = await payments.transferToMerchant({
      runId: 'run-contract',
      merchantId: 'mer-1',
      destinationAccountId: 'acct_1032D82eZvKYlo2C',
      amount: usd(7_000),
      transferGroup: 'settlement-run-contract',
      idempotencyKey: idempotencyKeys.payout('run-contract', 'mer-1'),
    });
    expect(transfer.providerTransferId).toMatch(/^tr_/);
    expect(transfer.amount.currency).toBe('USD');
  });

  it('findMerchantTransfer: list transfers by transfer_group and destination (limit 100, auto-paged)', async () => {
    // stripe-mock answers a fixture list whatever the filters; what matters is that it accepts
    // them. Its transfer carries none of our metadata, so nothing matches.
    await expect(
      payments.findMerchantTransfer({
        transferGroup: 'settlement-run-contract',
        destinationAccountId: 'acct_1032D82eZvKYlo2C',
        runId: 'run-contract',
        merchantId: 'mer-1',
      }),
    ).resolves.toBeNull();
    // The query is checked too: a list parameter Stripe does not have is refused.
    const stripe = createStripeClient({
      secretKey: 'sk_test_123',
      apiBase: { host: mock.host, port: mock.port, protocol: 'http' },
    });
    await expect(
      stripe.transfers.list({ transfer_group: 'settlement-run-contract', not_a_stripe_param: 'x' } as never),
    ).rejects.toThrow(/additional properties are not allowed/);
  });

  it('reverseTransfer: full, and partial (after reading the transfer currency)', async () => {
    const full = await payments.reverseTransfer({
      providerTransferId: 'tr_123',
      reversalId: 'rv-1',
      idempotencyKey: idempotencyKeys.payoutReversal('run-contract', 'mer-1', 'rv-1'),
    });
    expect(full.providerReversalId).toMatch(/^trr_/);
    const partial = await payments.reverseTransfer({
      providerTransferId: 'tr_123',
      reversalId: 'rv-2',
      amount: usd(100),
      idempotencyKey: idempotencyKeys.payoutReversal('run-contract', 'mer-1', 'rv-2'),
    });
    expect(partial.amount.currency).toBe('USD');
  });

  it('listBalanceTransactions with every filter the adapter sends', async () => {
    const page = await payments.listBalanceTransactions({
      limit: 50,
      createdFrom: '2026-11-01T00:00:00Z',
      createdBefore: '2026-11-02T00:00:00Z',
      startingAfter: 'txn_123',
      type: 'charge',
    });
    expect(Array.isArray(page.items)).toBe(true);
    expect(typeof page.hasMore).toBe('boolean');
    for (const item of page.items) {
      expect(item.providerBalanceTransactionId).toMatch(/^txn_/);
      expect(item.net.amount).toBe(item.amount.amount - item.fee.amount);
    }
    await expect(payments.listBalanceTransactions()).resolves.toBeDefined();
  });

  it('listBalanceTransactions for reconciliation: one currency, sources expanded', async () => {
    const page = await payments.listBalanceTransactions({
      limit: 100,
      createdFrom: '2026-10-01T00:00:00Z',
      createdBefore: '2026-11-02T00:00:00Z',
      currency: 'USD',
      expandSource: true,
    });
    expect(Array.isArray(page.items)).toBe(true);
    for (const item of page.items) {
      // stripe-mock answers fixtures: whatever it expands must be read without failing.
      if (item.source) expect(item.source.id).toEqual(expect.any(String));
    }
  });

  it('is refused by stripe-mock when a parameter is not in Stripe’s spec (the check is real)', async () => {
    const stripe = createStripeClient({
      secretKey: 'sk_test_123',
      apiBase: { host: mock.host, port: mock.port, protocol: 'http' },
    });
    await expect(
      stripe.paymentIntents.create({ amount: 100, currency: 'usd', not_a_stripe_param: 'x' } as never),
    ).rejects.toThrow(/additional properties are not allowed/);
  });
});
