import Stripe from 'stripe';
import { AppError } from '../../errors';
import type {
  AuthorizePaymentRequest,
  BalanceTransactionPage,
  CancelAuthorizationRequest,
  CapturePaymentRequest,
  FindMerchantTransferRequest,
  FindOrderPaymentRequest,
  FindRefundRequest,
  ListBalanceTransactionsRequest,
  MerchantTransfer,
  Payment,
  PaymentRefund,
  PaymentsPort,
  RefundPaymentRequest,
  ReverseTransferRequest,
  TransferReversal,
  TransferToMerchantRequest,
} from '../../domain/payments';
import { toStripeAmount } from '../../domain/payments';
import type { Money } from '../../domain/money/types';
import { stripeErrorToAppError, type PaymentOperation } from './stripe-errors';
import {
  METADATA,
  toBalanceTransaction,
  toPayment,
  toRefund,
  toReversal,
  toTransfer,
} from './stripe-mapping';

/**
 * The API version this adapter is written against: the one the installed `stripe` package's
 * types describe. Upgrading the package changes `Stripe.LatestApiVersion`, and this line stops
 * compiling until someone has read the changelog.
 */
export const STRIPE_API_VERSION: Stripe.LatestApiVersion = '2026-10-28.endive';

/** Where to send requests: Stripe itself (default), stripe-mock, or the local sandbox. */
export interface StripeApiBase {
  host: string;
  port?: number;
  protocol?: 'http' | 'https';
}

export interface StripePaymentsConfig {
  secretKey: string;
  apiBase?: StripeApiBase;
  /** Per-request timeout; keep it below the activity's start-to-close timeout. Default 30 s. */
  timeoutMs?: number;
}

/** `http://127.0.0.1:12111` → `{ host, port, protocol }`. */
export function parseStripeApiBase(url: string): StripeApiBase {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('VALIDATION_FAILED', `Stripe API base "${url}" is not a URL`, {
      field: 'STRIPE_API_BASE',
    });
  }
  const protocol = parsed.protocol.replace(':', '');
  if (protocol !== 'http' && protocol !== 'https') {
    throw new AppError('VALIDATION_FAILED', 'Stripe API base must be http or https', {
      field: 'STRIPE_API_BASE',
    });
  }
  return {
    host: parsed.hostname,
    protocol,
    ...(parsed.port ? { port: Number(parsed.port) } : {}),
  };
}

export function createStripeClient(config: StripePaymentsConfig): Stripe {
  if (!config.secretKey) {
    throw new AppError('VALIDATION_FAILED', 'a Stripe secret key is required', {
      field: 'STRIPE_SECRET_KEY',
    });
  }
  return new Stripe(config.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    // Temporal's activity retries are the retry mechanism; every call carries an idempotency key
    // derived from the business operation, so those retries are safe. (stripe-node still retries
    // once by itself when a connection is closed before the answer, with the same key.)
    maxNetworkRetries: 0,
    timeout: config.timeoutMs ?? 30_000,
    telemetry: false,
    ...(config.apiBase
      ? {
          host: config.apiBase.host,
          protocol: config.apiBase.protocol ?? 'https',
          ...(config.apiBase.port !== undefined ? { port: config.apiBase.port } : {}),
        }
      : {}),
  });
}

const EXPAND_CHARGE = ['latest_charge'];

export class StripePayments implements PaymentsPort {
  /** Private so that neither logs nor errors can reach the client holding the secret key. */
  readonly #stripe: Stripe;

  constructor(configOrClient: StripePaymentsConfig | Stripe) {
    this.#stripe = configOrClient instanceof Stripe ? configOrClient : createStripeClient(configOrClient);
  }

  async authorizePayment(request: AuthorizePaymentRequest): Promise<Payment> {
    const { amount, currency } = toStripeAmount(request.amount);
    return this.#call('authorize', async () => {
      const intent = await this.#stripe.paymentIntents.create(
        {
          amount,
          currency,
          capture_method: 'manual',
          confirm: true,
          payment_method: request.paymentMethodId,
          // Confirmed server-side with the shopper's payment method, never redirecting (so no
          // return URL). `payment_method_types` is gone from this API version's types and
          // `allowed_payment_method_types` is unknown to stripe-mock's spec; this form is valid
          // for both.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          metadata: { [METADATA.orderId]: request.orderId },
          ...(request.description ? { description: request.description } : {}),
          ...(request.transferGroup ? { transfer_group: request.transferGroup } : {}),
          expand: EXPAND_CHARGE,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return toPayment(intent);
    });
  }

  async capturePayment(request: CapturePaymentRequest): Promise<Payment> {
    const amountToCapture =
      request.amount === undefined
        ? undefined
        : await this.#stripeAmountIn(request.amount, 'capture', () =>
            this.#stripe.paymentIntents.retrieve(request.providerPaymentId).then((intent) => intent.currency),
          );
    return this.#call('capture', async () => {
      const intent = await this.#stripe.paymentIntents.capture(
        request.providerPaymentId,
        {
          ...(amountToCapture !== undefined ? { amount_to_capture: amountToCapture } : {}),
          expand: EXPAND_CHARGE,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return toPayment(intent);
    });
  }

  async cancelAuthorization(request: CancelAuthorizationRequest): Promise<Payment> {
    return this.#call('cancel', async () => {
      const intent = await this.#stripe.paymentIntents.cancel(
        request.providerPaymentId,
        {
          ...(request.reason ? { cancellation_reason: request.reason } : {}),
          expand: EXPAND_CHARGE,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return toPayment(intent);
    });
  }

  async retrievePayment(providerPaymentId: string): Promise<Payment> {
    return this.#call('retrieve', async () =>
      toPayment(await this.#stripe.paymentIntents.retrieve(providerPaymentId, { expand: EXPAND_CHARGE })),
    );
  }

  /**
   * `GET /v1/payment_intents/search?query=metadata['order_id']:'<orderId>'&limit=100`, every page
   * (stripe-node's auto-pagination follows `next_page`), with the latest charge expanded as the
   * other calls have it. The metadata is checked again on each result; the oldest match wins.
   */
  async findOrderPayment(request: FindOrderPaymentRequest): Promise<Payment | null> {
    return this.#call('find_payment', async () => {
      let oldest: Stripe.PaymentIntent | null = null;
      for await (const intent of this.#stripe.paymentIntents.search({
        query: `metadata['${METADATA.orderId}']:${searchString(request.orderId)}`,
        limit: 100,
        expand: EXPAND_CHARGE.map((path) => `data.${path}`),
      })) {
        if (intent.metadata?.[METADATA.orderId] !== request.orderId) continue;
        // Search, like lists, answers newest first: on a tie (same second) the later one is older.
        if (oldest === null || intent.created <= oldest.created) oldest = intent;
      }
      return oldest === null ? null : toPayment(oldest);
    });
  }

  async refundPayment(request: RefundPaymentRequest): Promise<PaymentRefund> {
    const amount = await this.#stripeAmountIn(request.amount, 'refund', () =>
      this.#stripe.paymentIntents.retrieve(request.providerPaymentId).then((intent) => intent.currency),
    );
    return this.#call('refund', async () => {
      const refund = await this.#stripe.refunds.create(
        {
          payment_intent: request.providerPaymentId,
          amount,
          ...(request.reason ? { reason: request.reason } : {}),
          metadata: { [METADATA.refundId]: request.refundId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return toRefund(refund);
    });
  }

  /**
   * `GET /v1/refunds?payment_intent=…&limit=100`, every page (auto-pagination follows
   * `starting_after`), keeping the refunds whose metadata names our refund id. Stripe lists newest
   * first, so the last match is the oldest.
   */
  async findRefund(request: FindRefundRequest): Promise<PaymentRefund | null> {
    return this.#call('find_refund', async () => {
      let oldest: Stripe.Refund | null = null;
      for await (const refund of this.#stripe.refunds.list({
        payment_intent: request.providerPaymentId,
        limit: 100,
      })) {
        if (refund.metadata?.[METADATA.refundId] === request.refundId) oldest = refund;
      }
      return oldest === null ? null : toRefund(oldest);
    });
  }

  async transferToMerchant(request: TransferToMerchantRequest): Promise<MerchantTransfer> {
    const { amount, currency } = toStripeAmount(request.amount);
    return this.#call('transfer', async () => {
      const transfer = await this.#stripe.transfers.create(
        {
          amount,
          currency,
          destination: request.destinationAccountId,
          ...(request.transferGroup ? { transfer_group: request.transferGroup } : {}),
          metadata: { [METADATA.runId]: request.runId, [METADATA.merchantId]: request.merchantId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return toTransfer(transfer);
    });
  }

  /**
   * `GET /v1/transfers?transfer_group=…&destination=…&limit=100`, every page (stripe-node's
   * auto-pagination follows `starting_after`), keeping the transfers whose metadata names the run
   * and the merchant. Stripe lists newest first, so the last match is the oldest.
   */
  async findMerchantTransfer(request: FindMerchantTransferRequest): Promise<MerchantTransfer | null> {
    return this.#call('find_transfer', async () => {
      let oldest: Stripe.Transfer | null = null;
      for await (const transfer of this.#stripe.transfers.list({
        transfer_group: request.transferGroup,
        destination: request.destinationAccountId,
        limit: 100,
      })) {
        if (
          transfer.metadata?.[METADATA.runId] === request.runId &&
          transfer.metadata?.[METADATA.merchantId] === request.merchantId
        ) {
          oldest = transfer;
        }
      }
      return oldest === null ? null : toTransfer(oldest);
    });
  }

  async reverseTransfer(request: ReverseTransferRequest): Promise<TransferReversal> {
    const amount =
      request.amount === undefined
        ? undefined
        : await this.#stripeAmountIn(request.amount, 'reverse_transfer', () =>
            this.#stripe.transfers.retrieve(request.providerTransferId).then((transfer) => transfer.currency),
          );
    return this.#call('reverse_transfer', async () => {
      const reversal = await this.#stripe.transfers.createReversal(
        request.providerTransferId,
        {
          ...(amount !== undefined ? { amount } : {}),
          metadata: { [METADATA.reversalId]: request.reversalId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return toReversal(reversal);
    });
  }

  async listBalanceTransactions(
    request: ListBalanceTransactionsRequest = {},
  ): Promise<BalanceTransactionPage> {
    const limit = request.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new AppError('VALIDATION_FAILED', 'limit must be an integer from 1 to 100', { field: 'limit' });
    }
    const created: Stripe.RangeQueryParam = {};
    if (request.createdFrom) created.gte = unixSecondsCeil(request.createdFrom, 'createdFrom');
    if (request.createdBefore) created.lt = unixSecondsCeil(request.createdBefore, 'createdBefore');
    return this.#call('list_balance_transactions', async () => {
      const page = await this.#stripe.balanceTransactions.list({
        limit,
        ...(Object.keys(created).length > 0 ? { created } : {}),
        ...(request.startingAfter ? { starting_after: request.startingAfter } : {}),
        ...(request.type ? { type: request.type } : {}),
        ...(request.currency ? { currency: request.currency.toLowerCase() } : {}),
        ...(request.expandSource ? { expand: ['data.source'] } : {}),
      });
      const items = page.data.map(toBalanceTransaction);
      const last = items[items.length - 1];
      return {
        items,
        hasMore: page.has_more,
        nextStartingAfter: page.has_more && last ? last.providerBalanceTransactionId : null,
      };
    });
  }

  async #call<T>(operation: PaymentOperation, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw stripeErrorToAppError(error, operation);
    }
  }

  /**
   * Stripe's capture, refund and reversal amounts carry no currency: they are in the payment's
   * (or transfer's). Check the caller's money is in that currency before converting, so that a
   * JPY amount is never read as euro cents.
   */
  async #stripeAmountIn(
    money: Money,
    operation: PaymentOperation,
    currencyOf: () => Promise<string>,
  ): Promise<number> {
    const { amount, currency } = toStripeAmount(money);
    const actual = await this.#call(operation, currencyOf);
    if (actual.toLowerCase() !== currency) {
      throw new AppError(
        'VALIDATION_FAILED',
        `the ${operation} is in ${currency.toUpperCase()} but the payment is in ${actual.toUpperCase()}`,
        {
          field: 'amount.currency',
          details: { expected: actual.toUpperCase(), received: currency.toUpperCase() },
        },
      );
    }
    return amount;
  }
}

/**
 * A string value in Stripe's search query language: in single quotes, a quote or backslash
 * inside escaped with a backslash (docs.stripe.com/search#search-query-language).
 */
export function searchString(value: string): string {
  return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

function unixSecondsCeil(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new AppError('VALIDATION_FAILED', `${field} must be an ISO 8601 date-time`, { field });
  return Math.ceil(ms / 1000);
}
