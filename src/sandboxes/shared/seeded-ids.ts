import { createHash, randomBytes } from 'node:crypto';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Ids that are the same on every run with the same seed (tests pass one) and different between
 * sandboxes otherwise: derived from `sha256(seed:input)`.
 */
export class SeededIds {
  private counter = 0;
  readonly seed: string;

  constructor(seed?: string) {
    this.seed = seed ?? randomBytes(8).toString('hex');
  }

  /** `<prefix>_` and 24 lower-case base-36 characters, from a counter. */
  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.text(`${prefix}:${this.counter}`, 24).toLowerCase()}`;
  }

  /** `length` upper-case alphanumerics derived from `input`. */
  text(input: string, length: number, alphabet = ALPHANUMERIC): string {
    let out = '';
    let round = 0;
    while (out.length < length) {
      const digest = createHash('sha256').update(`${this.seed}:${input}:${round++}`).digest();
      for (const byte of digest) {
        if (out.length === length) break;
        out += alphabet[byte % alphabet.length];
      }
    }
    return out;
  }

  /** `length` decimal digits derived from `input`. */
  digits(input: string, length: number): string {
    return this.text(input, length, '0123456789');
  }

  reset(): void {
    this.counter = 0;
  }
}

/** FNV-1a, 32 bits: a small stable hash. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
