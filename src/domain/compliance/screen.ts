import { AppError } from '../../errors';
import { isCountryCode } from './data/countries';
import { type DeniedParty, SAMPLE_DENIED_PARTIES } from './data/denied-parties';
import { EMBARGOED_DESTINATIONS, RESTRICTION_RULES } from './data/restrictions';
import { checkHsCode } from './hs-code';
import { nameSimilarity } from './name-matching';

export type TransportMode = 'AIR' | 'GROUND' | 'OCEAN';
export type ScreeningDecision = 'ALLOW' | 'REVIEW' | 'BLOCK';

export interface ScreeningParty {
  readonly role: 'buyer' | 'consignee';
  readonly name: string;
  readonly address: {
    readonly line1?: string;
    readonly city?: string;
    readonly postalCode?: string;
    readonly country: string;
  };
}

export interface ScreeningLine {
  readonly hsCode: string;
  readonly description?: string;
  readonly quantity: number;
}

export interface ScreenOrderInput {
  readonly parties: readonly ScreeningParty[];
  readonly lines: readonly ScreeningLine[];
  readonly destinationCountry: string;
  readonly transportMode: TransportMode;
  /** When the screening happens: selects the rules in force. */
  readonly at: Date;
  /** Defaults to the shipped sample list. */
  readonly deniedParties?: readonly DeniedParty[];
  /** Scores at or above `block` block (same country), at or above `review` go to review. */
  readonly thresholds?: { readonly review: number; readonly block: number };
}

export interface ScreeningReason {
  readonly code: string;
  readonly severity: 'BLOCK' | 'REVIEW';
  readonly message: string;
  /** The input the reason is about, e.g. `parties.0.name` or `lines.2.hsCode`. */
  readonly field: string;
  readonly details?: Record<string, unknown>;
}

export interface PartyMatch {
  readonly field: string;
  readonly deniedPartyId: string;
  readonly list: string;
  readonly matchedName: string;
  readonly score: number;
  readonly countryMatches: boolean;
}

export interface ScreeningResult {
  readonly decision: ScreeningDecision;
  readonly reasons: readonly ScreeningReason[];
  readonly partyMatches: readonly PartyMatch[];
  readonly rulesUsed: readonly { readonly id: string; readonly version: number }[];
}

export const DEFAULT_THRESHOLDS = { review: 0.85, block: 0.95 } as const;

function fail(field: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', message, { field });
}

function inForce(rule: { validFrom: string; validTo: string | null }, at: Date): boolean {
  const day = at.toISOString().slice(0, 10);
  return rule.validFrom <= day && (rule.validTo === null || day < rule.validTo);
}

function screenParty(
  party: ScreeningParty,
  index: number,
  list: readonly DeniedParty[],
  thresholds: { review: number; block: number },
): PartyMatch[] {
  const matches: PartyMatch[] = [];
  for (const entry of list) {
    let best = { score: 0, name: entry.name };
    for (const candidate of [entry.name, ...entry.aliases]) {
      const score = nameSimilarity(party.name, candidate);
      if (score > best.score) best = { score, name: candidate };
    }
    if (best.score >= thresholds.review) {
      matches.push({
        field: `parties.${index}.name`,
        deniedPartyId: entry.id,
        list: entry.list,
        matchedName: best.name,
        score: Math.round(best.score * 1000) / 1000,
        countryMatches: entry.addresses.some((a) => a.country === party.address.country),
      });
    }
  }
  return matches.sort((a, b) => b.score - a.score || (a.deniedPartyId < b.deniedPartyId ? -1 : 1));
}

/**
 * Screens an order: denied parties (buyer and consignee names against the list, fuzzy), embargoed
 * destinations, and restricted or prohibited goods for the destination and transport mode.
 * BLOCK wins over REVIEW, which wins over ALLOW; every reason says which input it is about.
 */
export function screenOrder(input: ScreenOrderInput): ScreeningResult {
  if (!(input.at instanceof Date) || Number.isNaN(input.at.getTime())) fail('at', 'at must be a valid Date');
  if (!isCountryCode(input.destinationCountry))
    fail('destinationCountry', 'must be an ISO 3166-1 alpha-2 code');
  if (!['AIR', 'GROUND', 'OCEAN'].includes(input.transportMode))
    fail('transportMode', 'must be AIR, GROUND or OCEAN');
  if (!Array.isArray(input.parties) || input.parties.length === 0)
    fail('parties', 'at least one party is needed');
  if (!Array.isArray(input.lines) || input.lines.length === 0) fail('lines', 'at least one line is needed');
  const thresholds = input.thresholds ?? DEFAULT_THRESHOLDS;
  if (!(thresholds.review > 0 && thresholds.review <= thresholds.block && thresholds.block <= 1)) {
    fail('thresholds', 'need 0 < review <= block <= 1');
  }

  const reasons: ScreeningReason[] = [];
  const rulesUsed = new Map<string, { id: string; version: number }>();

  const embargo = EMBARGOED_DESTINATIONS.get(input.destinationCountry);
  if (embargo !== undefined) {
    reasons.push({
      code: 'EMBARGOED_DESTINATION',
      severity: 'BLOCK',
      message: `${embargo} is under comprehensive embargo.`,
      field: 'destinationCountry',
    });
  }

  const partyMatches: PartyMatch[] = [];
  input.parties.forEach((party, i) => {
    if (typeof party.name !== 'string' || party.name.trim() === '')
      fail(`parties.${i}.name`, 'name must not be empty');
    if (!isCountryCode(party.address?.country))
      fail(`parties.${i}.address.country`, 'must be an ISO 3166-1 alpha-2 code');
    for (const m of screenParty(party, i, input.deniedParties ?? SAMPLE_DENIED_PARTIES, thresholds)) {
      partyMatches.push(m);
      const block = m.score >= thresholds.block && m.countryMatches;
      reasons.push({
        code: block ? 'DENIED_PARTY_MATCH' : 'DENIED_PARTY_POSSIBLE_MATCH',
        severity: block ? 'BLOCK' : 'REVIEW',
        message: block
          ? `The ${party.role} "${party.name}" matches denied party "${m.matchedName}" (${m.list}, score ${m.score}) in the same country.`
          : `The ${party.role} "${party.name}" resembles denied party "${m.matchedName}" (${m.list}, score ${m.score}${m.countryMatches ? '' : ', different country'}); a person must check it.`,
        field: m.field,
        details: { deniedPartyId: m.deniedPartyId, score: m.score, countryMatches: m.countryMatches },
      });
    }
  });

  input.lines.forEach((line, i) => {
    const hs = checkHsCode(line.hsCode, `lines.${i}.hsCode`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0)
      fail(`lines.${i}.quantity`, 'quantity must be a positive integer');
    for (const rule of RESTRICTION_RULES) {
      if (!inForce(rule, input.at)) continue;
      if (rule.destinations !== 'ALL' && !rule.destinations.includes(input.destinationCountry)) continue;
      if (rule.transportMode !== undefined && rule.transportMode !== input.transportMode) continue;
      if (!hs.subheading.traits.includes(rule.trait)) continue;
      rulesUsed.set(`${rule.id}@${rule.version}`, { id: rule.id, version: rule.version });
      reasons.push({
        code: rule.code,
        severity: rule.outcome,
        message: rule.message,
        field: `lines.${i}.hsCode`,
        details: { hs6: hs.hs6, ruleId: rule.id },
      });
    }
  });

  const decision: ScreeningDecision = reasons.some((r) => r.severity === 'BLOCK')
    ? 'BLOCK'
    : reasons.length > 0
      ? 'REVIEW'
      : 'ALLOW';
  return {
    decision,
    reasons,
    partyMatches,
    rulesUsed: [...rulesUsed.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}
