import { AppError } from '../../errors';
import { money, toSafeAmount } from './money';
import type { Money } from './types';

/**
 * Splits `total` across parts pro rata to `weights` with the largest-remainder method:
 * every part first gets floor(total × w / Σw); the minor units left over go one each to the parts
 * with the largest remainders, ties going to the lower index. The parts always sum to `total`
 * exactly and each is within one minor unit of its exact share. A negative total is split as its
 * absolute value and negated. All-zero weights split the total equally.
 */
export function allocate(total: Money, weights: readonly (number | bigint)[], field = 'weights'): Money[] {
  if (weights.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'allocation needs at least one weight', { field });
  }
  const w = weights.map((x, i) => {
    if (typeof x === 'number' && !Number.isSafeInteger(x)) {
      throw new AppError('VALIDATION_FAILED', 'weights must be integers', { field: `${field}.${i}` });
    }
    const b = BigInt(x);
    if (b < 0n)
      throw new AppError('VALIDATION_FAILED', 'weights must not be negative', { field: `${field}.${i}` });
    return b;
  });
  let weightSum = w.reduce((a, b) => a + b, 0n);
  const effective = weightSum === 0n ? w.map(() => 1n) : w;
  if (weightSum === 0n) weightSum = BigInt(w.length);

  const negative = total.amount < 0;
  const amount = BigInt(Math.abs(total.amount));
  const base = effective.map((x) => (amount * x) / weightSum);
  const remainders = effective.map((x, i) => ({ i, r: (amount * x) % weightSum }));
  let left = amount - base.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    base[i] = (base[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return base.map((x) => money(toSafeAmount(negative ? -x : x), total.currency));
}

/** Splits `total` into `count` parts as equal as possible (earlier parts get the extra units). */
export function split(total: Money, count: number): Money[] {
  if (!Number.isSafeInteger(count) || count <= 0) {
    throw new AppError('VALIDATION_FAILED', 'count must be a positive integer', { field: 'count' });
  }
  return allocate(
    total,
    Array.from({ length: count }, () => 1),
  );
}
