import { AppError } from '../../errors';

/**
 * An exact non-negative-denominator fraction of BigInts, used for every rate in the money path
 * (duty rates, VAT rates, FX rates). No floating point is ever involved.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export type RoundingMode = 'HALF_EVEN' | 'HALF_UP' | 'FLOOR' | 'CEIL';

export const ROUNDING_MODES: readonly RoundingMode[] = ['HALF_EVEN', 'HALF_UP', 'FLOOR', 'CEIL'];

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    [x, y] = [y, x % y];
  }
  return x;
}

export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new AppError('VALIDATION_FAILED', 'denominator must not be zero', { field: 'rate' });
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** Parses a plain decimal string ("0.165", "1.0834", "12") into an exact fraction. */
export function parseDecimal(text: string, field = 'rate'): Rational {
  const m = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (m === null) {
    throw new AppError('VALIDATION_FAILED', `${JSON.stringify(text)} is not a plain decimal number`, {
      field,
    });
  }
  const [, minus, whole = '0', frac = ''] = m;
  const num = BigInt(whole + frac) * (minus ? -1n : 1n);
  return rational(num, 10n ** BigInt(frac.length));
}

/** A percentage written as a decimal string: "16.5" → 33/200. */
export function percent(text: string, field = 'rate'): Rational {
  const r = parseDecimal(text, field);
  return rational(r.num, r.den * 100n);
}

/** Basis points: 1650 bp = 16.5 % = 33/200. */
export function basisPoints(bp: number | bigint, field = 'rate'): Rational {
  if (typeof bp === 'number' && !Number.isSafeInteger(bp)) {
    throw new AppError('VALIDATION_FAILED', 'basis points must be an integer', { field });
  }
  return rational(BigInt(bp), 10000n);
}

export function addRational(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function mulRational(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

export function invert(r: Rational, field = 'rate'): Rational {
  if (r.num === 0n) throw new AppError('VALIDATION_FAILED', 'a zero rate cannot be inverted', { field });
  return rational(r.den, r.num);
}

export function compareRational(a: Rational, b: Rational): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function isZeroRational(r: Rational): boolean {
  return r.num === 0n;
}

/** Exact decimal rendering when the denominator allows it, else a fraction "n/d". */
export function formatRational(r: Rational): string {
  let den = r.den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    twos += 1;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives += 1;
  }
  if (den !== 1n) return `${r.num}/${r.den}`;
  const places = Math.max(twos, fives);
  const scaled = (r.num * 10n ** BigInt(places)) / r.den;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${negative ? '-' : ''}${whole}${places > 0 ? `.${frac}` : ''}`;
}

/**
 * Divides num by den (den > 0) and rounds to an integer with the given mode. HALF_UP rounds
 * ties away from zero; HALF_EVEN (banker's rounding) rounds ties to the even neighbour.
 */
export function divideRounded(num: bigint, den: bigint, mode: RoundingMode): bigint {
  if (den <= 0n) throw new AppError('INTERNAL', 'divideRounded needs a positive denominator');
  const q = num / den; // truncates toward zero
  const r = num % den; // same sign as num
  if (r === 0n) return q;
  const floor = num < 0n ? q - 1n : q;
  const ceil = floor + 1n;
  switch (mode) {
    case 'FLOOR':
      return floor;
    case 'CEIL':
      return ceil;
    case 'HALF_UP':
    case 'HALF_EVEN': {
      // Distance of num/den above floor, doubled, compared with den.
      const twiceRemainder = 2n * (num - floor * den);
      if (twiceRemainder < den) return floor;
      if (twiceRemainder > den) return ceil;
      if (mode === 'HALF_UP') return num < 0n ? floor : ceil;
      return floor % 2n === 0n ? floor : ceil;
    }
  }
}
