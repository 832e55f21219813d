import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from './roles';

/**
 * API keys are 256 random bits, shown once and stored only as a SHA-256 hash (a fast hash is
 * right for high-entropy secrets; there is nothing to brute-force). The key carries a short,
 * non-secret prefix naming its role so people can tell keys apart in logs and lists.
 *
 *   bl_finance_4kX3...  (43 base64url characters after the role)
 */
export const KEY_PREFIX = 'bl';
const KEY_PATTERN = /^bl_(checkout|support|finance|admin)_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(role: Role): string {
  return `${KEY_PREFIX}_${role}_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What may be shown of a key: its role tag and first characters of the secret part. */
export function displayPrefix(key: string): string {
  const secretStart = key.indexOf('_', KEY_PREFIX.length + 1) + 1;
  return key.slice(0, Math.min(secretStart + 4, 16));
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Reads `Authorization: Bearer <key>`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
