import { AppError } from '../../errors';
import { currencyInfo } from '../money/currencies';
import type { Money } from '../money/types';

/**
 * Converts between our `Money` (an integer number of ISO 4217 minor units) and the integer
 * `amount` Stripe expects, which follows Stripe's own table rather than ISO 4217.
 *
 * Source: Stripe, "Supported currencies" (docs.stripe.com/currencies): amounts are in the
 * currency's minor unit; a list of zero-decimal currencies; three-decimal currencies whose last
 * digit must be 0; and "Special cases":
 * - ISK and UGX transitioned to zero decimals (ISO 4217 exponent 0), but Stripe keeps them as
 *   two-decimal values whose decimals are always 00 (5 ISK is `500`).
 * - HUF and TWD are charged as two-decimal currencies; only *payouts* (to a bank account) must be
 *   whole units. Transfers to connected accounts are not payouts, so no rule applies here.
 * Conversions never round: an amount Stripe cannot represent exactly is refused. ISO exponents
 * come from the money domain's ISO 4217 table.
 */

/** Stripe's zero-decimal currencies (the docs list UGX too, but its special case overrides it). */
const STRIPE_ZERO_DECIMAL = new Set([
  'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
]); // prettier-ignore

/** Stripe's three-decimal currencies: the amount's last digit must be 0. */
const STRIPE_THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Two-decimal on Stripe, but only whole units may be charged (the decimals are always 00). */
const STRIPE_WHOLE_UNITS_ONLY = new Set(['ISK', 'UGX']);

/** Currencies whose ISO exponent has no Stripe counterpart (not presentment currencies). */
const NOT_ON_STRIPE = new Set(['IQD', 'LYD', 'CLF', 'UYW', 'UYI']);

export interface StripeAmount {
  /** Integer in Stripe's unit for the currency. */
  readonly amount: number;
  /** Lowercase ISO code, as Stripe expects it in requests. */
  readonly currency: string;
}

function normaliseCurrency(currency: string): string {
  const code = typeof currency === 'string' ? currency.toUpperCase() : '';
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new AppError('VALIDATION_FAILED', `"${String(currency)}" is not an ISO 4217 currency code`, {
      field: 'currency',
    });
  }
  return code;
}

function assertSupported(code: string): void {
  if (NOT_ON_STRIPE.has(code)) {
    throw new AppError('VALIDATION_FAILED', `${code} cannot be charged through Stripe`, {
      field: 'currency',
    });
  }
}

/** How many decimals our `Money` carries for a currency (ISO 4217, from the money domain). */
export function isoExponent(currency: string): number {
  return currencyInfo(normaliseCurrency(currency)).exponent;
}

/** How many decimals Stripe's `amount` carries for a currency. */
export function stripeExponent(currency: string): number {
  const code = normaliseCurrency(currency);
  assertSupported(code);
  if (STRIPE_ZERO_DECIMAL.has(code)) return 0;
  if (STRIPE_THREE_DECIMAL.has(code)) return 3;
  return 2;
}

function assertMinorUnits(amount: number, field: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new AppError('VALIDATION_FAILED', `${field} must be a non-negative safe integer of minor units`, {
      field,
      details: { amount },
    });
  }
}

/**
 * Scales an integer by 10^shift; refuses results that would need rounding. Outgoing amounts that
 * cannot be converted are the caller's mistake (VALIDATION_FAILED); incoming ones are a gap in our
 * model of Stripe's amounts (INTERNAL: fixed by a deploy, after which a retry succeeds).
 */
function rescale(
  amount: number,
  shift: number,
  what: string,
  code: 'VALIDATION_FAILED' | 'INTERNAL',
): number {
  if (shift === 0) return amount;
  if (shift > 0) {
    const scaled = amount * 10 ** shift;
    if (!Number.isSafeInteger(scaled)) {
      throw new AppError(code, `${what} is too large to convert`, { details: { amount } });
    }
    return scaled;
  }
  const divisor = 10 ** -shift;
  if (amount % divisor !== 0) {
    throw new AppError(code, `${what} is not a whole multiple of ${divisor} minor units`, {
      details: { amount },
    });
  }
  return amount / divisor;
}

/** Our money → the `amount` and `currency` of a Stripe request. */
export function toStripeAmount(money: Money): StripeAmount {
  const code = normaliseCurrency(money.currency);
  assertMinorUnits(money.amount, 'amount');
  const stripeAmount = rescale(
    money.amount,
    stripeExponent(code) - isoExponent(code),
    `${code} amount`,
    'VALIDATION_FAILED',
  );
  if (STRIPE_THREE_DECIMAL.has(code) && stripeAmount % 10 !== 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Stripe requires ${code} amounts to end in 0 (round to the nearest ten minor units); got ${money.amount}`,
      { field: 'amount', details: { amount: money.amount, currency: code } },
    );
  }
  if (STRIPE_WHOLE_UNITS_ONLY.has(code) && stripeAmount % 100 !== 0) {
    throw new AppError('VALIDATION_FAILED', `Stripe cannot charge fractions of ${code}`, {
      field: 'amount',
      details: { amount: money.amount, currency: code },
    });
  }
  return { amount: stripeAmount, currency: code.toLowerCase() };
}

/**
 * A Stripe `amount` (which may be negative: refunds and transfers in balance transactions) →
 * our money.
 */
export function fromStripeAmount(amount: number, currency: string): Money {
  const code = normaliseCurrency(currency);
  if (!Number.isSafeInteger(amount)) {
    throw new AppError('INTERNAL', `Stripe returned a non-integer ${code} amount`, {
      details: { amount },
    });
  }
  const magnitude = rescale(
    Math.abs(amount),
    isoExponent(code) - stripeExponent(code),
    `Stripe ${code} amount`,
    'INTERNAL',
  );
  return { amount: amount < 0 ? -magnitude : magnitude, currency: code };
}
