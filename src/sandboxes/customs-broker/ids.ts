import type { SeededIds } from '../shared/seeded-ids';

/**
 * ISO 6346 values of the characters (A=10, then skipping multiples of 11): the check-character
 * algorithm of MRNs (EU DG TAXUD, "Check character algorithm for the MRN and GRN").
 */
function iso6346Value(character: string): number {
  if (/\d/.test(character)) return Number(character);
  let value = 10;
  for (let code = 'A'.charCodeAt(0); code < character.charCodeAt(0); code++) {
    value += 1;
    if (value % 11 === 0) value += 1;
  }
  return value;
}

export function mrnCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < first17.length; i++) sum += iso6346Value(first17[i] as string) * 2 ** i;
  return String((sum % 11) % 10);
}

/**
 * An MRN-like movement reference: 2-digit year, the declaring country (ISO alpha-2), 13
 * alphanumerics and the ISO 6346 check character: 18 characters, as customs issue them.
 */
export function movementReference(
  ids: SeededIds,
  declarationId: string,
  country: string,
  atMs: number,
): string {
  const year = String(new Date(atMs).getUTCFullYear() % 100).padStart(2, '0');
  const first17 = `${year}${country.toUpperCase()}${ids.text(`mrn:${declarationId}`, 13)}`;
  return `${first17}${mrnCheckCharacter(first17)}`;
}
