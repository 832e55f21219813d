import type { Money } from '../money/types';

/**
 * Reconciliation compares the payment processor's record of money moved (Stripe's balance
 * transactions) with the ledger's record of the same movements (journal entries touching
 * `processor_clearing:<processor>:<CCY>`), for one period and one currency. Every value here is
 * JSON-safe (ISO strings, safe integers): it travels through activities and into JSONB as is.
 */

/** What a movement is, on either side. */
export const MOVEMENT_CATEGORIES = ['charge', 'refund', 'transfer', 'transfer_reversal', 'other'] as const;
export type MovementCategory = (typeof MOVEMENT_CATEGORIES)[number];

/** The three ways the two records can disagree. */
export const MISMATCH_KINDS = ['missing', 'extra', 'different_amount'] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

/**
 * One processor balance transaction, with what its source says about it. Amounts are signed
 * minor units of our `Money` (Stripe's own units converted by the adapter): money in positive
 * (charges, transfer reversals), money out negative (refunds, transfers).
 */
export interface ProcessorItem {
  /** `txn_…` */
  readonly transactionId: string;
  /** Stripe's type: charge, refund, transfer, transfer_refund, payout, stripe_fee, … */
  readonly type: string;
  readonly amount: number;
  /** The processor's fee on it (positive: what it cost). */
  readonly fee: number;
  readonly currency: string;
  readonly createdAt: string;
  /** `ch_…`, `re_…`, `tr_…`, `trr_…` */
  readonly sourceId: string | null;
  readonly paymentIntentId: string | null;
  readonly chargeId: string | null;
  readonly transferId: string | null;
  /** The order: the charge's metadata, or (refunds) the order whose PaymentIntent it refunds. */
  readonly orderId: string | null;
  /** Our refund id (the refund's metadata): its ledger entry is `refund:<refundId>`. */
  readonly refundId: string | null;
  /** Settlement run and merchant of a transfer (its metadata): `payout:<runId>:<merchantId>`. */
  readonly runId: string | null;
  readonly merchantId: string | null;
  /** Our id of a transfer reversal (its metadata). */
  readonly reversalId: string | null;
}

/**
 * One journal entry that moved money on the processor's clearing account, with that movement:
 * the sum of its lines on `processor_clearing:<processor>:<CCY>` (debit positive).
 */
export interface LedgerItem {
  readonly entryId: string;
  readonly businessKey: string;
  /** The entry's kind: capture, refund, payout, reversal, processor_fee, adjustment, … */
  readonly kind: string;
  readonly orderId: string | null;
  readonly merchantId: string | null;
  readonly occurredAt: string;
  readonly amount: number;
  readonly currency: string;
  /** For a reversal: the business key and kind of the entry it reverses (it joins that entry's match). */
  readonly reversedBusinessKey: string | null;
  readonly reversedKind: string | null;
}

export interface Period {
  /** Inclusive (ISO 8601). */
  readonly from: string;
  /** Exclusive (ISO 8601). */
  readonly to: string;
}

export interface ReconcileInput {
  readonly period: Period;
  readonly currency: string;
  /**
   * The processor's transactions of the period, and around it: those outside the period are only
   * counterparts of ledger entries inside it (a capture is posted when the parcel is delivered,
   * days after the charge) and are never reported on their own.
   */
  readonly processor: readonly ProcessorItem[];
  /** The ledger's entries of the period, and entries outside it that carry the key of a transaction in it. */
  readonly ledger: readonly LedgerItem[];
}

/** A processor transaction as a mismatch or match shows it. */
export interface ProcessorRef {
  readonly transactionId: string;
  readonly type: string;
  readonly sourceId: string | null;
  readonly paymentIntentId: string | null;
  readonly amount: Money;
  readonly fee: Money;
  readonly createdAt: string;
  readonly inPeriod: boolean;
}

/** A journal entry as a mismatch or match shows it. */
export interface LedgerRef {
  readonly entryId: string;
  readonly businessKey: string;
  readonly kind: string;
  /** Its movement on the processor clearing account. */
  readonly amount: Money;
  readonly occurredAt: string;
  readonly inPeriod: boolean;
}

/** Everything both records say about one business movement (one match key). */
export interface MatchGroup {
  /** `order:<orderId>`, `refund:<refundId>`, `payout:<runId>:<merchantId>`, `payout-reversal:<reversalId>`, … */
  readonly matchKey: string;
  readonly category: MovementCategory;
  readonly orderId: string | null;
  readonly processor: readonly ProcessorRef[];
  readonly ledger: readonly LedgerRef[];
  /** Σ processor amounts, null when the processor has none. */
  readonly processorAmount: Money | null;
  /** Σ ledger movements, null when the ledger has none. */
  readonly ledgerAmount: Money | null;
}

export interface Mismatch extends MatchGroup {
  readonly kind: MismatchKind;
  /** processor − ledger (a missing entry: the processor amount; an extra one: minus the ledger's). */
  readonly difference: Money;
  /** What finance should know, in a sentence. */
  readonly reason: string;
}

export type MatchNote =
  /** Amounts agree. */
  | 'matched'
  /** Amounts agree; part of the match lies outside the period (a timing difference). */
  | 'matched_across_periods'
  /**
   * Charged and refunded in full at the processor, never posted to the ledger: an order cancelled
   * after its capture (the ledger posts captures on delivery). Clearing is unaffected.
   */
  | 'unposted_net_zero'
  /** Posted and reversed in the ledger, nothing at the processor. */
  | 'ledger_net_zero';

export interface Match extends MatchGroup {
  readonly note: MatchNote;
}

export interface FeeSummary {
  /** Σ the processor's fees on the period's transactions. */
  readonly processor: Money;
  /** Σ fees the ledger booked in the period (entries of kind processor_fee). */
  readonly ledger: Money;
  /** processor − ledger. */
  readonly difference: Money;
  /** Whether the ledger booked any processor fee in the period. */
  readonly ledgerPostsFees: boolean;
  readonly note: string;
}

export interface ReconciliationCounts {
  /** The period's processor transactions and ledger entries (the items reconciled). */
  readonly processorTransactions: number;
  readonly ledgerEntries: number;
  readonly matched: number;
  readonly missing: number;
  readonly extra: number;
  readonly differentAmount: number;
  /** Of the matches: how many reach outside the period, and how many net to zero unposted. */
  readonly matchedAcrossPeriods: number;
  readonly unpostedNetZero: number;
}

export interface ReconciliationTotals {
  /** Σ the period's processor amounts (gross), fees and net (gross − fees). */
  readonly processorGross: Money;
  readonly processorFees: Money;
  readonly processorNet: Money;
  /** Σ the period's ledger movements on processor clearing (fee entries included). */
  readonly ledgerClearing: Money;
}

export interface ReconciliationResult {
  readonly period: Period;
  readonly currency: string;
  readonly counts: ReconciliationCounts;
  readonly totals: ReconciliationTotals;
  readonly fees: FeeSummary;
  readonly matches: readonly Match[];
  readonly mismatches: readonly Mismatch[];
}
