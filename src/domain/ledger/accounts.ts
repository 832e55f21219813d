import { AppError } from '../../errors';
import { currencyInfo } from '../money';

/**
 * The chart of accounts. An account is identified by a stable code
 * `<kind>[:<party>]:<CCY>` (e.g. `merchant_payable:mer_123:EUR`, `platform_fee_revenue:EUR`):
 * every account holds one currency, and the party (merchant, processor, destination country,
 * carrier) is part of its identity. Accounts are created on first use.
 */
export type AccountType = 'asset' | 'liability' | 'revenue' | 'expense';
export type NormalBalance = 'debit' | 'credit';

/** What the middle part of a code names. */
export type PartyKind = 'merchant' | 'processor' | 'country' | 'carrier' | 'none';

interface AccountKindSpec {
  readonly type: AccountType;
  readonly party: PartyKind;
  readonly description: string;
}

export const ACCOUNT_KINDS = {
  processor_clearing: {
    type: 'asset',
    party: 'processor',
    description: 'Money the payment processor holds for the platform: captures in, refunds and payouts out',
  },
  processor_fees: {
    type: 'expense',
    party: 'processor',
    description: "The processor's own fees (booked by reconciliation)",
  },
  merchant_payable: {
    type: 'liability',
    party: 'merchant',
    description: 'What the platform owes the merchant (a debit balance: what the merchant owes)',
  },
  merchant_reserve: {
    type: 'liability',
    party: 'merchant',
    description: "Part of the merchant's proceeds held back for reserve_days against refunds",
  },
  platform_fee_revenue: {
    type: 'revenue',
    party: 'none',
    description: 'Platform fees charged to merchants',
  },
  duties_payable: {
    type: 'liability',
    party: 'country',
    description:
      'Customs duties and customs fees collected at checkout (DDP), owed to the destination customs',
  },
  tax_payable: {
    type: 'liability',
    party: 'country',
    description: 'VAT/GST collected at checkout, owed to the destination tax authority (IOSS, UK VAT, GST)',
  },
  carrier_payable: {
    type: 'liability',
    party: 'carrier',
    description: 'Labels bought from the carrier, owed to it',
  },
  fx_clearing: {
    type: 'asset',
    party: 'none',
    description: 'Currency position between the legs of a conversion; settles to zero when converted',
  },
  fx_gain_loss: {
    type: 'revenue',
    party: 'none',
    description: 'Realised FX gains (credit) and losses (debit)',
  },
  refund_losses: {
    type: 'expense',
    party: 'none',
    description: 'Refunds (or parts of them) the platform absorbs instead of the merchant',
  },
} as const satisfies Record<string, AccountKindSpec>;

export type AccountKind = keyof typeof ACCOUNT_KINDS;

/** A parsed account code. */
export interface AccountRef {
  readonly code: string;
  readonly kind: AccountKind;
  readonly type: AccountType;
  readonly normalBalance: NormalBalance;
  readonly currency: string;
  /** The code's middle part (merchant id, processor, country, carrier), null for platform accounts. */
  readonly party: string | null;
  /** Set for merchant accounts. */
  readonly merchantId: string | null;
}

/** Ids inside codes and business keys: letters, digits and `_ - .`, so `:` stays the separator. */
export const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const COUNTRY_PATTERN = /^[A-Z]{2}$/;

export function normalBalanceOf(type: AccountType): NormalBalance {
  return type === 'asset' || type === 'expense' ? 'debit' : 'credit';
}

function isAccountKind(kind: string): kind is AccountKind {
  return Object.prototype.hasOwnProperty.call(ACCOUNT_KINDS, kind);
}

function checkParty(kind: AccountKind, party: string | null, field: string): void {
  const expected = ACCOUNT_KINDS[kind].party;
  if (expected === 'none') {
    if (party !== null) {
      throw new AppError('VALIDATION_FAILED', `${kind} accounts have no party: ${kind}:<CCY>`, { field });
    }
    return;
  }
  if (party === null) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${kind} accounts name a ${expected}: ${kind}:<${expected}>:<CCY>`,
      {
        field,
      },
    );
  }
  const ok = expected === 'country' ? COUNTRY_PATTERN.test(party) : ID_PATTERN.test(party);
  if (!ok) {
    throw new AppError(
      'VALIDATION_FAILED',
      expected === 'country'
        ? `${JSON.stringify(party)} is not an ISO 3166-1 alpha-2 country code`
        : `${expected} id ${JSON.stringify(party)} must be 1 to 64 letters, digits, '_', '-' or '.'`,
      { field },
    );
  }
}

function ref(kind: AccountKind, party: string | null, currency: string): AccountRef {
  const { type, party: partyKind } = ACCOUNT_KINDS[kind];
  return {
    code: party === null ? `${kind}:${currency}` : `${kind}:${party}:${currency}`,
    kind,
    type,
    normalBalance: normalBalanceOf(type),
    currency,
    party,
    merchantId: partyKind === 'merchant' ? party : null,
  };
}

/** Builds (and checks) the code of an account. */
export function accountCode(
  kind: AccountKind,
  party: string | null,
  currency: string,
  field = 'account',
): string {
  if (!isAccountKind(kind)) {
    throw new AppError('VALIDATION_FAILED', `unknown account kind ${JSON.stringify(kind)}`, { field });
  }
  checkParty(kind, party, field);
  currencyInfo(currency, `${field}.currency`);
  return ref(kind, party, currency).code;
}

/** Parses and checks an account code; refuses anything not in the chart. */
export function parseAccountCode(code: string, field = 'account'): AccountRef {
  const parts = typeof code === 'string' ? code.split(':') : [];
  if (parts.length < 2 || parts.length > 3) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${JSON.stringify(code)} is not an account code <kind>[:<party>]:<CCY>`,
      {
        field,
      },
    );
  }
  const kind = parts[0]!;
  const currency = parts[parts.length - 1]!;
  const party = parts.length === 3 ? parts[1]! : null;
  if (!isAccountKind(kind)) {
    throw new AppError('VALIDATION_FAILED', `unknown account kind ${JSON.stringify(kind)} in ${code}`, {
      field,
    });
  }
  checkParty(kind, party, field);
  currencyInfo(currency, `${field}.currency`);
  return ref(kind, party, currency);
}

/** Code builders, one per account kind of the chart. */
export const accounts = {
  processorClearing: (processor: string, currency: string) =>
    accountCode('processor_clearing', processor, currency),
  processorFees: (processor: string, currency: string) => accountCode('processor_fees', processor, currency),
  merchantPayable: (merchantId: string, currency: string) =>
    accountCode('merchant_payable', merchantId, currency),
  merchantReserve: (merchantId: string, currency: string) =>
    accountCode('merchant_reserve', merchantId, currency),
  platformFeeRevenue: (currency: string) => accountCode('platform_fee_revenue', null, currency),
  dutiesPayable: (country: string, currency: string) => accountCode('duties_payable', country, currency),
  taxPayable: (country: string, currency: string) => accountCode('tax_payable', country, currency),
  carrierPayable: (carrierId: string, currency: string) =>
    accountCode('carrier_payable', carrierId, currency),
  fxClearing: (currency: string) => accountCode('fx_clearing', null, currency),
  fxGainLoss: (currency: string) => accountCode('fx_gain_loss', null, currency),
  refundLosses: (currency: string) => accountCode('refund_losses', null, currency),
} as const;
