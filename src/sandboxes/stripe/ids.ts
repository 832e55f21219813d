import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomText(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHABET[byte % ALPHABET.length];
  return text;
}

/** Stripe-looking ids: `pi_3…`, `ch_3…`, `re_3…`, `tr_1…`, `trr_1…`, `txn_3…`, `evt_3…`, `req_…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomText(24)}`;
}

export function newSecret(prefix: string): string {
  return `${prefix}_${randomText(32)}`;
}
