import { AppError } from '../../errors';
import { parseAccountCode, type EntryKind } from '../ledger';
import { convert, toSafeAmount, type FxConversion, type FxRateTable, type Money } from '../money';
import type { PayoutStatus, SettlementComponents } from './types';

/**
 * The arithmetic of a settlement run, pure. The production path computes the same thing in
 * PostgreSQL, set-based (src/infra/settlement/settlement-store.ts); `merchantStatement` here is
 * the reference model the tests hold the SQL to. Rules and a worked example: README.md.
 */

export const ZERO_COMPONENTS: SettlementComponents = {
  gross: 0,
  refunds: 0,
  fees: 0,
  dutiesTaxes: 0,
  carrier: 0,
  reserveHeld: 0,
  reserveReleased: 0,
  broughtForward: 0,
  other: 0,
};

/** net = gross − refunds − fees − dutiesTaxes − carrier − reserveHeld + reserveReleased + broughtForward + other. */
export function netOf(c: SettlementComponents): number {
  const n =
    BigInt(c.gross) -
    BigInt(c.refunds) -
    BigInt(c.fees) -
    BigInt(c.dutiesTaxes) -
    BigInt(c.carrier) -
    BigInt(c.reserveHeld) +
    BigInt(c.reserveReleased) +
    BigInt(c.broughtForward) +
    BigInt(c.other);
  return toSafeAmount(n, 'net');
}

/** Where a merchant's payout goes and in which currency (columns of `merchants`). */
export interface PayoutTerms {
  readonly settlementCurrency: string;
  /** Stripe connected account (`acct_...`); null: the merchant cannot be paid yet. */
  readonly stripeAccountId: string | null;
}

export interface PayoutDecision {
  readonly status: Extract<PayoutStatus, 'pending' | 'held' | 'carried_forward' | 'nothing_due'>;
  /** Left owed (positive) or due (negative) for the next run, in the run currency; 0 when paid. */
  readonly carriedForward: number;
  /** What to transfer, in the settlement currency (null unless pending). */
  readonly payout: Money | null;
  /** The conversion, when the settlement currency differs from the run currency. */
  readonly conversion: FxConversion | null;
  readonly note: string | null;
}

/**
 * What to do with a merchant's net (in the run currency):
 * - zero: nothing due;
 * - negative: not paid, carried forward (the merchant's next run starts with it);
 * - positive without a connected account: held, carried forward;
 * - positive: paid, converted into the settlement currency with the supplied table when it
 *   differs (rounded once, half-even, to the settlement currency's minor unit); an amount that
 *   rounds to zero is carried forward instead.
 */
export function decidePayout(net: Money, terms: PayoutTerms, fx: FxRateTable | null): PayoutDecision {
  if (net.amount === 0) {
    return { status: 'nothing_due', carriedForward: 0, payout: null, conversion: null, note: null };
  }
  if (net.amount < 0) {
    return {
      status: 'carried_forward',
      carriedForward: net.amount,
      payout: null,
      conversion: null,
      note: 'negative balance: carried forward to the next run',
    };
  }
  if (terms.stripeAccountId === null || terms.stripeAccountId === '') {
    return {
      status: 'held',
      carriedForward: net.amount,
      payout: null,
      conversion: null,
      note: 'held: the merchant has no connected account (merchants.stripe_account_id); carried forward',
    };
  }
  if (terms.settlementCurrency === net.currency) {
    return { status: 'pending', carriedForward: 0, payout: net, conversion: null, note: null };
  }
  if (fx === null) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `no exchange rates to convert ${net.currency} into ${terms.settlementCurrency}`,
    );
  }
  const conversion = convert(net, terms.settlementCurrency, fx, 'HALF_EVEN', 'fx');
  if (conversion.to.amount <= 0) {
    return {
      status: 'carried_forward',
      carriedForward: net.amount,
      payout: null,
      conversion,
      note: `below one minor unit of ${terms.settlementCurrency} once converted: carried forward`,
    };
  }
  return { status: 'pending', carriedForward: 0, payout: conversion.to, conversion, note: null };
}

const DAY_MS = 86_400_000;

/** The latest instant (exclusive) a reserve line may have been held at to be released by a run with this cut-off. */
export function reserveReleaseCutoff(cutoff: string | Date, reserveDays: number): Date {
  const at = typeof cutoff === 'string' ? new Date(cutoff) : cutoff;
  return new Date(at.getTime() - reserveDays * DAY_MS);
}

// --- the reference model ---------------------------------------------------------------------

/** A journal line with what settlement needs to know about its entry. */
export interface StatementLine {
  readonly id: string;
  readonly entryId: string;
  readonly entryKind: EntryKind;
  readonly businessKey: string;
  readonly account: string;
  /** Signed minor units: debit positive. */
  readonly amount: Money;
  readonly occurredAt: string;
}

export interface StatementOptions {
  readonly merchantId: string;
  readonly currency: string;
  /** The run's `to`: lines that occurred before it are settled. */
  readonly cutoff: string;
  readonly reserveDays: number;
  /** Lines settled by earlier runs. */
  readonly settled: ReadonlySet<string>;
}

export interface MerchantStatement extends SettlementComponents {
  /** Lines this run claims (payable lines before the cut-off, reserve lines old enough). */
  readonly claimed: readonly StatementLine[];
  /** The reserve this run releases to the payable (sum of the claimed reserve lines, credit positive). */
  readonly release: number;
  readonly net: number;
}

function kindOf(account: string): string {
  return account.slice(0, account.indexOf(':'));
}

/**
 * One merchant's statement over a set of entries' lines, as the SQL computes it: claim the
 * unsettled payable lines before the cut-off and the reserve lines held long enough; release
 * that reserve; classify what is owed per entry (captures and refunds by their other lines,
 * reserve releases and carry-forwards by their kind).
 */
export function merchantStatement(
  lines: readonly StatementLine[],
  options: StatementOptions,
): MerchantStatement {
  const payable = parseAccountCode(`merchant_payable:${options.merchantId}:${options.currency}`).code;
  const reserve = parseAccountCode(`merchant_reserve:${options.merchantId}:${options.currency}`).code;
  const cutoff = new Date(options.cutoff).getTime();
  const reserveCutoff = reserveReleaseCutoff(options.cutoff, options.reserveDays).getTime();
  const claimed = lines.filter(
    (l) =>
      !options.settled.has(l.id) &&
      ((l.account === payable && Date.parse(l.occurredAt) < cutoff) ||
        (l.account === reserve && Date.parse(l.occurredAt) < reserveCutoff)),
  );
  const release = 0 - claimed.filter((l) => l.account === reserve).reduce((s, l) => s + l.amount.amount, 0);

  const owedByEntry = new Map<string, number>();
  for (const l of claimed) {
    if (l.account === payable)
      owedByEntry.set(l.entryId, (owedByEntry.get(l.entryId) ?? 0) - l.amount.amount);
  }
  const c = { ...ZERO_COMPONENTS } as { -readonly [K in keyof SettlementComponents]: number };
  let net = release;
  c.reserveReleased = release;
  for (const [entryId, owed] of owedByEntry) {
    net += owed;
    const first = lines.find((l) => l.entryId === entryId)!;
    if (first.entryKind === 'reserve_release') {
      c.reserveReleased += owed;
      continue;
    }
    if (first.entryKind === 'adjustment' && first.businessKey.startsWith('carry_forward:')) {
      c.broughtForward += owed;
      continue;
    }
    let known = 0;
    for (const s of lines) {
      if (s.entryId !== entryId || s.amount.currency !== options.currency || s.account === payable) continue;
      const a = s.amount.amount;
      switch (kindOf(s.account)) {
        case 'processor_clearing':
          if (a > 0) c.gross += a;
          else c.refunds -= a;
          known += a;
          break;
        case 'platform_fee_revenue':
          c.fees -= a;
          known += a;
          break;
        case 'duties_payable':
        case 'tax_payable':
          c.dutiesTaxes -= a;
          known += a;
          break;
        case 'carrier_payable':
        case 'fx_clearing':
          c.carrier -= a;
          known += a;
          break;
        case 'merchant_reserve':
          c.reserveHeld -= a;
          known += a;
          break;
        default:
          break;
      }
    }
    c.other += owed - known;
  }
  return { ...c, claimed, release, net };
}
