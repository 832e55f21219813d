import { AppError } from '../../errors';
import {
  add,
  allocate,
  convert,
  type FxConversion,
  type Money,
  multiply,
  parseDecimal,
  percent,
  sum,
  zero,
} from '../money';
import { decideRegime, type RegimeDecision } from './regime';
import { ADDITIONAL_DUTIES } from './rules/additional-duties';
import { MFN_BY_HS6, MFN_VALIDITY, mfnRuleId, PREFERENCES } from './rules/duty-rates';
import { TAX_RATES, type TaxRateRule } from './rules/tax-rates';
import { isInForce, refOf, type RuleRef } from './rules/types';
import type {
  Collection,
  DutyComponent,
  LandedCostInput,
  LandedCostQuote,
  LineResult,
  TaxComponent,
} from './types';
import { validateLandedCostInput, type ValidInput, type ValidLine } from './validate';

/** Weights for pro-rata allocation: the lines' goods values (equal split when all are zero). */
const weightsOf = (items: readonly Money[]): number[] => items.map((m) => Math.abs(m.amount));

function scaled(total: Money, share: string): Money {
  return share === '1' ? total : multiply(total, parseDecimal(share), 'HALF_EVEN');
}

function dutiesFor(
  input: ValidInput,
  decision: RegimeDecision,
  customsValues: readonly Money[],
): DutyComponent[][] {
  const { market } = input.market;
  const currency = input.market.currency;
  const at = input.quoteTime;
  const result: DutyComponent[][] = input.lines.map(() => []);
  if (decision.dutyMode === 'NONE') return result;

  if (decision.dutyMode === 'FLAT_PER_SUBHEADING') {
    const perSubheading = decision.flatDutyPerSubheading;
    const rule = decision.rules[0];
    if (perSubheading === null || rule === undefined)
      throw new AppError('INTERNAL', 'flat duty regime without amount');
    const groups = new Map<string, ValidLine[]>();
    for (const line of input.lines) groups.set(line.hs.hs6, [...(groups.get(line.hs.hs6) ?? []), line]);
    for (const group of groups.values()) {
      const parts = allocate(
        perSubheading,
        weightsOf(group.map((l) => customsValues[l.index] ?? zero(currency))),
      );
      group.forEach((line, i) => {
        result[line.index]?.push({
          rule,
          kind: 'FLAT_PER_SUBHEADING',
          ratePercent: null,
          base: customsValues[line.index] ?? zero(currency),
          amount: parts[i] ?? zero(currency),
        });
      });
    }
    return result;
  }

  for (const line of input.lines) {
    if (decision.exemptLines.has(line.index)) continue;
    const base = customsValues[line.index] ?? zero(currency);
    const row = MFN_BY_HS6.get(line.hs.hs6);
    if (row === undefined) throw new AppError('INTERNAL', `no MFN row for ${line.hs.hs6}`);
    const preference = PREFERENCES.find(
      (p) => p.market === market && p.origins.includes(line.originCountry) && isInForce(p, at),
    );
    const components = result[line.index] as DutyComponent[];
    if (preference !== undefined) {
      components.push({
        rule: refOf(preference),
        kind: 'PREFERENCE',
        ratePercent: preference.ratePercent,
        base,
        amount: multiply(base, percent(preference.ratePercent)),
      });
    } else {
      const rate = row.rates[market];
      components.push({
        rule: { id: mfnRuleId(market, line.hs.hs6), version: MFN_VALIDITY.version },
        kind: 'MFN',
        ratePercent: rate,
        base,
        amount: multiply(base, percent(rate)),
      });
    }
    for (const extra of ADDITIONAL_DUTIES) {
      if (extra.market !== market || !isInForce(extra, at)) continue;
      const origin = line.originCountry;
      if (extra.origins !== 'ALL' && !extra.origins.includes(origin)) continue;
      if (extra.exceptOrigins?.includes(origin)) continue;
      if (extra.hsPrefixes !== undefined && !extra.hsPrefixes.some((p) => line.hs.code.startsWith(p)))
        continue;
      if (extra.exceptHsPrefixes?.some((p) => line.hs.code.startsWith(p))) continue;
      components.push({
        rule: refOf(extra),
        kind: 'ADDITIONAL',
        ratePercent: extra.ratePercent,
        base,
        amount: multiply(base, percent(extra.ratePercent)),
      });
    }
  }
  return result;
}

function taxRuleFor(input: ValidInput): TaxRateRule {
  const candidates = TAX_RATES.filter((r) => r.country === input.shipTo && isInForce(r, input.quoteTime));
  const rule =
    input.shipTo === 'CA'
      ? candidates.find((r) => (r.region ?? null) === input.region)
      : candidates.find((r) => r.region === undefined);
  if (rule === undefined) {
    throw new AppError(
      'VALIDATION_FAILED',
      `no ${input.shipTo} tax rates are encoded for ${input.quoteTime.toISOString().slice(0, 10)}`,
      { field: 'quoteTime' },
    );
  }
  return rule;
}

function collectionOf(
  mode: 'NONE' | 'TARIFF' | 'FLAT_PER_SUBHEADING' | 'POINT_OF_SALE' | 'IMPORT',
  input: ValidInput,
): Collection {
  if (mode === 'NONE') return 'NONE';
  if (mode === 'POINT_OF_SALE') return 'CHECKOUT';
  return input.incoterm === 'DDP' ? 'CHECKOUT' : 'ON_DELIVERY';
}

function uniqueRefs(refs: readonly RuleRef[]): RuleRef[] {
  const seen = new Map<string, RuleRef>();
  for (const r of refs) seen.set(`${r.id}@${r.version}`, r);
  return [...seen.values()].sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1));
}

/**
 * Computes duties, taxes and fees of a cart for its destination at the quote time, in integer
 * minor units, allocated exactly across the lines. Pure: the FX rates and the time come in.
 */
export function computeLandedCost(request: LandedCostInput): LandedCostQuote {
  const input = validateLandedCostInput(request);
  const { market: profile, currency } = input;
  const dest = profile.currency;
  const fx: FxConversion[] = [];
  const toDest = (m: Money): Money => {
    const c = convert(m, dest, request.fxRates, 'HALF_EVEN', 'fxRates');
    if (c.from.currency !== c.to.currency) fx.push(c);
    return c.to;
  };
  const toCart = (m: Money): Money => {
    const c = convert(m, currency, request.fxRates, 'HALF_EVEN', 'fxRates');
    if (c.from.currency !== c.to.currency) fx.push(c);
    return c.to;
  };

  // Cart amounts and their destination-currency equivalents, allocated so that sums are exact.
  const goods = input.lines.map((l) => l.goods);
  const goodsTotal = sum(goods, currency);
  const goodsWeights = weightsOf(goods);
  const shippingLines = allocate(input.shippingCost, goodsWeights);
  const goodsTotalDest = toDest(goodsTotal);
  const shippingDest = toDest(input.shippingCost);
  const goodsDest = allocate(goodsTotalDest, goodsWeights);
  const shippingDestLines = allocate(shippingDest, goodsWeights);

  // Threshold value and per-line customs values under the market's valuation rules.
  const valueOf = (basis: { goodsShare: string; includeShipping: boolean }) =>
    basis.includeShipping
      ? add(scaled(goodsTotalDest, basis.goodsShare), shippingDest)
      : scaled(goodsTotalDest, basis.goodsShare);
  const consignmentValue = valueOf(profile.thresholdBasis);
  const customsGoods = allocate(scaled(goodsTotalDest, profile.dutyBasis.goodsShare), goodsWeights);
  const customsValues = customsGoods.map((g, i) =>
    profile.dutyBasis.includeShipping ? add(g, shippingDestLines[i] ?? zero(dest)) : g,
  );

  const decision = decideRegime({
    market: profile.market,
    at: input.quoteTime,
    shipFrom: input.shipFrom,
    lines: input.lines,
    consignmentValue,
  });

  const dutyComponents = dutiesFor(input, decision, customsValues);
  const dutiesDest = dutyComponents.map((cs) =>
    sum(
      cs.map((c) => c.amount),
      dest,
    ),
  );

  // Taxes.
  const taxRule = decision.taxMode === 'NONE' ? null : taxRuleFor(input);
  const taxComponents: TaxComponent[][] = input.lines.map((line, i) => {
    if (taxRule === null || decision.exemptLines.has(line.index)) return [];
    const ship = shippingDestLines[i] ?? zero(dest);
    const base =
      decision.taxMode === 'POINT_OF_SALE'
        ? add(goodsDest[i] ?? zero(dest), ship)
        : add(
            add(customsValues[i] ?? zero(dest), dutiesDest[i] ?? zero(dest)),
            profile.importTaxAddsShipping ? ship : zero(dest),
          );
    const rate = taxRule.rates[line.taxCategory];
    return [
      {
        rule: refOf(taxRule),
        taxName: taxRule.taxName,
        ratePercent: rate,
        base,
        amount: multiply(base, percent(rate)),
      },
    ];
  });
  const taxesDest = taxComponents.map((cs) =>
    sum(
      cs.map((c) => c.amount),
      dest,
    ),
  );
  const feesDest = input.lines.map(() => zero(dest));

  // Back to the cart currency: convert each total once, then allocate it by the per-line amounts.
  const backToCart = (perLine: readonly Money[]): { total: Money; lines: Money[]; destTotal: Money } => {
    const destTotal = sum(perLine, dest);
    const total = destTotal.amount === 0 ? zero(currency) : toCart(destTotal);
    return { total, lines: allocate(total, weightsOf(perLine)), destTotal };
  };
  const duties = backToCart(dutiesDest);
  const taxes = backToCart(taxesDest);
  const fees = backToCart(feesDest);

  const collection = {
    duties: collectionOf(decision.dutyMode, input),
    taxes: collectionOf(decision.taxMode, input),
    fees: 'NONE' as Collection,
  };

  const lines: LineResult[] = input.lines.map((line, i) => {
    const z = zero(currency);
    const lineGoods = line.goods;
    const lineShipping = shippingLines[i] ?? z;
    const lineDuties = duties.lines[i] ?? z;
    const lineTaxes = taxes.lines[i] ?? z;
    const lineFees = fees.lines[i] ?? z;
    const now = [lineGoods, lineShipping];
    const later: Money[] = [];
    (collection.duties === 'CHECKOUT' ? now : later).push(lineDuties);
    (collection.taxes === 'CHECKOUT' ? now : later).push(lineTaxes);
    (collection.fees === 'CHECKOUT' ? now : later).push(lineFees);
    const chargeNow = sum(now, currency);
    const dueOnDelivery = sum(later, currency);
    return {
      index: line.index,
      sku: line.sku,
      hsCode: line.hs.code,
      originCountry: line.originCountry,
      quantity: line.quantity,
      taxCategory: line.taxCategory,
      goods: lineGoods,
      shipping: lineShipping,
      duties: lineDuties,
      taxes: lineTaxes,
      fees: lineFees,
      landedTotal: add(chargeNow, dueOnDelivery),
      chargeNow,
      dueOnDelivery,
      customsValue: customsValues[i] ?? zero(dest),
      dutyComponents: dutyComponents[i] ?? [],
      taxComponents: taxComponents[i] ?? [],
    };
  });

  const total = (pick: (l: LineResult) => Money): Money => sum(lines.map(pick), currency);
  const notes: string[] = [];
  if (input.shipTo === 'CA' && input.region === null && taxRule !== null) {
    notes.push('No province given: federal GST only; HST provinces would pay more.');
  }
  if (collection.duties === 'ON_DELIVERY' || collection.taxes === 'ON_DELIVERY') {
    notes.push('DAP: duties and import taxes are an estimate, payable by the buyer on delivery.');
  }
  if (collection.taxes === 'CHECKOUT' && decision.taxMode === 'POINT_OF_SALE') {
    notes.push('Low-value regime: the tax is charged by the seller at checkout whatever the incoterm.');
  }

  return {
    currency,
    quoteTime: input.quoteTime.toISOString(),
    incoterm: input.incoterm,
    destination: { country: input.shipTo, region: input.region, market: profile.market, currency: dest },
    regime: {
      code: decision.code,
      reason: decision.reason,
      dutyMode: decision.dutyMode,
      taxMode: decision.taxMode,
      consignmentValue,
      threshold: decision.threshold,
    },
    collection,
    lines,
    totals: {
      goods: total((l) => l.goods),
      shipping: total((l) => l.shipping),
      duties: total((l) => l.duties),
      taxes: total((l) => l.taxes),
      fees: total((l) => l.fees),
      landedTotal: total((l) => l.landedTotal),
      chargeNow: total((l) => l.chargeNow),
      dueOnDelivery: total((l) => l.dueOnDelivery),
    },
    destinationTotals: {
      customsValue: sum(customsValues, dest),
      duties: duties.destTotal,
      taxes: taxes.destTotal,
      fees: fees.destTotal,
    },
    rulesUsed: uniqueRefs([
      ...decision.rules,
      ...dutyComponents.flat().map((c) => c.rule),
      ...taxComponents.flat().map((c) => c.rule),
    ]),
    fx,
    notes,
  };
}
