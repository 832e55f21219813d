import { toSafeAmount } from '../money';
import type { Money } from '../money/types';
import { parseAccountCode, type AccountKind } from './accounts';
import type { EntryKind } from './entry';

/** One of an order's entries, as much as its money summary reads. */
export interface OrderMoneyEntry {
  readonly kind: EntryKind;
  /** For a reversal: the kind of the entry it reverses (it counts as that kind, negated). */
  readonly reversedKind: EntryKind | null;
  readonly lines: readonly { readonly account: string; readonly amount: Money }[];
}

/**
 * Where one order's money went, in one currency, in minor units: what the buyer paid and got back,
 * and who holds the rest. Amounts are on each side's normal balance (what is owed to the merchant
 * is positive), net of reversals and of what refunds took back.
 */
export interface OrderMoney {
  readonly currency: string;
  /** Taken from the buyer (captures, on processor clearing). */
  readonly captured: number;
  /** Given back to the buyer (refunds, on processor clearing). */
  readonly refunded: number;
  /** Kept by the payment processor (booked by reconciliation). */
  readonly processorFees: number;
  /** Earned by the platform: its percentage and fixed fees. */
  readonly platformFees: number;
  /** Owed to the merchant: payable and reserve. */
  readonly merchant: number;
  /** Owed to the carrier for the label. */
  readonly carrier: number;
  /** Owed to the destination's customs and tax authorities. */
  readonly dutiesAndTaxes: number;
}

type Bucket = Exclude<keyof OrderMoney, 'currency'>;

/** Which bucket an account's lines go to, and with which sign (credit-normal accounts negated). */
const BY_ACCOUNT: Partial<Record<AccountKind, { bucket: Bucket; sign: 1n | -1n }>> = {
  processor_fees: { bucket: 'processorFees', sign: 1n },
  platform_fee_revenue: { bucket: 'platformFees', sign: -1n },
  merchant_payable: { bucket: 'merchant', sign: -1n },
  merchant_reserve: { bucket: 'merchant', sign: -1n },
  carrier_payable: { bucket: 'carrier', sign: -1n },
  duties_payable: { bucket: 'dutiesAndTaxes', sign: -1n },
  tax_payable: { bucket: 'dutiesAndTaxes', sign: -1n },
};

const BUCKETS: readonly Bucket[] = [
  'captured',
  'refunded',
  'processorFees',
  'platformFees',
  'merchant',
  'carrier',
  'dutiesAndTaxes',
];

/**
 * Sums an order's entries into where its money went, per currency (sorted by code). Processor
 * clearing counts as captured for captures and as refunded for refunds (a reversal as the kind it
 * reverses); other accounts by their kind. FX clearing and other platform accounts are left out:
 * the entries themselves show them. Pure; amounts beyond safe integers are refused.
 */
export function orderMoney(entries: readonly OrderMoneyEntry[]): OrderMoney[] {
  const sums = new Map<string, Record<Bucket, bigint>>();
  for (const entry of entries) {
    const kind = entry.kind === 'reversal' ? entry.reversedKind : entry.kind;
    for (const line of entry.lines) {
      const account = parseAccountCode(line.account);
      let target: { bucket: Bucket; sign: 1n | -1n } | undefined = BY_ACCOUNT[account.kind];
      if (account.kind === 'processor_clearing') {
        if (kind === 'capture') target = { bucket: 'captured', sign: 1n };
        else if (kind === 'refund') target = { bucket: 'refunded', sign: -1n };
      }
      if (!target) continue;
      let currency = sums.get(line.amount.currency);
      if (!currency) {
        currency = Object.fromEntries(BUCKETS.map((b) => [b, 0n])) as Record<Bucket, bigint>;
        sums.set(line.amount.currency, currency);
      }
      currency[target.bucket] += target.sign * BigInt(line.amount.amount);
    }
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, s]) => ({
      currency,
      ...(Object.fromEntries(BUCKETS.map((b) => [b, toSafeAmount(s[b], b)])) as Record<Bucket, number>),
    }));
}
