import type { TestCard } from './test-payment-methods';

/**
 * The sandbox's memory: what Stripe would hold for one test-mode account. Records keep the facts;
 * `render.ts` turns them into the JSON objects Stripe returns.
 */
export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export interface LastPaymentError {
  type: 'card_error';
  code: string;
  decline_code: string;
  message: string;
  advice_code?: string;
  param?: string;
  charge: string;
  payment_method_id: string;
}

export interface PaymentIntentRecord {
  id: string;
  created: number;
  amount: number;
  currency: string;
  captureMethod: 'automatic' | 'automatic_async' | 'manual';
  status: PaymentIntentStatus;
  amountCapturable: number;
  amountReceived: number;
  paymentMethod: string | null;
  latestCharge: string | null;
  canceledAt: number | null;
  cancellationReason: string | null;
  lastPaymentError: LastPaymentError | null;
  metadata: Record<string, string>;
  description: string | null;
  transferGroup: string | null;
  clientSecret: string;
  paymentMethodTypes: string[];
  automaticPaymentMethods: { enabled: boolean; allow_redirects?: string } | null;
  customer: string | null;
}

export interface ChargeRecord {
  id: string;
  created: number;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  captured: boolean;
  currency: string;
  paymentIntent: string;
  paymentMethod: string;
  card: TestCard;
  status: 'succeeded' | 'failed';
  failureCode: string | null;
  failureMessage: string | null;
  declineCode: string | null;
  balanceTransaction: string | null;
  /** Unix seconds after which an uncaptured authorisation lapses. */
  captureBefore: number | null;
  metadata: Record<string, string>;
  description: string | null;
  transferGroup: string | null;
  refundIds: string[];
}

export interface RefundRecord {
  id: string;
  created: number;
  amount: number;
  currency: string;
  charge: string;
  paymentIntent: string;
  reason: string | null;
  status: 'succeeded';
  balanceTransaction: string;
  metadata: Record<string, string>;
}

export interface TransferRecord {
  id: string;
  created: number;
  amount: number;
  amountReversed: number;
  currency: string;
  destination: string;
  destinationPayment: string;
  transferGroup: string | null;
  description: string | null;
  sourceTransaction: string | null;
  metadata: Record<string, string>;
  balanceTransaction: string;
  reversalIds: string[];
}

export interface TransferReversalRecord {
  id: string;
  created: number;
  amount: number;
  currency: string;
  transfer: string;
  destinationPaymentRefund: string;
  balanceTransaction: string;
  metadata: Record<string, string>;
}

export type BalanceTransactionType = 'charge' | 'refund' | 'transfer' | 'transfer_refund';

export interface BalanceTransactionRecord {
  id: string;
  created: number;
  availableOn: number;
  amount: number;
  fee: number;
  currency: string;
  type: BalanceTransactionType;
  reportingCategory: string;
  source: string;
  description: string | null;
}

export interface EventRecord {
  id: string;
  created: number;
  type: string;
  apiVersion: string;
  object: Record<string, unknown>;
  previousAttributes?: Record<string, unknown>;
  request: { id: string | null; idempotency_key: string | null };
  pendingWebhooks: number;
}

export interface StripeStateSnapshot {
  paymentIntents: PaymentIntentRecord[];
  charges: ChargeRecord[];
  refunds: RefundRecord[];
  transfers: TransferRecord[];
  transferReversals: TransferReversalRecord[];
  balanceTransactions: BalanceTransactionRecord[];
  events: EventRecord[];
}

export class StripeState {
  readonly paymentIntents = new Map<string, PaymentIntentRecord>();
  readonly charges = new Map<string, ChargeRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  readonly transfers = new Map<string, TransferRecord>();
  readonly transferReversals = new Map<string, TransferReversalRecord>();
  /** In creation order; lists show them newest first. */
  readonly balanceTransactions: BalanceTransactionRecord[] = [];
  readonly events: EventRecord[] = [];

  balanceTransaction(id: string): BalanceTransactionRecord | undefined {
    return this.balanceTransactions.find((transaction) => transaction.id === id);
  }

  /** Everything it holds, as JSON-ready data (the sandbox's snapshot file, shared/snapshot.ts). */
  snapshot(): StripeStateSnapshot {
    return {
      paymentIntents: [...this.paymentIntents.values()],
      charges: [...this.charges.values()],
      refunds: [...this.refunds.values()],
      transfers: [...this.transfers.values()],
      transferReversals: [...this.transferReversals.values()],
      balanceTransactions: [...this.balanceTransactions],
      events: [...this.events],
    };
  }

  restore(data: StripeStateSnapshot): void {
    this.reset();
    for (const record of data.paymentIntents) this.paymentIntents.set(record.id, record);
    for (const record of data.charges) this.charges.set(record.id, record);
    for (const record of data.refunds) this.refunds.set(record.id, record);
    for (const record of data.transfers) this.transfers.set(record.id, record);
    for (const record of data.transferReversals) this.transferReversals.set(record.id, record);
    // Loops, not push(...): a long dev history would exceed the arguments a call can take.
    for (const transaction of data.balanceTransactions) this.balanceTransactions.push(transaction);
    for (const event of data.events) this.events.push(event);
  }

  reset(): void {
    this.paymentIntents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.transfers.clear();
    this.transferReversals.clear();
    this.balanceTransactions.length = 0;
    this.events.length = 0;
  }
}
