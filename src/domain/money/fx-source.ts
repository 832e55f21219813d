import { AppError } from '../../errors';
import { currencyInfo } from './currencies';
import type { FxRate, FxRateTable } from './fx';
import { divideRounded, parseDecimal, type Rational, rational } from './rational';

/**
 * Where exchange rates come from (a port). The domain never fetches: an adapter (src/infra/fx)
 * answers with a table and the domain converts with it, recording rate, source and time.
 */
export interface FxRateSource {
  /**
   * A table with a rate for every pair of `currencies` that was in force at `at` (the newest
   * published at or before it). Currencies the source does not quote are listed in
   * `unsupported` rather than thrown, so the caller can name its own input.
   */
  ratesFor(request: FxRateRequest): Promise<FxRateAnswer>;
}

export interface FxRateRequest {
  readonly currencies: readonly string[];
  readonly at: Date;
}

export interface FxRateAnswer {
  readonly table: FxRateTable;
  readonly unsupported: readonly string[];
  /** The published table the rates come from (date, publisher), for the quote's record. */
  readonly reference: FxReference;
}

export interface FxReference {
  readonly source: string;
  /** Business day the reference rates are for (YYYY-MM-DD). */
  readonly date: string;
  /** ISO 8601 time of publication. */
  readonly publishedAt: string;
}

/**
 * One day of reference rates against a base currency, as central banks publish them: 1 unit of
 * `base` buys `rates[code]` units of `code` (e.g. the ECB's euro reference rates).
 */
export interface BaseRateTable {
  readonly base: string;
  readonly date: string;
  readonly publishedAt: string;
  readonly source: string;
  readonly rates: Readonly<Record<string, string>>;
}

/** Significant digits kept in a cross rate (a rate between two non-base currencies). */
export const CROSS_RATE_SIGNIFICANT_DIGITS = 10;

/**
 * Rounds a positive exact rate to `digits` significant digits (half-even) and writes it as a
 * plain decimal string. The string is the rate the quote states and converts with.
 */
export function toSignificantDecimal(value: Rational, digits: number): string {
  if (value.num <= 0n || value.den <= 0n)
    throw new AppError('INTERNAL', 'a cross rate must be positive', { field: 'rate' });
  // Find the decimal scale k such that value × 10^k has exactly `digits` integer digits.
  let k = 0;
  const lower = 10n ** BigInt(digits - 1);
  const upper = 10n ** BigInt(digits);
  const scaledAt = (scale: number): bigint =>
    scale >= 0
      ? divideRounded(value.num * 10n ** BigInt(scale), value.den, 'FLOOR')
      : divideRounded(value.num, value.den * 10n ** BigInt(-scale), 'FLOOR');
  while (scaledAt(k) < lower) k += 1;
  while (scaledAt(k) >= upper) k -= 1;
  let digitsValue =
    k >= 0
      ? divideRounded(value.num * 10n ** BigInt(k), value.den, 'HALF_EVEN')
      : divideRounded(value.num, value.den * 10n ** BigInt(-k), 'HALF_EVEN');
  if (digitsValue >= upper) {
    // Rounding carried into one more digit (9.99…95 → 10.00…0): drop a decimal place.
    k -= 1;
    digitsValue = digitsValue / 10n;
  }
  if (k <= 0) return (digitsValue * 10n ** BigInt(-k)).toString();
  const text = digitsValue.toString().padStart(k + 1, '0');
  const whole = text.slice(0, text.length - k);
  const fraction = text.slice(text.length - k).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/**
 * The table a conversion needs from one day of base-currency rates: for each pair of
 * `currencies`, the published rate when the pair involves the base, else the cross rate through
 * the base (rate(base→to) / rate(base→from)) rounded to CROSS_RATE_SIGNIFICANT_DIGITS. Each entry
 * is one direction only; `convert` uses the exact inverse for the other.
 */
export function ratesFromBaseTable(
  day: BaseRateTable,
  currencies: readonly string[],
): { table: FxRateTable; unsupported: string[] } {
  const quoted = (code: string) => code === day.base || day.rates[code] !== undefined;
  const wanted = [...new Set(currencies)].sort();
  for (const code of wanted) currencyInfo(code, 'currencies');
  const unsupported = wanted.filter((code) => !quoted(code));
  const usable = wanted.filter(quoted);
  const baseRate = (code: string): Rational =>
    code === day.base ? rational(1n) : parseDecimal(day.rates[code] as string, `rates.${code}`);

  const rates: FxRate[] = [];
  for (let i = 0; i < usable.length; i += 1) {
    for (let j = i + 1; j < usable.length; j += 1) {
      const a = usable[i] as string;
      const b = usable[j] as string;
      if (a === day.base || b === day.base) {
        const other = a === day.base ? b : a;
        rates.push({
          from: day.base,
          to: other,
          rate: day.rates[other] as string,
          source: `${day.source} ${day.date}`,
          asOf: day.publishedAt,
        });
        continue;
      }
      const from = baseRate(a);
      const to = baseRate(b);
      const cross = rational(to.num * from.den, to.den * from.num);
      rates.push({
        from: a,
        to: b,
        rate: toSignificantDecimal(cross, CROSS_RATE_SIGNIFICANT_DIGITS),
        source:
          `${day.source} ${day.date}, cross rate via ${day.base} ` +
          `(${day.base}→${a} ${day.rates[a]}, ${day.base}→${b} ${day.rates[b]}, ` +
          `${CROSS_RATE_SIGNIFICANT_DIGITS} significant digits)`,
        asOf: day.publishedAt,
      });
    }
  }
  return { table: { rates }, unsupported };
}
