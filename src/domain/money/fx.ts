import { AppError } from '../../errors';
import { currencyInfo } from './currencies';
import { money, toSafeAmount } from './money';
import { divideRounded, invert, parseDecimal, type Rational, type RoundingMode } from './rational';
import type { Money } from './types';

/**
 * One quoted exchange rate: 1 unit (major) of `from` buys `rate` units (major) of `to`. The rate is
 * a decimal string so that it is exact; `source` and `asOf` say where and when it was observed.
 */
export interface FxRate {
  readonly from: string;
  readonly to: string;
  readonly rate: string;
  readonly source: string;
  /** ISO 8601 timestamp of the observation. */
  readonly asOf: string;
}

/** The FX rates supplied with a request. Nothing is ever fetched. */
export interface FxRateTable {
  readonly rates: readonly FxRate[];
}

/** What a conversion used, kept beside its result so a quote can be audited and replayed. */
export interface FxConversion {
  readonly from: Money;
  readonly to: Money;
  readonly rate: string;
  /** True when the table held the opposite pair and its exact inverse was used. */
  readonly inverted: boolean;
  readonly source: string;
  readonly asOf: string;
  readonly roundingMode: RoundingMode;
}

function checkRate(rate: FxRate, field: string): Rational {
  currencyInfo(rate.from, `${field}.from`);
  currencyInfo(rate.to, `${field}.to`);
  const r = parseDecimal(rate.rate, `${field}.rate`);
  if (r.num <= 0n) {
    throw new AppError('VALIDATION_FAILED', 'an exchange rate must be positive', { field: `${field}.rate` });
  }
  if (typeof rate.source !== 'string' || rate.source.trim() === '') {
    throw new AppError('VALIDATION_FAILED', 'an exchange rate must name its source', {
      field: `${field}.source`,
    });
  }
  if (typeof rate.asOf !== 'string' || Number.isNaN(Date.parse(rate.asOf))) {
    throw new AppError('VALIDATION_FAILED', 'an exchange rate must carry an ISO timestamp', {
      field: `${field}.asOf`,
    });
  }
  return r;
}

/** Validates every entry of a supplied table (so a bad rate is reported even if unused). */
export function validateFxTable(table: FxRateTable, field = 'fxRates'): void {
  if (typeof table !== 'object' || table === null || !Array.isArray(table.rates)) {
    throw new AppError('VALIDATION_FAILED', 'fxRates must be { rates: [...] }', { field });
  }
  table.rates.forEach((r, i) => checkRate(r, `${field}.rates.${i}`));
}

/** Converts with one explicit rate, rounding once with `mode` (half-even by default). */
export function convertWithRate(
  amount: Money,
  rate: FxRate,
  mode: RoundingMode = 'HALF_EVEN',
  field = 'fxRate',
): FxConversion {
  const r = checkRate(rate, field);
  if (rate.from !== amount.currency) {
    throw new AppError('VALIDATION_FAILED', `rate converts ${rate.from}, amount is ${amount.currency}`, {
      field: `${field}.from`,
    });
  }
  return applyRate(
    amount,
    rate.to,
    r,
    { rate: rate.rate, inverted: false, source: rate.source, asOf: rate.asOf },
    mode,
  );
}

function applyRate(
  amount: Money,
  to: string,
  r: Rational,
  meta: { rate: string; inverted: boolean; source: string; asOf: string },
  mode: RoundingMode,
): FxConversion {
  const fromExp = BigInt(currencyInfo(amount.currency).exponent);
  const toExp = BigInt(currencyInfo(to).exponent);
  // minor_to = minor_from × rate × 10^toExp / 10^fromExp
  const num = BigInt(amount.amount) * r.num * 10n ** toExp;
  const den = r.den * 10n ** fromExp;
  const converted = money(toSafeAmount(divideRounded(num, den, mode)), to);
  return { from: amount, to: converted, ...meta, roundingMode: mode };
}

/**
 * Converts `amount` into `to` with the table: the identity for the same currency, else the direct
 * pair, else the exact inverse of the opposite pair. A missing pair is a validation error naming
 * `field`.
 */
export function convert(
  amount: Money,
  to: string,
  table: FxRateTable,
  mode: RoundingMode = 'HALF_EVEN',
  field = 'fxRates',
): FxConversion {
  currencyInfo(to, `${field}.to`);
  if (amount.currency === to) {
    return {
      from: amount,
      to: amount,
      rate: '1',
      inverted: false,
      source: 'identity',
      asOf: '1970-01-01T00:00:00.000Z',
      roundingMode: mode,
    };
  }
  const found = findRate(table, amount.currency, to, field);
  return applyRate(
    amount,
    to,
    found.inverted ? invert(found.rational) : found.rational,
    { rate: found.entry.rate, inverted: found.inverted, source: found.entry.source, asOf: found.entry.asOf },
    mode,
  );
}

/** The exact rate from → to (major units) in the table. */
export function findRate(
  table: FxRateTable,
  from: string,
  to: string,
  field = 'fxRates',
): { entry: FxRate; rational: Rational; inverted: boolean } {
  const rates = table.rates;
  const index = rates.findIndex((r) => r.from === from && r.to === to);
  if (index >= 0) {
    const entry = rates[index] as FxRate;
    return { entry, rational: checkRate(entry, `${field}.rates.${index}`), inverted: false };
  }
  const inverse = rates.findIndex((r) => r.from === to && r.to === from);
  if (inverse >= 0) {
    const entry = rates[inverse] as FxRate;
    return { entry, rational: checkRate(entry, `${field}.rates.${inverse}`), inverted: true };
  }
  throw new AppError('VALIDATION_FAILED', `no exchange rate ${from}→${to} (or ${to}→${from}) was supplied`, {
    field,
    details: { from, to },
  });
}

/** The rate from → to as an exact fraction (identity for equal currencies). */
export function exactRate(table: FxRateTable, from: string, to: string, field = 'fxRates'): Rational {
  if (from === to) return { num: 1n, den: 1n };
  const found = findRate(table, from, to, field);
  return found.inverted ? invert(found.rational) : found.rational;
}
