import type { LedgerItem, MovementCategory, ProcessorItem } from './types';

/**
 * Match keys: the business movement both records name, so that a processor transaction and the
 * journal entries of the same movement land on the same key.
 *
 * | Processor transaction (type)  | read from its source                          | key                             | Ledger entry (business key)                  |
 * | ----------------------------- | --------------------------------------------- | ------------------------------- | -------------------------------------------- |
 * | charge                        | charge metadata `order_id`                    | `order:<orderId>`               | `order:<orderId>:capture`                    |
 * | refund                        | refund metadata `refund_id` (our refund id)   | `refund:<refundId>`             | `refund:<refundId>`                          |
 * | transfer                      | metadata `payout_run_id`, `merchant_id`       | `payout:<runId>:<merchantId>`   | `payout:<runId>:<merchantId>`                |
 * | transfer_refund (a reversal)  | reversal metadata `reversal_id`               | `payout-reversal:<reversalId>`  | `payout-reversal:<runId>:<merchantId>:<id>`  |
 *
 * A reversal entry joins the key of the entry it reverses. Anything else gets a key of its own
 * (`processor:<type>:<id>`, `ledger:<businessKey>`) that nothing else can share, so it ends up
 * missing or extra.
 */
export interface MatchIdentity {
  readonly key: string;
  readonly category: MovementCategory;
  /** The order the movement belongs to, when the key or the item names it. */
  readonly orderId: string | null;
}

/** Processor transaction types that are the processor's own fees, not movements to match. */
export const PROCESSOR_FEE_TYPES: ReadonlySet<string> = new Set(['stripe_fee', 'stripe_fx_fee']);

/** Ledger entry kinds that book the processor's fees (compared as totals, not matched). */
export const LEDGER_FEE_KINDS: ReadonlySet<string> = new Set(['processor_fee']);

const CHARGE_TYPES = new Set(['charge', 'payment']);
const REFUND_TYPES = new Set(['refund', 'payment_refund']);

export function isProcessorFee(item: ProcessorItem): boolean {
  return PROCESSOR_FEE_TYPES.has(item.type);
}

export function isLedgerFee(item: LedgerItem): boolean {
  return LEDGER_FEE_KINDS.has(item.reversedKind ?? item.kind);
}

export function processorIdentity(item: ProcessorItem): MatchIdentity {
  const fallback = (category: MovementCategory): MatchIdentity => ({
    key: `processor:${item.type}:${item.sourceId ?? item.transactionId}`,
    category,
    orderId: item.orderId,
  });
  if (CHARGE_TYPES.has(item.type)) {
    return item.orderId
      ? { key: `order:${item.orderId}`, category: 'charge', orderId: item.orderId }
      : fallback('charge');
  }
  if (REFUND_TYPES.has(item.type)) {
    return item.refundId
      ? { key: `refund:${item.refundId}`, category: 'refund', orderId: item.orderId }
      : fallback('refund');
  }
  if (item.type === 'transfer') {
    return item.runId && item.merchantId
      ? { key: `payout:${item.runId}:${item.merchantId}`, category: 'transfer', orderId: null }
      : fallback('transfer');
  }
  if (item.type === 'transfer_refund') {
    return item.reversalId
      ? { key: `payout-reversal:${item.reversalId}`, category: 'transfer_reversal', orderId: null }
      : fallback('transfer_reversal');
  }
  return { key: `processor:${item.type}:${item.transactionId}`, category: 'other', orderId: item.orderId };
}

const CAPTURE_KEY = /^order:([^:]+):capture$/;
const REFUND_KEY = /^refund:([^:]+)$/;
const PAYOUT_KEY = /^payout:([^:]+):([^:]+)$/;
const PAYOUT_REVERSAL_KEY = /^payout-reversal:([^:]+):([^:]+):([^:]+)$/;

/** The business key an entry is matched under: a reversal's is the reversed entry's. */
export function effectiveBusinessKey(item: LedgerItem): string {
  return item.kind === 'reversal' && item.reversedBusinessKey ? item.reversedBusinessKey : item.businessKey;
}

export function ledgerIdentity(item: LedgerItem): MatchIdentity {
  const key = effectiveBusinessKey(item);
  const capture = CAPTURE_KEY.exec(key);
  if (capture) return { key: `order:${capture[1]!}`, category: 'charge', orderId: capture[1]! };
  const refund = REFUND_KEY.exec(key);
  if (refund) return { key, category: 'refund', orderId: item.orderId };
  const payout = PAYOUT_KEY.exec(key);
  if (payout) return { key, category: 'transfer', orderId: null };
  const reversal = PAYOUT_REVERSAL_KEY.exec(key);
  if (reversal)
    return { key: `payout-reversal:${reversal[3]!}`, category: 'transfer_reversal', orderId: null };
  return { key: `ledger:${key}`, category: 'other', orderId: item.orderId };
}

/**
 * The ledger business keys that would match a processor transaction (what to look up in the
 * ledger outside the period). Transfer reversals are looked up by their reversal id.
 */
export function ledgerKeysFor(item: ProcessorItem): { businessKeys: string[]; reversalIds: string[] } {
  const identity = processorIdentity(item);
  if (identity.key.startsWith('order:'))
    return { businessKeys: [`${identity.key}:capture`], reversalIds: [] };
  if (identity.category === 'refund' || identity.category === 'transfer') {
    return identity.key.startsWith('processor:')
      ? { businessKeys: [], reversalIds: [] }
      : { businessKeys: [identity.key], reversalIds: [] };
  }
  if (identity.category === 'transfer_reversal' && item.reversalId) {
    return { businessKeys: [], reversalIds: [item.reversalId] };
  }
  return { businessKeys: [], reversalIds: [] };
}
