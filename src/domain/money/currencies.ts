import { AppError } from '../../errors';

/**
 * Minor-unit exponents of the active ISO 4217 currencies (list one, "Current currency & funds").
 * Source: ISO 4217 maintenance agency (SIX), https://www.six-group.com/en/products-services/financial-information/data-standards.html
 * ("ISO 4217 Currency Code List One"). Funds and metals without a minor unit (XAU, XAG, XPT, XPD,
 * XDR, XSU, XUA, XBA–XBD, XTS, XXX) are left out: they cannot be money in a cart.
 *
 * Exponent 2 is the default; only the exceptions are listed explicitly below.
 */
const EXPONENT_0 = [
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
] as const;
const EXPONENT_3 = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'] as const;
const EXPONENT_4 = ['CLF', 'UYW'] as const;
const EXPONENT_2 = [
  'AED',
  'AFN',
  'ALL',
  'AMD',
  'ANG',
  'AOA',
  'ARS',
  'AUD',
  'AWG',
  'AZN',
  'BAM',
  'BBD',
  'BDT',
  'BGN',
  'BMD',
  'BND',
  'BOB',
  'BOV',
  'BRL',
  'BSD',
  'BTN',
  'BWP',
  'BYN',
  'BZD',
  'CAD',
  'CDF',
  'CHE',
  'CHF',
  'CHW',
  'CNY',
  'COP',
  'COU',
  'CRC',
  'CUP',
  'CVE',
  'CZK',
  'DKK',
  'DOP',
  'DZD',
  'EGP',
  'ERN',
  'ETB',
  'EUR',
  'FJD',
  'FKP',
  'GBP',
  'GEL',
  'GHS',
  'GIP',
  'GMD',
  'GTQ',
  'GYD',
  'HKD',
  'HNL',
  'HTG',
  'HUF',
  'IDR',
  'ILS',
  'INR',
  'IRR',
  'JMD',
  'KES',
  'KGS',
  'KHR',
  'KPW',
  'KYD',
  'KZT',
  'LAK',
  'LBP',
  'LKR',
  'LRD',
  'LSL',
  'MAD',
  'MDL',
  'MGA',
  'MKD',
  'MMK',
  'MNT',
  'MOP',
  'MRU',
  'MUR',
  'MVR',
  'MWK',
  'MXN',
  'MXV',
  'MYR',
  'MZN',
  'NAD',
  'NGN',
  'NIO',
  'NOK',
  'NPR',
  'NZD',
  'PAB',
  'PEN',
  'PGK',
  'PHP',
  'PKR',
  'PLN',
  'QAR',
  'RON',
  'RSD',
  'RUB',
  'SAR',
  'SBD',
  'SCR',
  'SDG',
  'SEK',
  'SGD',
  'SHP',
  'SLE',
  'SOS',
  'SRD',
  'SSP',
  'STN',
  'SVC',
  'SYP',
  'SZL',
  'THB',
  'TJS',
  'TMT',
  'TOP',
  'TRY',
  'TTD',
  'TWD',
  'TZS',
  'UAH',
  'USD',
  'USN',
  'UYU',
  'UZS',
  'VED',
  'VES',
  'WST',
  'XCD',
  'XCG',
  'YER',
  'ZAR',
  'ZMW',
  'ZWG',
] as const;
// Notes: BGN is kept for historical carts although Bulgaria adopted the euro on 2026-01-01; ANG and XCG
// are both listed (XCG replaces ANG from 2025). CUC, HRK, SLL, ZWL and other withdrawn codes are absent.

export interface CurrencyInfo {
  readonly code: string;
  /** Number of decimal places of the minor unit: 2 for EUR (cents), 0 for JPY, 3 for KWD. */
  readonly exponent: number;
}

const TABLE: ReadonlyMap<string, CurrencyInfo> = new Map(
  (
    [
      [EXPONENT_0, 0],
      [EXPONENT_2, 2],
      [EXPONENT_3, 3],
      [EXPONENT_4, 4],
    ] as const
  ).flatMap(([codes, exponent]) => codes.map((code): [string, CurrencyInfo] => [code, { code, exponent }])),
);

export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && TABLE.has(code);
}

/** The currency's ISO 4217 facts; an unknown code is a validation error naming `field`. */
export function currencyInfo(code: unknown, field = 'currency'): CurrencyInfo {
  const info = typeof code === 'string' ? TABLE.get(code) : undefined;
  if (info === undefined) {
    throw new AppError('VALIDATION_FAILED', `${String(code)} is not an active ISO 4217 currency code`, {
      field,
      details: { currency: code },
    });
  }
  return info;
}

export function allCurrencyCodes(): string[] {
  return [...TABLE.keys()].sort();
}
