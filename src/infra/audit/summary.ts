/**
 * What of a request body the audit log keeps: enough to tell what was asked (amounts, reasons,
 * decisions, names, roles, periods), never a secret. Field names that name secrets are redacted
 * whatever their value; string values that look like secrets (Borderline API keys, Stripe secret
 * and restricted keys, webhook secrets, card numbers) are redacted wherever they appear; long
 * strings and arrays are cut and deep objects flattened, so an entry stays small.
 */
export const REDACTED = '[redacted]';

const SECRET_FIELD =
  /(secret|password|passwd|passphrase|token|api[-_]?key|^key$|authorization|signature|cookie|card[-_]?number|^number$|^pan$|cvc|cvv|security[-_]?code)/i;

const SECRET_VALUE = [
  /\bbl_(checkout|support|finance|admin)_[A-Za-z0-9_-]{20,}/, // Borderline API keys
  /\b(sk|rk)_(test|live)_[A-Za-z0-9_]+/, // Stripe secret and restricted keys
  /\bwhsec_[A-Za-z0-9_]+/, // webhook signing secrets
  /\bBearer\s+\S+/i,
];

const MAX_STRING = 200;
const MAX_ARRAY = 20;
const MAX_DEPTH = 4;
const MAX_KEYS = 40;

export type Summary = null | boolean | number | string | Summary[] | { [key: string]: Summary };

export function summarizeBody(body: unknown): Summary | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return `[${body.length} bytes]`;
  return summarize(body, 0);
}

function summarize(value: unknown, depth: number): Summary {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return summarizeString(value);
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return `[array of ${value.length}]`;
    const items = value.slice(0, MAX_ARRAY).map((item) => summarize(item, depth + 1));
    if (value.length > MAX_ARRAY) items.push(`… ${value.length - MAX_ARRAY} more`);
    return items;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (depth >= MAX_DEPTH) return `[object with ${entries.length} fields]`;
    const result: Record<string, Summary> = {};
    for (const [key, item] of entries.slice(0, MAX_KEYS)) {
      result[key] = SECRET_FIELD.test(key) ? REDACTED : summarize(item, depth + 1);
    }
    if (entries.length > MAX_KEYS) result['…'] = `${entries.length - MAX_KEYS} more fields`;
    return result;
  }
  return `[${typeof value}]`;
}

function summarizeString(value: string): string {
  if (SECRET_VALUE.some((pattern) => pattern.test(value)) || containsCardNumber(value)) return REDACTED;
  return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} characters)` : value;
}

/** A run of 13 to 19 digits (spaces or dashes allowed between) that passes the Luhn check. */
export function containsCardNumber(value: string): boolean {
  for (const match of value.matchAll(/\d(?:[ -]?\d){12,18}/g)) {
    if (luhn(match[0].replace(/[ -]/g, ''))) return true;
  }
  return false;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
