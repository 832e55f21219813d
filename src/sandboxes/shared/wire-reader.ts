import { isCountryCode } from '../../domain/compliance/data/countries';
import { isCurrencyCode } from '../../domain/money/currencies';

export type Json = Record<string, unknown>;

/**
 * Reads a partner's JSON request field by field, collecting every problem (field and message)
 * instead of stopping at the first, so a sandbox answers one 422 that names them all. Each
 * sandbox's wire format extends it with the readers its own fields need.
 */
export class WireReader {
  readonly problems: { field: string; message: string }[] = [];

  object(value: unknown, field: string): Json {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
    this.problems.push({ field, message: 'must be an object' });
    return {};
  }

  string(value: unknown, field: string, maxLength = 500): string {
    if (typeof value === 'string' && value.trim() !== '' && value.length <= maxLength) return value;
    this.problems.push({ field, message: `must be a non-empty string of at most ${maxLength} characters` });
    return '';
  }

  optionalString(value: unknown, field: string, maxLength = 500): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, field, maxLength);
  }

  country(value: unknown, field: string): string {
    const text = this.string(value, field, 2);
    if (text !== '' && !isCountryCode(text))
      this.problems.push({ field, message: 'must be an ISO 3166-1 alpha-2 code' });
    return text;
  }

  currency(value: unknown, field: string): string {
    const text = this.string(value, field, 3);
    if (text !== '' && !isCurrencyCode(text))
      this.problems.push({ field, message: 'must be an ISO 4217 currency code' });
    return text;
  }
}
