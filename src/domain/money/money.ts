import { AppError } from '../../errors';
import { currencyInfo } from './currencies';
import { divideRounded, type Rational, type RoundingMode } from './rational';
import type { Money } from './types';

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Converts a BigInt result back to a safe integer, refusing (never rounding) anything larger. */
export function toSafeAmount(value: bigint, field = 'amount'): number {
  if (value > MAX || value < -MAX) {
    throw new AppError('VALIDATION_FAILED', `amount ${value} exceeds the largest safe integer`, {
      field,
      details: { max: Number.MAX_SAFE_INTEGER },
    });
  }
  return Number(value);
}

/** Builds Money after checking the currency and that the amount is a safe integer of minor units. */
export function money(amount: number | bigint, currency: string, field = 'amount'): Money {
  currencyInfo(currency, `${field}.currency`);
  if (typeof amount === 'bigint') return { amount: toSafeAmount(amount, field), currency };
  if (!Number.isSafeInteger(amount)) {
    throw new AppError('VALIDATION_FAILED', 'amount must be a safe integer number of minor units', {
      field,
      details: { amount },
    });
  }
  return { amount: amount === 0 ? 0 : amount, currency };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

/** Validates an untrusted value claiming to be Money. */
export function assertMoney(value: unknown, field: string): Money {
  if (typeof value !== 'object' || value === null) {
    throw new AppError('VALIDATION_FAILED', 'money must be an object { amount, currency }', { field });
  }
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  currencyInfo(currency, `${field}.currency`);
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    throw new AppError('VALIDATION_FAILED', 'amount must be a safe integer number of minor units', {
      field: `${field}.amount`,
      details: { amount },
    });
  }
  return { amount, currency: currency as string };
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses "19.99" into minor units of `currency`. More decimals than the currency has (e.g.
 * "19.999" in EUR, "5.5" in JPY) are refused, never rounded. Trailing zeros beyond the exponent
 * are refused too: a price is written with the currency's precision or less.
 */
export function parseMoney(text: string, currency: string, field = 'amount'): Money {
  const { exponent } = currencyInfo(currency, `${field}.currency`);
  const m = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (m === null) {
    throw new AppError('VALIDATION_FAILED', `${JSON.stringify(text)} is not a decimal amount like "19.99"`, {
      field,
    });
  }
  const [, minus, whole = '0', frac = ''] = m;
  if (frac.length > exponent) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${currency} amounts have at most ${exponent} decimal place(s); got ${JSON.stringify(text)}`,
      { field, details: { currency, exponent, decimals: frac.length } },
    );
  }
  const minor = BigInt(whole + frac.padEnd(exponent, '0')) * (minus ? -1n : 1n);
  return money(toSafeAmount(minor, field), currency, field);
}

/** Formats minor units back to a plain decimal string with exactly the currency's decimals. */
export function formatMoney(m: Money): string {
  const { exponent } = currencyInfo(m.currency);
  const negative = m.amount < 0;
  const digits = Math.abs(m.amount)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const frac = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${frac}` : ''}`;
}

function sameCurrency(a: Money, b: Money, operation: string): void {
  if (a.currency !== b.currency) {
    throw new AppError('VALIDATION_FAILED', `cannot ${operation} ${a.currency} and ${b.currency}`, {
      details: { left: a.currency, right: b.currency },
    });
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b, 'add');
  return money(toSafeAmount(BigInt(a.amount) + BigInt(b.amount)), a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b, 'subtract');
  return money(toSafeAmount(BigInt(a.amount) - BigInt(b.amount)), a.currency);
}

export function sum(items: readonly Money[], currency: string): Money {
  let total = 0n;
  for (const item of items) {
    sameCurrency({ amount: 0, currency }, item, 'sum');
    total += BigInt(item.amount);
  }
  return money(toSafeAmount(total), currency);
}

/** -1, 0 or 1; refuses to compare different currencies. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b, 'compare');
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amount === b.amount;
}

export function isNegative(m: Money): boolean {
  return m.amount < 0;
}

export function negate(m: Money): Money {
  return money(-m.amount, m.currency);
}

/** Multiplies by an integer quantity (exact, refusing overflow). */
export function times(m: Money, quantity: number, field = 'quantity'): Money {
  if (!Number.isSafeInteger(quantity)) {
    throw new AppError('VALIDATION_FAILED', 'quantity must be an integer', { field });
  }
  return money(toSafeAmount(BigInt(m.amount) * BigInt(quantity), field), m.currency);
}

/**
 * Multiplies by an exact rate (a duty or VAT rate, a share) and rounds to a minor unit with the
 * stated mode (half-even by default). The product is formed in BigInt, so nothing is lost before
 * the single rounding step.
 */
export function multiply(m: Money, rate: Rational, mode: RoundingMode = 'HALF_EVEN'): Money {
  const result = divideRounded(BigInt(m.amount) * rate.num, rate.den, mode);
  return money(toSafeAmount(result), m.currency);
}
