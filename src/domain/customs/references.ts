import { AppError } from '../../errors';

/** Order ids inside references: letters, digits and `_ - .` so that `:` stays the separator. */
const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * `order:<orderId>:declaration:v<n>` — the reference (and idempotency key) of the n-th
 * declaration of an order. A rejected declaration cannot be amended: a corrected one is filed
 * under the next version; retries of the same filing keep the same version.
 */
export function declarationReference(orderId: string, version: number): string {
  if (typeof orderId !== 'string' || !ID_PATTERN.test(orderId)) {
    throw new AppError('VALIDATION_FAILED', "orderId must be 1 to 64 letters, digits, '_', '-' or '.'", {
      field: 'orderId',
    });
  }
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new AppError('VALIDATION_FAILED', 'a declaration version is a whole number from 1', {
      field: 'version',
    });
  }
  return `order:${orderId}:declaration:v${version}`;
}
