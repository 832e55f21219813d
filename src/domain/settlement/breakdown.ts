import type { EntryKind } from '../ledger';
import type { SettlementComponents } from './types';

/**
 * What each line of an entry tells a future settlement run, computed once when the entry is
 * posted and stored on the merchant's own lines (journal_lines.settlement_class, breakdown_*),
 * so a run reads only the lines it settles, never their entries' other lines.
 *
 * - Every `merchant_payable` line has a class: how a run counts what the line owes the merchant.
 *   `released` (a reserve release: the report's reserve released), `brought` (the open line of a
 *   carry-forward: brought forward), `payout` (a payout, settled by the run that posts it), or
 *   `other` (captures, refunds, reversals, adjustments: split into the components below).
 * - For class `other`, the first `merchant_payable` line of each account in the entry carries
 *   the entry's lines in that account's currency summed into the report's components: processor
 *   clearing debits are `gross` and its credits `refunds`; platform fee revenue `fees`; duties
 *   and tax payables `dutiesTaxes`; carrier payables and FX clearing `carrier`; the merchant
 *   reserve `reserveHeld` (each the negative of its lines' sum, so a credit counts positive; gross
 *   as it is). Lines of other kinds are left to the report's `other`.
 *
 * The database computes the same from the stored lines at commit (the function
 * ledger_settlement_breakdown of migration 20261126000000_settlement_breakdown_on_lines) and
 * refuses an entry whose lines carry anything else.
 */
export type SettlementClass = 'other' | 'released' | 'brought' | 'payout';

/** The report's components an entry gives the merchant (the rest are a run's own). */
export type LineBreakdown = Pick<
  SettlementComponents,
  'gross' | 'refunds' | 'fees' | 'dutiesTaxes' | 'carrier' | 'reserveHeld'
>;

export interface LineSettlement {
  readonly settlementClass: SettlementClass;
  /** Set on one line per entry, account and currency (class `other` only). */
  readonly breakdown: LineBreakdown | null;
}

/** The entry as the breakdown needs it: its kind, key, and signed lines (debit positive). */
export interface BreakdownEntry {
  readonly kind: EntryKind;
  readonly businessKey: string;
  readonly lines: readonly {
    readonly account: string;
    readonly amount: { amount: number; currency: string };
  }[];
}

const kindOf = (account: string): string => account.slice(0, account.indexOf(':'));

export function settlementClassOf(entry: Pick<BreakdownEntry, 'kind' | 'businessKey'>): SettlementClass {
  if (entry.kind === 'reserve_release') return 'released';
  if (entry.kind === 'adjustment' && entry.businessKey.startsWith('carry_forward:')) return 'brought';
  if (entry.kind === 'payout') return 'payout';
  return 'other';
}

function breakdownIn(entry: BreakdownEntry, currency: string): LineBreakdown {
  let gross = 0;
  let refunds = 0;
  let fees = 0;
  let dutiesTaxes = 0;
  let carrier = 0;
  let reserveHeld = 0;
  for (const { account, amount } of entry.lines) {
    if (amount.currency !== currency) continue;
    switch (kindOf(account)) {
      case 'processor_clearing':
        if (amount.amount > 0) gross += amount.amount;
        else refunds -= amount.amount;
        break;
      case 'platform_fee_revenue':
        fees -= amount.amount;
        break;
      case 'duties_payable':
      case 'tax_payable':
        dutiesTaxes -= amount.amount;
        break;
      case 'carrier_payable':
      case 'fx_clearing':
        carrier -= amount.amount;
        break;
      case 'merchant_reserve':
        reserveHeld -= amount.amount;
        break;
      default:
        break;
    }
  }
  // `+ 0` turns a -0 (a credit of nothing) into 0.
  return {
    gross: gross + 0,
    refunds: refunds + 0,
    fees: fees + 0,
    dutiesTaxes: dutiesTaxes + 0,
    carrier: carrier + 0,
    reserveHeld: reserveHeld + 0,
  };
}

/** One item per line of the entry, in order: null for lines that are not a merchant's payable. */
export function lineSettlements(entry: BreakdownEntry): (LineSettlement | null)[] {
  const settlementClass = settlementClassOf(entry);
  const seen = new Set<string>();
  return entry.lines.map(({ account, amount }) => {
    if (kindOf(account) !== 'merchant_payable') return null;
    const first = !seen.has(account);
    seen.add(account);
    return {
      settlementClass,
      breakdown: settlementClass === 'other' && first ? breakdownIn(entry, amount.currency) : null,
    };
  });
}

/** The columns of journal_lines that hold a line's settlement (raw SQL and Prisma writers). */
export function settlementColumns(s: LineSettlement | null): {
  settlementClass: SettlementClass | null;
  breakdownGross: number | null;
  breakdownRefunds: number | null;
  breakdownFees: number | null;
  breakdownDutiesTaxes: number | null;
  breakdownCarrier: number | null;
  breakdownReserveHeld: number | null;
} {
  const b = s?.breakdown ?? null;
  return {
    settlementClass: s?.settlementClass ?? null,
    breakdownGross: b?.gross ?? null,
    breakdownRefunds: b?.refunds ?? null,
    breakdownFees: b?.fees ?? null,
    breakdownDutiesTaxes: b?.dutiesTaxes ?? null,
    breakdownCarrier: b?.carrier ?? null,
    breakdownReserveHeld: b?.reserveHeld ?? null,
  };
}
