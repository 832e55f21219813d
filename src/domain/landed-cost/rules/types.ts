import type { Money } from '../../money';

/** Where a rule comes from: an official page, with the title it carries there. */
export interface RuleSource {
  readonly url: string;
  readonly title: string;
}

/**
 * Every rule is dated and versioned. `validFrom` is inclusive, `validTo` exclusive (null: open),
 * both ISO dates (YYYY-MM-DD) compared with the quote time in UTC. A quote records the
 * `id@version` of every rule it used.
 */
export interface RuleMeta {
  readonly id: string;
  readonly version: number;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly sources: readonly RuleSource[];
  /** What was simplified or could not be verified. */
  readonly notes?: string;
}

export interface RuleRef {
  readonly id: string;
  readonly version: number;
}

/** Customs markets: one customs territory with one tariff (the EU is one market, many VAT countries). */
export type Market = 'US' | 'EU' | 'GB' | 'CA' | 'AU' | 'JP';

/** Tax categories the catalogue hits; each destination maps them to a rate. */
export type TaxCategory = 'standard' | 'food' | 'childrenClothing' | 'books';

export interface ThresholdMoney {
  readonly threshold: Money;
}

export function isInForce(rule: Pick<RuleMeta, 'validFrom' | 'validTo'>, at: Date): boolean {
  const day = at.toISOString().slice(0, 10);
  return rule.validFrom <= day && (rule.validTo === null || day < rule.validTo);
}

export function refOf(rule: Pick<RuleMeta, 'id' | 'version'>): RuleRef {
  return { id: rule.id, version: rule.version };
}
