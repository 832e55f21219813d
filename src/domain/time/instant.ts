import { AppError } from '../../errors';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 date (`2026-11-24`, midnight UTC) or date-time with a zone (`2026-11-24T10:00:00Z`,
 * `...+01:00`) as an instant. Anything else, or an impossible date (`2026-02-30`), is refused.
 */
export function parseInstant(value: unknown, field: string): Date {
  const text = typeof value === 'string' ? value : '';
  const date = DATE.exec(text);
  const dateTime = date ? null : DATE_TIME.exec(text);
  const parts = date ?? dateTime;
  if (!parts) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${field} must be an ISO 8601 date (2026-11-24) or date-time with a zone (2026-11-24T00:00:00Z)`,
      { field },
    );
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = parts;
  const instant = new Date(date ? `${text}T00:00:00.000Z` : text);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (
    Number.isNaN(instant.getTime()) ||
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw new AppError('VALIDATION_FAILED', `${field} is not a valid date`, { field });
  }
  return instant;
}
