import { AppError } from '../../errors';
import { compare, formatMoney, type Money } from '../money';
import { REGIME_RULES, type RegimeRule } from './rules/regimes';
import { isInForce, type Market, refOf, type RuleRef } from './rules/types';
import type { DutyMode, TaxMode } from './types';
import type { ValidLine } from './validate';

export interface RegimeDecision {
  readonly code: string;
  readonly reason: string;
  readonly dutyMode: DutyMode;
  readonly taxMode: TaxMode;
  readonly threshold: Money | null;
  readonly flatDutyPerSubheading: Money | null;
  /** Lines exempt from duty and tax although the consignment is not (Japan's designated articles). */
  readonly exemptLines: ReadonlySet<number>;
  readonly rules: readonly RuleRef[];
}

export interface RegimeContext {
  readonly market: Market;
  readonly at: Date;
  readonly shipFrom: string;
  readonly lines: readonly ValidLine[];
  /** Value compared with thresholds, in the destination currency. */
  readonly consignmentValue: Money;
}

type Kind = RegimeRule['kind'];
type RuleOf<K extends Kind> = Extract<RegimeRule, { kind: K }>;

function inForce<K extends Kind>(ctx: RegimeContext, kind: K): RuleOf<K>[] {
  return REGIME_RULES.filter(
    (r): r is RuleOf<K> => r.kind === kind && r.market === ctx.market && isInForce(r, ctx.at),
  );
}

function noRule(ctx: RegimeContext): never {
  throw new AppError(
    'VALIDATION_FAILED',
    `no ${ctx.market} import rules are encoded for ${ctx.at.toISOString().slice(0, 10)}`,
    { field: 'quoteTime' },
  );
}

const fmt = (m: Money): string => `${m.currency} ${formatMoney(m)}`;
const atOrBelow = (value: Money, threshold: Money): boolean => compare(value, threshold) <= 0;
const NO_EXEMPT: ReadonlySet<number> = new Set();

function decision(
  d: Omit<RegimeDecision, 'exemptLines' | 'flatDutyPerSubheading'> & Partial<RegimeDecision>,
): RegimeDecision {
  return { exemptLines: NO_EXEMPT, flatDutyPerSubheading: null, ...d };
}

function us(ctx: RegimeContext): RegimeDecision {
  const [deMinimis] = inForce(ctx, 'US_DE_MINIMIS');
  if (deMinimis === undefined) return noRule(ctx);
  const v = ctx.consignmentValue;
  const base = { taxMode: 'NONE' as const, threshold: deMinimis.threshold };
  if (!atOrBelow(v, deMinimis.threshold)) {
    return decision({
      ...base,
      code: 'US_ABOVE_DE_MINIMIS',
      reason: `Consignment value ${fmt(v)} is above the ${fmt(deMinimis.threshold)} de minimis, so duties apply.`,
      dutyMode: 'TARIFF',
      rules: [refOf(deMinimis)],
    });
  }
  const suspensions = inForce(ctx, 'US_DE_MINIMIS_SUSPENSION');
  const all = suspensions.find((s) => s.origins === 'ALL');
  if (all !== undefined) {
    return decision({
      ...base,
      code: 'US_DE_MINIMIS_SUSPENDED',
      reason: `Consignment value ${fmt(v)} is within the ${fmt(deMinimis.threshold)} de minimis, but duty-free de minimis is suspended for all countries since ${all.validFrom}, so duties apply.`,
      dutyMode: 'TARIFF',
      rules: [refOf(deMinimis), refOf(all)],
    });
  }
  const hit = suspensions.find(
    (s) =>
      s.origins !== 'ALL' &&
      ctx.lines.some((l) => (s.origins as readonly string[]).includes(l.originCountry)),
  );
  if (hit !== undefined) {
    return decision({
      ...base,
      code: 'US_DE_MINIMIS_SUSPENDED_FOR_ORIGIN',
      reason: `Consignment value ${fmt(v)} is within the ${fmt(deMinimis.threshold)} de minimis, but it contains goods of origin ${(hit.origins as readonly string[]).join('/')}, whose de minimis is suspended since ${hit.validFrom}, so duties apply.`,
      dutyMode: 'TARIFF',
      rules: [refOf(deMinimis), refOf(hit)],
    });
  }
  return decision({
    ...base,
    code: 'US_DE_MINIMIS',
    reason: `Consignment value ${fmt(v)} is at or below the ${fmt(deMinimis.threshold)} de minimis (19 U.S.C. 1321), so it enters free of duty.`,
    dutyMode: 'NONE',
    rules: [refOf(deMinimis)],
  });
}

function eu(ctx: RegimeContext): RegimeDecision {
  const [flat] = inForce(ctx, 'EU_FLAT_DUTY_PER_SUBHEADING');
  const [relief] = inForce(ctx, 'LOW_VALUE_POINT_OF_SALE_TAX');
  const rule = flat ?? relief;
  if (rule === undefined) return noRule(ctx);
  const v = ctx.consignmentValue;
  if (!atOrBelow(v, rule.threshold)) {
    return decision({
      code: 'EU_STANDARD_IMPORT',
      reason: `Intrinsic value ${fmt(v)} is above ${fmt(rule.threshold)}: IOSS cannot be used, so import VAT and customs duty at the tariff rate are due on import.`,
      dutyMode: 'TARIFF',
      taxMode: 'IMPORT',
      threshold: rule.threshold,
      rules: [refOf(rule)],
    });
  }
  if (flat !== undefined) {
    const distinct = new Set(ctx.lines.map((l) => l.hs.hs6)).size;
    return decision({
      code: 'EU_IOSS_FLAT_DUTY',
      reason: `Intrinsic value ${fmt(v)} is at or below ${fmt(flat.threshold)}: VAT is collected at checkout (IOSS) and, from ${flat.validFrom}, a flat customs duty of ${fmt(flat.dutyPerSubheading)} applies to each of the ${distinct} distinct tariff sub-heading(s).`,
      dutyMode: 'FLAT_PER_SUBHEADING',
      taxMode: 'POINT_OF_SALE',
      threshold: flat.threshold,
      flatDutyPerSubheading: flat.dutyPerSubheading,
      rules: [refOf(flat)],
    });
  }
  return decision({
    code: 'EU_IOSS_DUTY_RELIEF',
    reason: `Intrinsic value ${fmt(v)} is at or below ${fmt(rule.threshold)}: VAT is collected at checkout (IOSS) and the consignment is relieved from customs duty.`,
    dutyMode: 'NONE',
    taxMode: 'POINT_OF_SALE',
    threshold: rule.threshold,
    rules: [refOf(rule)],
  });
}

function pointOfSale(ctx: RegimeContext, name: string, tax: string): RegimeDecision {
  const [rule] = inForce(ctx, 'LOW_VALUE_POINT_OF_SALE_TAX');
  if (rule === undefined) return noRule(ctx);
  const v = ctx.consignmentValue;
  if (atOrBelow(v, rule.threshold)) {
    return decision({
      code: `${ctx.market}_LOW_VALUE_SELLER_${tax}`,
      reason: `${name} value ${fmt(v)} is at or below ${fmt(rule.threshold)}: ${tax} is charged by the seller at checkout and no customs duty or import ${tax} is due.`,
      dutyMode: 'NONE',
      taxMode: 'POINT_OF_SALE',
      threshold: rule.threshold,
      rules: [refOf(rule)],
    });
  }
  return decision({
    code: `${ctx.market}_STANDARD_IMPORT`,
    reason: `${name} value ${fmt(v)} is above ${fmt(rule.threshold)}: customs duty and import ${tax} are due on import.`,
    dutyMode: 'TARIFF',
    taxMode: 'IMPORT',
    threshold: rule.threshold,
    rules: [refOf(rule)],
  });
}

function ca(ctx: RegimeContext): RegimeDecision {
  const tiers = inForce(ctx, 'CA_COURIER_REMISSION');
  const tier =
    tiers.find((t) => t.shipFrom !== 'OTHER' && t.shipFrom.includes(ctx.shipFrom)) ??
    tiers.find((t) => t.shipFrom === 'OTHER');
  if (tier === undefined) return noRule(ctx);
  const v = ctx.consignmentValue;
  const from =
    tier.shipFrom === 'OTHER' ? `from ${ctx.shipFrom}` : `from ${ctx.shipFrom} (CUSMA courier threshold)`;
  if (atOrBelow(v, tier.dutyAndTaxFreeUpTo)) {
    return decision({
      code: 'CA_DE_MINIMIS_EXEMPT',
      reason: `Value for duty ${fmt(v)} of a courier shipment ${from} is at or below ${fmt(tier.dutyAndTaxFreeUpTo)}: no duty and no tax.`,
      dutyMode: 'NONE',
      taxMode: 'NONE',
      threshold: tier.dutyAndTaxFreeUpTo,
      rules: [refOf(tier)],
    });
  }
  if (atOrBelow(v, tier.dutyFreeUpTo)) {
    return decision({
      code: 'CA_CUSMA_DUTY_FREE_TAXABLE',
      reason: `Value for duty ${fmt(v)} of a courier shipment ${from} is above ${fmt(tier.dutyAndTaxFreeUpTo)} but at or below ${fmt(tier.dutyFreeUpTo)}: duty free, GST/HST due on import.`,
      dutyMode: 'NONE',
      taxMode: 'IMPORT',
      threshold: tier.dutyFreeUpTo,
      rules: [refOf(tier)],
    });
  }
  return decision({
    code: 'CA_STANDARD_IMPORT',
    reason: `Value for duty ${fmt(v)} of a courier shipment ${from} is above ${fmt(tier.dutyFreeUpTo)}: duty and GST/HST are due on import.`,
    dutyMode: 'TARIFF',
    taxMode: 'IMPORT',
    threshold: tier.dutyFreeUpTo,
    rules: [refOf(tier)],
  });
}

function jp(ctx: RegimeContext): RegimeDecision {
  const [rule] = inForce(ctx, 'JP_SMALL_CONSIGNMENT');
  if (rule === undefined) return noRule(ctx);
  const v = ctx.consignmentValue;
  if (!atOrBelow(v, rule.threshold)) {
    return decision({
      code: 'JP_STANDARD_IMPORT',
      reason: `Customs value ${fmt(v)} (60% of the retail price plus shipping) is above ${fmt(rule.threshold)}: customs duty and consumption tax are due on import.`,
      dutyMode: 'TARIFF',
      taxMode: 'IMPORT',
      threshold: rule.threshold,
      rules: [refOf(rule)],
    });
  }
  const designated = ctx.lines.filter((l) => rule.excludedHsPrefixes.some((p) => l.hs.code.startsWith(p)));
  if (designated.length === 0) {
    return decision({
      code: 'JP_SMALL_CONSIGNMENT_EXEMPT',
      reason: `Customs value ${fmt(v)} (60% of the retail price plus shipping) is at or below ${fmt(rule.threshold)}: exempt from customs duty and consumption tax.`,
      dutyMode: 'NONE',
      taxMode: 'NONE',
      threshold: rule.threshold,
      rules: [refOf(rule)],
    });
  }
  const taxed = new Set(designated.map((l) => l.index));
  return decision({
    code: 'JP_SMALL_CONSIGNMENT_PARTIAL',
    reason: `Customs value ${fmt(v)} is at or below ${fmt(rule.threshold)}, but line(s) ${[...taxed].join(', ')} are designated articles the exemption does not cover, so they bear customs duty and consumption tax.`,
    dutyMode: 'TARIFF',
    taxMode: 'IMPORT',
    threshold: rule.threshold,
    exemptLines: new Set(ctx.lines.filter((l) => !taxed.has(l.index)).map((l) => l.index)),
    rules: [refOf(rule)],
  });
}

/** Decides which threshold/regime applies to the consignment, and why. */
export function decideRegime(ctx: RegimeContext): RegimeDecision {
  switch (ctx.market) {
    case 'US':
      return us(ctx);
    case 'EU':
      return eu(ctx);
    case 'GB':
      return pointOfSale(ctx, 'Intrinsic', 'VAT');
    case 'AU':
      return pointOfSale(ctx, 'Customs', 'GST');
    case 'CA':
      return ca(ctx);
    case 'JP':
      return jp(ctx);
  }
}
