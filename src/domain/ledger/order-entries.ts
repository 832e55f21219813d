import { AppError } from '../../errors';
import { allocate, basisPoints, money, multiply, type Money } from '../money';
import { accounts } from './accounts';
import {
  checkId,
  credit,
  debit,
  ledgerEntry,
  ledgerKeys,
  type LedgerEntryDraft,
  type LedgerLine,
} from './entry';

/**
 * Entry builders for an order's money: what a capture owes to whom, and how a refund takes it
 * back. Pure and deterministic (no clock, no I/O): the saga may build entries in the workflow or
 * in an activity. The rules, with a worked example, are in README.md beside this file.
 */

/** The processor whose clearing account captures and refunds go through. */
export const DEFAULT_PROCESSOR = 'stripe';

/** A merchant's fee terms (columns of `merchants`). */
export interface MerchantFeeTerms {
  /** Platform fee in basis points of goods + shipping (0 to 10 000), rounded half-even. */
  readonly platformFeeBps: number;
  /** Fixed platform fee per captured order, in the merchant's settlement currency (may be 0). */
  readonly platformFeeFixed: Money;
  /** Share of the merchant's net proceeds held in reserve, in basis points (0 to 10 000). */
  readonly reserveBps: number;
  /** Days the reserve is held before release (used by settlement, not by these builders). */
  readonly reserveDays: number;
}

/** Defaults of new merchants (the column defaults of the ledger migration). */
export const DEFAULT_FEE_TERMS = {
  platformFeeBps: 290,
  platformFeeFixedMinor: 0,
  reserveBps: 0,
  reserveDays: 0,
} as const;

/** What the buyer paid at checkout, by component, in the order currency. */
export interface CheckoutBreakdown {
  readonly goods: Money;
  readonly shipping: Money;
  /** Duties collected at checkout (DDP); zero when they are due on delivery or there are none. */
  readonly duties: Money;
  /** VAT/GST collected at checkout; zero otherwise. */
  readonly taxes: Money;
  /** Customs fees collected at checkout (e.g. processing fees); zero otherwise. */
  readonly customsFees: Money;
}

export interface OrderCaptureInput {
  readonly orderId: string;
  readonly merchantId: string;
  /** ISO 3166-1 alpha-2: the authority duties and taxes are owed to. */
  readonly destinationCountry: string;
  /** What was captured: the order currency and total. Must equal the breakdown's sum. */
  readonly captured: Money;
  readonly breakdown: CheckoutBreakdown;
  /**
   * The label bought for the order. `cost` is the carrier's price in its own currency; when that
   * is not the order currency, `costInOrderCurrency` is the same cost converted by the caller
   * (with a recorded rate) and the difference of currencies goes through FX clearing.
   * null: no label bought by the platform.
   */
  readonly carrier: {
    readonly carrierId: string;
    readonly cost: Money;
    readonly costInOrderCurrency?: Money;
  } | null;
  readonly feeTerms: MerchantFeeTerms;
  /** Defaults to `stripe`. */
  readonly processor?: string;
  readonly occurredAt: Date | string;
  readonly description?: string;
}

/** The capture's amounts, component by component (all in the order currency unless stated). */
export interface CaptureSplit {
  readonly currency: string;
  readonly captured: Money;
  /** goods + shipping: the merchant's sale, the base of the percentage fee. */
  readonly gross: Money;
  /** Percentage platform fee: gross × bps / 10 000, half-even. */
  readonly platformFee: Money;
  /** Fixed platform fee, in the merchant's settlement currency. */
  readonly platformFeeFixed: Money;
  readonly carrierCost: Money;
  /** gross − platformFee − carrierCost (may be negative). */
  readonly merchantNet: Money;
  /** merchantNet × reserveBps / 10 000, half-even, when merchantNet is positive; else zero. */
  readonly reserve: Money;
  /** merchantNet − reserve: credited to merchant payable. */
  readonly merchantPayable: Money;
  /** duties + customs fees. */
  readonly duties: Money;
  readonly taxes: Money;
}

function nonNegative(m: Money, currency: string, field: string): Money {
  const checked = money(m?.amount, m?.currency, field);
  if (checked.currency !== currency) {
    throw new AppError('VALIDATION_FAILED', `${field} must be in the order currency ${currency}`, {
      field: `${field}.currency`,
    });
  }
  if (checked.amount < 0) {
    throw new AppError('VALIDATION_FAILED', `${field} must not be negative`, { field });
  }
  return checked;
}

function checkBps(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > 10_000) {
    throw new AppError('VALIDATION_FAILED', `${field} must be an integer from 0 to 10000 basis points`, {
      field,
    });
  }
  return value;
}

function m(amount: bigint, currency: string): Money {
  return money(amount, currency);
}

/** Checks a capture input and computes each component (the rules of README.md). */
export function splitCapture(input: OrderCaptureInput): CaptureSplit {
  checkId(input.orderId, 'orderId');
  checkId(input.merchantId, 'merchantId');
  if (typeof input.destinationCountry !== 'string' || !/^[A-Z]{2}$/.test(input.destinationCountry)) {
    throw new AppError('VALIDATION_FAILED', 'destinationCountry must be an ISO 3166-1 alpha-2 code', {
      field: 'destinationCountry',
    });
  }
  const currency = money(input.captured?.amount, input.captured?.currency, 'captured').currency;
  const captured = nonNegative(input.captured, currency, 'captured');
  if (captured.amount === 0) {
    throw new AppError('VALIDATION_FAILED', 'a capture posts a positive amount', {
      field: 'captured.amount',
    });
  }
  const b = input.breakdown;
  const goods = nonNegative(b?.goods, currency, 'breakdown.goods');
  const shipping = nonNegative(b?.shipping, currency, 'breakdown.shipping');
  const duties = nonNegative(b?.duties, currency, 'breakdown.duties');
  const taxes = nonNegative(b?.taxes, currency, 'breakdown.taxes');
  const customsFees = nonNegative(b?.customsFees, currency, 'breakdown.customsFees');
  const parts = [goods, shipping, duties, taxes, customsFees].reduce((s, x) => s + BigInt(x.amount), 0n);
  if (parts !== BigInt(captured.amount)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `captured ${captured.amount} is not goods + shipping + duties + taxes + customs fees collected at checkout (${parts})`,
      { field: 'captured.amount', details: { captured: captured.amount, breakdown: parts.toString() } },
    );
  }

  const terms = input.feeTerms;
  const feeBps = checkBps(terms?.platformFeeBps, 'feeTerms.platformFeeBps');
  const reserveBps = checkBps(terms?.reserveBps, 'feeTerms.reserveBps');
  const fixed = money(
    terms?.platformFeeFixed?.amount,
    terms?.platformFeeFixed?.currency,
    'feeTerms.platformFeeFixed',
  );
  if (fixed.amount < 0) {
    throw new AppError('VALIDATION_FAILED', 'feeTerms.platformFeeFixed must not be negative', {
      field: 'feeTerms.platformFeeFixed',
    });
  }

  let carrierCost = m(0n, currency);
  if (input.carrier !== null && input.carrier !== undefined) {
    checkId(input.carrier.carrierId, 'carrier.carrierId');
    const cost = money(input.carrier.cost?.amount, input.carrier.cost?.currency, 'carrier.cost');
    if (cost.amount < 0) {
      throw new AppError('VALIDATION_FAILED', 'carrier.cost must not be negative', { field: 'carrier.cost' });
    }
    if (cost.currency === currency) {
      carrierCost = cost;
    } else if (input.carrier.costInOrderCurrency === undefined) {
      throw new AppError(
        'VALIDATION_FAILED',
        `carrier.cost is in ${cost.currency}, not the order currency ${currency}: give carrier.costInOrderCurrency (converted with a recorded rate)`,
        { field: 'carrier.costInOrderCurrency' },
      );
    } else {
      carrierCost = nonNegative(input.carrier.costInOrderCurrency, currency, 'carrier.costInOrderCurrency');
      if ((carrierCost.amount === 0) !== (cost.amount === 0)) {
        throw new AppError(
          'VALIDATION_FAILED',
          'carrier.costInOrderCurrency is zero exactly when carrier.cost is',
          {
            field: 'carrier.costInOrderCurrency',
          },
        );
      }
    }
  }

  const gross = m(BigInt(goods.amount) + BigInt(shipping.amount), currency);
  const platformFee = multiply(gross, basisPoints(feeBps), 'HALF_EVEN');
  const merchantNet = m(
    BigInt(gross.amount) - BigInt(platformFee.amount) - BigInt(carrierCost.amount),
    currency,
  );
  const reserve =
    merchantNet.amount > 0 ? multiply(merchantNet, basisPoints(reserveBps), 'HALF_EVEN') : m(0n, currency);
  return {
    currency,
    captured,
    gross,
    platformFee,
    platformFeeFixed: fixed,
    carrierCost,
    merchantNet,
    reserve,
    merchantPayable: m(BigInt(merchantNet.amount) - BigInt(reserve.amount), currency),
    duties: m(BigInt(duties.amount) + BigInt(customsFees.amount), currency),
    taxes,
  };
}

/** Adds `line` unless its amount is zero (the ledger has no zero lines). */
function push(lines: LedgerLine[], line: LedgerLine): void {
  if (line.amount.amount !== 0) lines.push(line);
}

/**
 * The entry for a captured order (`order:<orderId>:capture`, kind `capture`):
 *   debit  processor_clearing:<processor>:<CCY>   captured total
 *   credit merchant_payable:<merchant>:<CCY>      goods + shipping − fee − carrier − reserve
 *   credit merchant_reserve:<merchant>:<CCY>      reserve
 *   credit platform_fee_revenue:<CCY>             percentage fee
 *   credit duties_payable:<country>:<CCY>         duties + customs fees collected at checkout
 *   credit tax_payable:<country>:<CCY>            taxes collected at checkout
 *   credit carrier_payable:<carrier>:<CCY>        label cost (same currency), or through FX clearing
 *   debit  merchant_payable:<merchant>:<SCCY>     fixed fee   } in the merchant's settlement
 *   credit platform_fee_revenue:<SCCY>            fixed fee   } currency
 * Zero amounts are left out; a negative merchant share becomes a debit.
 */
export function orderCaptureEntry(input: OrderCaptureInput): LedgerEntryDraft {
  const split = splitCapture(input);
  const { currency } = split;
  const processor = input.processor ?? DEFAULT_PROCESSOR;
  const country = input.destinationCountry;
  const lines: LedgerLine[] = [];
  push(lines, debit(accounts.processorClearing(processor, currency), split.captured));
  push(lines, credit(accounts.merchantPayable(input.merchantId, currency), split.merchantPayable));
  push(lines, credit(accounts.merchantReserve(input.merchantId, currency), split.reserve));
  push(lines, credit(accounts.platformFeeRevenue(currency), split.platformFee));
  push(lines, credit(accounts.dutiesPayable(country, currency), split.duties));
  push(lines, credit(accounts.taxPayable(country, currency), split.taxes));
  if (input.carrier && input.carrier.cost.amount !== 0) {
    const cost = money(input.carrier.cost.amount, input.carrier.cost.currency);
    if (cost.currency === currency) {
      push(lines, credit(accounts.carrierPayable(input.carrier.carrierId, currency), cost));
    } else {
      // The platform sets aside the converted cost in the order currency and owes the carrier
      // in the carrier's currency; fx_clearing holds the two legs until the conversion is booked.
      push(lines, credit(accounts.fxClearing(currency), split.carrierCost));
      push(lines, debit(accounts.fxClearing(cost.currency), cost));
      push(lines, credit(accounts.carrierPayable(input.carrier.carrierId, cost.currency), cost));
    }
  }
  const fixed = split.platformFeeFixed;
  push(lines, debit(accounts.merchantPayable(input.merchantId, fixed.currency), fixed));
  push(lines, credit(accounts.platformFeeRevenue(fixed.currency), fixed));
  return ledgerEntry({
    businessKey: ledgerKeys.capture(input.orderId),
    kind: 'capture',
    orderId: input.orderId,
    merchantId: input.merchantId,
    description: input.description ?? `Capture of order ${input.orderId}`,
    occurredAt: input.occurredAt,
    lines,
  });
}

/** One component of a capture that refunds take back, on its account. */
export interface RefundComponent {
  readonly account: string;
  readonly captured: Money;
  readonly alreadyRefunded: Money;
  readonly remaining: Money;
}

/** An entry already posted for the order: only these fields are read. */
export interface PostedEntryLike {
  /** The posted entry's id (needed to match a reversal with the refund it reverses). */
  readonly id?: string;
  readonly businessKey: string;
  readonly kind: LedgerEntryDraft['kind'];
  readonly orderId: string | null;
  readonly reversesEntryId?: string | null;
  readonly lines: readonly LedgerLine[];
}

export interface OrderRefundInput {
  /** The refund's business id: the entry's key is `refund:<refundId>`. */
  readonly refundId: string;
  /** The order's capture, as it was given to orderCaptureEntry. */
  readonly capture: OrderCaptureInput;
  /** Refunded to the buyer, in the order currency; at most what is left to refund. */
  readonly amount: Money;
  /**
   * The order's entries posted so far (e.g. LedgerStore.entriesForOrder). Its refunds, and
   * reversals of those refunds, count as already taken; other entries (the capture, ...) and an
   * entry with this refund's own key are ignored. LedgerStore.postOrderRefund reads them itself.
   */
  readonly earlierEntries: readonly PostedEntryLike[];
  readonly occurredAt: Date | string;
  readonly description?: string;
}

/**
 * What each refundable component of the capture was, what earlier refunds took and what is left:
 * the merchant's sale net of the percentage fee (gross − platformFee, on merchant payable), the
 * percentage fee, duties (+ customs fees) and taxes. They sum to the captured total. The carrier
 * cost, the reserve and the fixed fee are not refundable components (README.md says why).
 * `exceptKey`: the business key of the refund being built, never counted as earlier.
 */
export function refundComponents(
  capture: OrderCaptureInput,
  earlierEntries: readonly PostedEntryLike[] = [],
  exceptKey?: string,
): RefundComponent[] {
  const split = splitCapture(capture);
  const { currency } = split;
  const country = capture.destinationCountry;
  const base: [string, Money][] = [
    [
      accounts.merchantPayable(capture.merchantId, currency),
      m(BigInt(split.gross.amount) - BigInt(split.platformFee.amount), currency),
    ],
    [accounts.platformFeeRevenue(currency), split.platformFee],
    [accounts.dutiesPayable(country, currency), split.duties],
    [accounts.taxPayable(country, currency), split.taxes],
  ];
  earlierEntries.forEach((entry, i) => {
    if (entry.orderId !== capture.orderId) {
      throw new AppError(
        'VALIDATION_FAILED',
        `entry ${entry.businessKey} is not an entry of order ${capture.orderId}`,
        { field: `earlierEntries.${i}` },
      );
    }
  });
  const refunds = earlierEntries.filter((e) => e.kind === 'refund' && e.businessKey !== exceptKey);
  const refundIds = new Set(refunds.map((e) => e.id).filter((id): id is string => id !== undefined));
  const reversals = earlierEntries.filter(
    (e) => e.kind === 'reversal' && e.reversesEntryId != null && refundIds.has(e.reversesEntryId),
  );
  const taken = new Map<string, bigint>(base.map(([account]) => [account, 0n]));
  for (const entry of [...refunds, ...reversals]) {
    for (const line of entry.lines) {
      if (taken.has(line.account)) {
        taken.set(line.account, taken.get(line.account)! + BigInt(line.amount.amount));
      }
    }
  }
  return base.map(([account, captured]) => {
    const already = taken.get(account)!;
    const remaining = BigInt(captured.amount) - already;
    if (already < 0n || remaining < 0n) {
      throw new AppError(
        'BUSINESS_RULE_VIOLATION',
        `earlier refunds of order ${capture.orderId} took ${already} from ${account}, of ${captured.amount} captured`,
        { field: 'earlierEntries', details: { account } },
      );
    }
    return { account, captured, alreadyRefunded: m(already, currency), remaining: m(remaining, currency) };
  });
}

/**
 * The entry for a refund (`refund:<refundId>`, kind `refund`): `amount` is split across what is
 * left of the capture's refundable components, pro rata, with `allocate` (largest remainder, no
 * minor unit lost); each share is debited to its component's account and the whole amount is
 * credited to processor clearing. When refunds add up to the captured total, every component
 * has been taken back exactly.
 */
export function orderRefundEntry(input: OrderRefundInput): LedgerEntryDraft {
  const refundId = checkId(input.refundId, 'refundId');
  const components = refundComponents(input.capture, input.earlierEntries ?? [], ledgerKeys.refund(refundId));
  const currency = input.capture.captured.currency;
  const amount = money(input.amount?.amount, input.amount?.currency, 'amount');
  if (amount.currency !== currency) {
    throw new AppError('VALIDATION_FAILED', `a refund is in the order currency ${currency}`, {
      field: 'amount.currency',
    });
  }
  if (amount.amount <= 0) {
    throw new AppError('VALIDATION_FAILED', 'a refund moves a positive amount', { field: 'amount.amount' });
  }
  const left = components.reduce((s, c) => s + BigInt(c.remaining.amount), 0n);
  if (BigInt(amount.amount) > left) {
    throw new AppError(
      'BUSINESS_RULE_VIOLATION',
      `refund of ${amount.amount} exceeds the ${left} left to refund on order ${input.capture.orderId}`,
      { field: 'amount.amount', details: { requested: amount.amount, refundable: left.toString() } },
    );
  }
  const shares = allocate(
    amount,
    components.map((c) => c.remaining.amount),
  );
  const lines: LedgerLine[] = [];
  components.forEach((c, i) => push(lines, debit(c.account, shares[i]!)));
  push(
    lines,
    credit(accounts.processorClearing(input.capture.processor ?? DEFAULT_PROCESSOR, currency), amount),
  );
  return ledgerEntry({
    businessKey: ledgerKeys.refund(refundId),
    kind: 'refund',
    orderId: input.capture.orderId,
    merchantId: input.capture.merchantId,
    description: input.description ?? `Refund ${refundId} of order ${input.capture.orderId}`,
    occurredAt: input.occurredAt,
    lines,
  });
}

/** The totals of a landed-cost quote, and which of duties/taxes/fees are collected at checkout. */
export interface QuoteTotalsLike {
  readonly totals: {
    readonly goods: Money;
    readonly shipping: Money;
    readonly duties: Money;
    readonly taxes: Money;
    readonly fees: Money;
  };
  readonly collection: {
    readonly duties: 'NONE' | 'CHECKOUT' | 'ON_DELIVERY';
    readonly taxes: 'NONE' | 'CHECKOUT' | 'ON_DELIVERY';
    readonly fees: 'NONE' | 'CHECKOUT' | 'ON_DELIVERY';
  };
}

/**
 * What the buyer paid at checkout, from a quote's breakdown: goods and shipping, plus duties,
 * taxes and customs fees only where they are collected at CHECKOUT (DDP, IOSS, point-of-sale VAT).
 * Amounts due on delivery (DAP) are the carrier's business, not the platform's.
 */
export function checkoutBreakdown(quote: QuoteTotalsLike): CheckoutBreakdown {
  const { totals, collection } = quote;
  const atCheckout = (x: Money, how: string) => (how === 'CHECKOUT' ? x : m(0n, x.currency));
  return {
    goods: totals.goods,
    shipping: totals.shipping,
    duties: atCheckout(totals.duties, collection.duties),
    taxes: atCheckout(totals.taxes, collection.taxes),
    customsFees: atCheckout(totals.fees, collection.fees),
  };
}
