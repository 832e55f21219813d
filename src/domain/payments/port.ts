import type { Money } from '../money/types';
import type { PaymentIdempotencyKey } from './idempotency-keys';

/**
 * What the business needs from a card payment provider (Stripe): hold the shopper's money when
 * the order is placed, take it (all or part) when the parcel ships, release it if the order is
 * cancelled, give it back (in parts) on returns, and pay merchants their share through their
 * connected accounts. Amounts are our `Money`; ids prefixed `provider` are the provider's.
 *
 * Every operation that changes money carries an idempotency key from `idempotencyKeys`, so a
 * retried call never charges, refunds or pays twice.
 *
 * Failures are `AppError`s: `PAYMENT_DECLINED` (the issuer said no; not retryable),
 * `PAYMENT_REJECTED` (the provider refused the request as invalid in the payment's state, e.g.
 * capture above what is capturable; not retryable), `IDEMPOTENCY_KEY_REUSED` (same key, other
 * parameters; not retryable), `NOT_FOUND`, `RATE_LIMITED` and `PAYMENT_PROVIDER_ERROR` (5xx,
 * connection lost, timeout: retryable with the same key).
 */
export interface PaymentsPort {
  /** Authorises (holds) the amount on the shopper's payment method; captures nothing. */
  authorizePayment(request: AuthorizePaymentRequest): Promise<Payment>;
  /** Captures the full authorisation, or part of it (the rest is released). Only once. */
  capturePayment(request: CapturePaymentRequest): Promise<Payment>;
  /** Releases an authorisation that has not been captured. */
  cancelAuthorization(request: CancelAuthorizationRequest): Promise<Payment>;
  retrievePayment(providerPaymentId: string): Promise<Payment>;
  /**
   * The payment already created for an order, or null: recognised by the order id in its
   * metadata. For an authorisation retried when the idempotency key can no longer be relied on
   * (the provider forgets keys: Stripe after 24 hours). Should there be several, the oldest.
   * Reads only. (Stripe's search is eventually consistent, within a minute normally: fine for a
   * retry a day later, not for reading what was just written.)
   */
  findOrderPayment(request: FindOrderPaymentRequest): Promise<Payment | null>;
  /** Refunds part of what was captured; several refunds may follow each other. */
  refundPayment(request: RefundPaymentRequest): Promise<PaymentRefund>;
  /**
   * The refund already made of a payment under our refund id, or null: recognised by the refund
   * id in its metadata. For a refund retried when the idempotency key can no longer be relied on.
   * Should there be several, the oldest. Reads only.
   */
  findRefund(request: FindRefundRequest): Promise<PaymentRefund | null>;
  /** Pays a merchant's share to their connected account. */
  transferToMerchant(request: TransferToMerchantRequest): Promise<MerchantTransfer>;
  /**
   * The transfer already made to a merchant for a settlement run, or null: found by its transfer
   * group and destination, and recognised by the run and merchant ids in its metadata. For a
   * retry that can no longer rely on the idempotency key (the provider forgets keys: Stripe after
   * 24 hours). Should there be several, the oldest. Reads only.
   */
  findMerchantTransfer(request: FindMerchantTransferRequest): Promise<MerchantTransfer | null>;
  /** Takes back (part of) a transfer from a merchant's connected account. */
  reverseTransfer(request: ReverseTransferRequest): Promise<TransferReversal>;
  /** One page of the provider's ledger, newest first, for reconciliation. */
  listBalanceTransactions(request?: ListBalanceTransactionsRequest): Promise<BalanceTransactionPage>;
}

export type PaymentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export type CancellationReason = 'abandoned' | 'duplicate' | 'fraudulent' | 'requested_by_customer';
export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface AuthorizePaymentRequest {
  orderId: string;
  amount: Money;
  /** The shopper's payment method collected at checkout (`pm_...`). */
  paymentMethodId: string;
  idempotencyKey: PaymentIdempotencyKey;
  description?: string;
  /** Links the payment to the transfers that pay merchants for it. */
  transferGroup?: string;
}

export interface CapturePaymentRequest {
  providerPaymentId: string;
  /** Omit to capture everything that is capturable. */
  amount?: Money;
  idempotencyKey: PaymentIdempotencyKey;
}

export interface CancelAuthorizationRequest {
  providerPaymentId: string;
  reason?: CancellationReason;
  idempotencyKey: PaymentIdempotencyKey;
}

export interface RefundPaymentRequest {
  providerPaymentId: string;
  /** Our id of this refund (it names the idempotency key `refund:<refundId>`). */
  refundId: string;
  amount: Money;
  reason?: RefundReason;
  idempotencyKey: PaymentIdempotencyKey;
}

export interface FindOrderPaymentRequest {
  orderId: string;
}

export interface FindRefundRequest {
  /** The payment (`pi_...`) the refund gives money back from. */
  providerPaymentId: string;
  /** Our id of the refund (`RefundPaymentRequest.refundId`). */
  refundId: string;
}

export interface TransferToMerchantRequest {
  runId: string;
  merchantId: string;
  /** The merchant's connected account (`acct_...`). */
  destinationAccountId: string;
  amount: Money;
  transferGroup?: string;
  idempotencyKey: PaymentIdempotencyKey;
}

export interface FindMerchantTransferRequest {
  /** The group the transfer was made in (`settlement-<runId>`). */
  transferGroup: string;
  /** The merchant's connected account (`acct_...`) the transfer went to. */
  destinationAccountId: string;
  runId: string;
  merchantId: string;
}

export interface ReverseTransferRequest {
  providerTransferId: string;
  /** Our id of this reversal. */
  reversalId: string;
  /** Omit to reverse everything not yet reversed. */
  amount?: Money;
  idempotencyKey: PaymentIdempotencyKey;
}

export interface ListBalanceTransactionsRequest {
  /** Inclusive lower bound on creation time (ISO 8601). */
  createdFrom?: string;
  /** Exclusive upper bound on creation time (ISO 8601). */
  createdBefore?: string;
  /** Cursor: the last `providerBalanceTransactionId` of the previous page. */
  startingAfter?: string;
  /** 1..100, default 100. */
  limit?: number;
  type?: BalanceTransactionType;
  /** Only transactions in this currency (ISO 4217, any case). */
  currency?: string;
  /**
   * Also read what caused each transaction (the charge, refund, transfer or reversal, with the
   * ids Borderline put in its metadata) into `source`, in the same request (for reconciliation).
   */
  expandSource?: boolean;
}

export interface PaymentError {
  code: string | null;
  declineCode: string | null;
  message: string | null;
}

/** A payment (Stripe PaymentIntent and its latest charge). Timestamps are ISO 8601 strings. */
export interface Payment {
  providerPaymentId: string;
  providerChargeId: string | null;
  orderId: string | null;
  status: PaymentStatus;
  amount: Money;
  amountCapturable: Money;
  amountReceived: Money;
  amountRefunded: Money;
  /** When an uncaptured authorisation lapses (card authorisations: 7 days by default). */
  captureBefore: string | null;
  cancellationReason: string | null;
  lastPaymentError: PaymentError | null;
  createdAt: string;
}

export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export interface PaymentRefund {
  providerRefundId: string;
  refundId: string | null;
  providerPaymentId: string | null;
  providerChargeId: string | null;
  amount: Money;
  status: RefundStatus;
  reason: string | null;
  providerBalanceTransactionId: string | null;
  createdAt: string;
}

export interface MerchantTransfer {
  providerTransferId: string;
  destinationAccountId: string;
  runId: string | null;
  merchantId: string | null;
  amount: Money;
  amountReversed: Money;
  /** True once the whole amount has been reversed. */
  reversed: boolean;
  transferGroup: string | null;
  providerBalanceTransactionId: string | null;
  createdAt: string;
}

export interface TransferReversal {
  providerReversalId: string;
  providerTransferId: string;
  reversalId: string | null;
  amount: Money;
  providerBalanceTransactionId: string | null;
  createdAt: string;
}

/** The balance transaction types Borderline produces (Stripe has many more). */
export type BalanceTransactionType = 'charge' | 'refund' | 'transfer' | 'transfer_refund' | (string & {});

/** One movement of money in the provider's ledger, in the balance's currency. */
export interface BalanceTransaction {
  providerBalanceTransactionId: string;
  type: BalanceTransactionType;
  reportingCategory: string;
  /** Gross amount: positive for money in (charges), negative for money out (refunds, transfers). */
  amount: Money;
  fee: Money;
  /** amount − fee. */
  net: Money;
  /** The charge, refund, transfer or reversal that caused it. */
  sourceId: string | null;
  status: string;
  createdAt: string;
  availableOn: string;
  /** What caused it, read with `expandSource`; absent otherwise. */
  source?: BalanceTransactionSource | null;
}

/**
 * The object behind a balance transaction, with Borderline's ids from its metadata: a charge
 * names its order (`order_id`, copied from the PaymentIntent), a refund our refund id, a
 * transfer its settlement run and merchant, a transfer reversal our reversal id.
 */
export interface BalanceTransactionSource {
  object: 'charge' | 'refund' | 'transfer' | 'transfer_reversal' | 'other';
  id: string;
  /** The PaymentIntent of a charge or refund. */
  providerPaymentId: string | null;
  /** The charge itself, or the charge a refund gives back. */
  providerChargeId: string | null;
  /** The transfer itself, or the transfer a reversal takes back. */
  providerTransferId: string | null;
  orderId: string | null;
  refundId: string | null;
  runId: string | null;
  merchantId: string | null;
  reversalId: string | null;
}

export interface BalanceTransactionPage {
  items: BalanceTransaction[];
  hasMore: boolean;
  /** Pass as `startingAfter` to read the next page; null on the last page. */
  nextStartingAfter: string | null;
}

/** What a provider notification (a Stripe webhook) means to Borderline. */
export type PaymentEventType =
  | 'payment.authorized'
  | 'payment.captured'
  | 'payment.canceled'
  | 'payment.failed'
  | 'payment.refunded'
  | 'transfer.created'
  | 'transfer.reversed'
  | 'other';

export interface PaymentProviderEvent {
  /** The provider's event id (`evt_...`); deliveries can repeat, so deduplicate on it. */
  providerEventId: string;
  type: PaymentEventType;
  /** The provider's own event type, e.g. `payment_intent.succeeded`. */
  providerType: string;
  /** The payment (`pi_...`) or transfer (`tr_...`) the event is about. */
  providerObjectId: string | null;
  orderId: string | null;
  occurredAt: string;
}
