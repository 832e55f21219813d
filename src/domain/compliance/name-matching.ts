/**
 * Name normalisation and fuzzy similarity for denied-party screening. Small on purpose: Jaro-Winkler
 * on tokens, combined into a symmetric "soft token set" score so that word order, corporate
 * suffixes, punctuation, case and diacritics do not matter, and typos cost a little.
 */

/** Legal-form words dropped before comparing (lowercase, diacritics and dots already removed). */
const CORPORATE_SUFFIXES = new Set([
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'cie',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'sa',
  'sarl',
  'sas',
  'sl',
  'srl',
  'spa',
  'bv',
  'nv',
  'plc',
  'pty',
  'pte',
  'kk',
  'oy',
  'ab',
  'as',
  'aps',
  'oao',
  'ooo',
  'zao',
  'jsc',
  'pjsc',
  'the',
  'and',
  'of',
  'et',
  'de',
  'du',
  'des',
]);

/** Letters that Unicode decomposition does not reduce to ASCII. */
const FOLD: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lowercase, strip diacritics and punctuation, drop corporate suffixes; returns sorted tokens. */
export function normaliseName(name: string): string[] {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => FOLD[c] ?? c)
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (folded === '') return [];
  const tokens = folded.split(' ').filter((t) => t !== '' && !CORPORATE_SUFFIXES.has(t));
  return tokens.sort();
}

/** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4 characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i += 1) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(b.length - 1, i + window);
    for (let j = lo; j <= hi; j += 1) {
      if (!bMatched[j] && a[i] === b[j]) {
        aMatched[i] = true;
        bMatched[j] = true;
        matches += 1;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i += 1) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k += 1;
    if (a[i] !== b[k]) transpositions += 1;
    k += 1;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

function tokenSimilarity(a: string, b: string): number {
  // An initial ("i") matches a word starting with it ("ivan") strongly but not perfectly.
  if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) return 0.9;
  return jaroWinkler(a, b);
}

function bestMatches(from: readonly string[], to: readonly string[]): number {
  return from.reduce((acc, t) => acc + Math.max(0, ...to.map((u) => tokenSimilarity(t, u))), 0);
}

/**
 * Symmetric soft token-set similarity in [0, 1]: each token's best Jaro-Winkler match in the other
 * name, averaged over the tokens of both names. Word order does not matter; extra or missing
 * words lower the score. The concatenated token strings are also compared, so that split or
 * joined words ("zephyr quantum" / "zephyrquantum") still match.
 */
export function nameSimilarity(a: string, b: string): number {
  const ta = normaliseName(a);
  const tb = normaliseName(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  const tokenSet = (bestMatches(ta, tb) + bestMatches(tb, ta)) / (ta.length + tb.length);
  const joined = jaroWinkler(ta.join(''), tb.join(''));
  return Math.min(1, Math.max(tokenSet, joined * 0.95));
}
