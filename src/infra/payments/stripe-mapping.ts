import type Stripe from 'stripe';
import type {
  BalanceTransaction,
  BalanceTransactionSource,
  MerchantTransfer,
  Payment,
  PaymentRefund,
  PaymentStatus,
  RefundStatus,
  TransferReversal,
} from '../../domain/payments';
import { fromStripeAmount } from '../../domain/payments';

/** Stripe objects → the port's types. Amounts go through Stripe's currency table. */

export const METADATA = {
  orderId: 'order_id',
  refundId: 'refund_id',
  runId: 'payout_run_id',
  merchantId: 'merchant_id',
  reversalId: 'reversal_id',
} as const;

function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value == null) return null;
  return typeof value === 'string' ? value : value.id;
}

function expandedCharge(value: Stripe.PaymentIntent['latest_charge']): Stripe.Charge | null {
  return value != null && typeof value === 'object' ? value : null;
}

export function toPayment(intent: Stripe.PaymentIntent): Payment {
  const charge = expandedCharge(intent.latest_charge);
  const money = (amount: number) => fromStripeAmount(amount, intent.currency);
  const captureBefore = charge?.payment_method_details?.card?.capture_before;
  const error = intent.last_payment_error;
  return {
    providerPaymentId: intent.id,
    providerChargeId: idOf(intent.latest_charge),
    orderId: intent.metadata?.[METADATA.orderId] ?? null,
    status: intent.status as PaymentStatus,
    amount: money(intent.amount),
    amountCapturable: money(intent.amount_capturable),
    amountReceived: money(intent.amount_received),
    amountRefunded: money(charge?.amount_refunded ?? 0),
    captureBefore: typeof captureBefore === 'number' ? isoTime(captureBefore) : null,
    cancellationReason: intent.cancellation_reason ?? null,
    lastPaymentError: error
      ? { code: error.code ?? null, declineCode: error.decline_code ?? null, message: error.message ?? null }
      : null,
    createdAt: isoTime(intent.created),
  };
}

export function toRefund(refund: Stripe.Refund): PaymentRefund {
  return {
    providerRefundId: refund.id,
    refundId: refund.metadata?.[METADATA.refundId] ?? null,
    providerPaymentId: idOf(refund.payment_intent),
    providerChargeId: idOf(refund.charge),
    amount: fromStripeAmount(refund.amount, refund.currency),
    status: (refund.status ?? 'pending') as RefundStatus,
    reason: refund.reason ?? null,
    providerBalanceTransactionId: idOf(refund.balance_transaction),
    createdAt: isoTime(refund.created),
  };
}

export function toTransfer(transfer: Stripe.Transfer): MerchantTransfer {
  return {
    providerTransferId: transfer.id,
    destinationAccountId: idOf(transfer.destination) ?? '',
    runId: transfer.metadata?.[METADATA.runId] ?? null,
    merchantId: transfer.metadata?.[METADATA.merchantId] ?? null,
    amount: fromStripeAmount(transfer.amount, transfer.currency),
    amountReversed: fromStripeAmount(transfer.amount_reversed, transfer.currency),
    reversed: transfer.reversed,
    transferGroup: transfer.transfer_group ?? null,
    providerBalanceTransactionId: idOf(transfer.balance_transaction),
    createdAt: isoTime(transfer.created),
  };
}

export function toReversal(reversal: Stripe.TransferReversal): TransferReversal {
  return {
    providerReversalId: reversal.id,
    providerTransferId: idOf(reversal.transfer) ?? '',
    reversalId: reversal.metadata?.[METADATA.reversalId] ?? null,
    amount: fromStripeAmount(reversal.amount, reversal.currency),
    providerBalanceTransactionId: idOf(reversal.balance_transaction),
    createdAt: isoTime(reversal.created),
  };
}

export function toBalanceTransaction(transaction: Stripe.BalanceTransaction): BalanceTransaction {
  const money = (amount: number) => fromStripeAmount(amount, transaction.currency);
  const source = transaction.source;
  return {
    providerBalanceTransactionId: transaction.id,
    type: transaction.type,
    reportingCategory: transaction.reporting_category,
    amount: money(transaction.amount),
    fee: money(transaction.fee),
    net: money(transaction.net),
    sourceId: idOf(source as string | { id: string } | null),
    status: transaction.status,
    createdAt: isoTime(transaction.created),
    availableOn: isoTime(transaction.available_on),
    // Only when the list was asked to expand `data.source`: then the source is an object.
    ...(source !== null && typeof source === 'object' ? { source: toBalanceTransactionSource(source) } : {}),
  };
}

/** An expanded balance transaction source → the ids Borderline wrote into it (METADATA). */
export function toBalanceTransactionSource(
  source: Stripe.BalanceTransactionSource,
): BalanceTransactionSource {
  const metadata: Record<string, string> =
    'metadata' in source && source.metadata ? (source.metadata as Record<string, string>) : {};
  const read = (key: string) => metadata[key] ?? null;
  const base: BalanceTransactionSource = {
    object: 'other',
    id: source.id,
    providerPaymentId: null,
    providerChargeId: null,
    providerTransferId: null,
    orderId: read(METADATA.orderId),
    refundId: read(METADATA.refundId),
    runId: read(METADATA.runId),
    merchantId: read(METADATA.merchantId),
    reversalId: read(METADATA.reversalId),
  };
  switch (source.object) {
    case 'charge':
      return {
        ...base,
        object: 'charge',
        providerPaymentId: idOf(source.payment_intent),
        providerChargeId: source.id,
      };
    case 'refund':
      return {
        ...base,
        object: 'refund',
        providerPaymentId: idOf(source.payment_intent),
        providerChargeId: idOf(source.charge),
      };
    case 'transfer':
      return { ...base, object: 'transfer', providerTransferId: source.id };
    case 'transfer_reversal':
      return { ...base, object: 'transfer_reversal', providerTransferId: idOf(source.transfer) };
    default:
      return base;
  }
}
