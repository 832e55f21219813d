import { AppError } from '../../errors';
import { convert, type FxRateTable } from '../money';
import {
  addBusinessDays,
  chooseShippingService,
  type ChoiceStrategy,
  type Parcel,
  quoteServices,
  type RateCard,
  type ServiceOption,
  type ZoneChart,
} from '../shipping';
import type { PreparedQuote } from './prepare';
import type {
  QuoteFxConversion,
  QuoteLineRequest,
  QuotedShippingOption,
  QuoteShipping,
  ShippingChoiceRule,
} from './types';

/** The carrier's price list: services, their rate cards and the zone chart. */
export interface CarrierRates {
  readonly rateCards: readonly RateCard[];
  readonly zones: ZoneChart;
}

/** A parcel of 1 mm³ has no volumetric weight: the billable weight is the actual weight. */
const NO_VOLUME = { lengthMm: 1, widthMm: 1, heightMm: 1 } as const;

/**
 * The consignment as one parcel. Weight: every unit's weight. Size, from the lines that give
 * one: the largest length and width, and the units stacked in height (Σ height × quantity), a
 * box at least as large as the goods, so volumetric weight is never under-estimated. Lines
 * without dimensions add weight only; with no dimensions at all the weight alone is billed.
 */
export function consignmentParcel(lines: readonly QuoteLineRequest[]): Parcel {
  let weightGrams = 0;
  let lengthMm = 0;
  let widthMm = 0;
  let heightMm = 0;
  for (const line of lines) {
    weightGrams += line.weightGrams * line.quantity;
    if (line.dimensions !== undefined) {
      lengthMm = Math.max(lengthMm, line.dimensions.lengthMm);
      widthMm = Math.max(widthMm, line.dimensions.widthMm);
      heightMm += line.dimensions.heightMm * line.quantity;
    }
  }
  if (!Number.isSafeInteger(weightGrams) || !Number.isSafeInteger(heightMm)) {
    throw new AppError('VALIDATION_FAILED', 'the consignment is too large to rate', { field: 'lines' });
  }
  return heightMm === 0 ? { weightGrams, ...NO_VOLUME } : { weightGrams, lengthMm, widthMm, heightMm };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function strategyFor(
  rule: ShippingChoiceRule,
  options: readonly ServiceOption[],
  quoteTime: Date,
): { strategy: ChoiceStrategy; deliverBy: string | null } {
  switch (rule.kind) {
    case 'CHEAPEST': {
      // No promise: every option qualifies, so the cheapest wins.
      const latest = options.map((o) => o.latestDelivery).sort();
      const last = latest[latest.length - 1] ?? isoDay(quoteTime);
      return {
        strategy: { kind: 'CHEAPEST_MEETING_PROMISE', deliverBy: new Date(`${last}T00:00:00.000Z`) },
        deliverBy: null,
      };
    }
    case 'CHEAPEST_WITHIN_PROMISE': {
      const deliverBy = addBusinessDays(quoteTime, rule.deliveryPromiseDays);
      return {
        strategy: { kind: 'CHEAPEST_MEETING_PROMISE', deliverBy: new Date(`${deliverBy}T00:00:00.000Z`) },
        deliverBy,
      };
    }
    case 'FASTEST_WITHIN_CAP':
      return { strategy: { kind: 'FASTEST_WITHIN_CAP', priceCap: rule.priceCap }, deliverBy: null };
  }
}

const REFUSAL_FIELD: Readonly<Record<ShippingChoiceRule['kind'], string>> = {
  CHEAPEST: 'incoterm',
  CHEAPEST_WITHIN_PROMISE: 'shipping.deliveryPromiseDays',
  FASTEST_WITHIN_CAP: 'shipping.priceCap',
};

/**
 * Prices every carrier service for the consignment, converts the prices into the cart currency
 * and picks one by the shipping rule (DDP quotes only consider services that deliver duties
 * paid). No service, or none meeting the rule: a 422 saying why.
 */
export function quoteShipping(
  prepared: PreparedQuote,
  carrier: CarrierRates,
  fxRates: FxRateTable,
): { shipping: QuoteShipping; conversions: QuoteFxConversion[] } {
  const { cart, quoteTime, shippingRule } = prepared;
  const parcel = consignmentParcel(prepared.request.lines);
  const { options, unavailable } = quoteServices(
    { origin: cart.shipFrom, destination: cart.shipTo, parcels: [parcel], shipDate: quoteTime },
    carrier.rateCards,
    carrier.zones,
  );
  if (options.length === 0) {
    const tooHeavy = unavailable.some((u) => u.reason === 'OVER_WEIGHT_LIMIT');
    throw new AppError(
      'BUSINESS_RULE_VIOLATION',
      tooHeavy
        ? `no shipping service carries a ${parcel.weightGrams} g consignment from ${cart.shipFrom} to ${cart.shipTo}`
        : `no shipping service serves ${cart.shipFrom} → ${cart.shipTo}`,
      { field: tooHeavy ? 'lines' : 'shipTo.country', details: { unavailable } },
    );
  }

  const conversions: QuoteFxConversion[] = [];
  const inCartCurrency: ServiceOption[] = [];
  const quoted: QuotedShippingOption[] = options.map((option) => {
    const conversion = convert(option.price, cart.currency, fxRates, 'HALF_EVEN', 'fxRates');
    if (conversion.from.currency !== conversion.to.currency) {
      conversions.push({ purpose: `shipping:${option.serviceId}`, ...conversion });
    }
    inCartCurrency.push({ ...option, price: conversion.to });
    return {
      serviceId: option.serviceId,
      rateCard: { id: option.serviceId, version: option.rateCardVersion },
      carrier: option.carrier,
      level: option.level,
      transportMode: option.transportMode,
      zone: option.zone,
      billableGrams: option.billableGrams,
      price: conversion.to,
      carrierPrice: option.price,
      transitDays: option.transitDays,
      earliestDelivery: option.earliestDelivery,
      latestDelivery: option.latestDelivery,
      ddpSupported: option.ddpSupported,
    };
  });

  const { strategy, deliverBy } = strategyFor(shippingRule, inCartCurrency, quoteTime);
  const choice = chooseShippingService({
    options: inCartCurrency,
    strategy,
    requireDdp: cart.incoterm === 'DDP',
  });
  const chosen = quoted.find((o) => o.serviceId === choice.chosen?.serviceId);
  if (chosen === undefined) {
    throw new AppError(
      'BUSINESS_RULE_VIOLATION',
      `no shipping service meets the request (${choice.rejected.map((r) => `${r.serviceId}: ${r.reason}`).join('; ')})`,
      { field: REFUSAL_FIELD[shippingRule.kind], details: { rejected: choice.rejected } },
    );
  }
  return {
    shipping: {
      rule: shippingRule,
      shipDate: isoDay(quoteTime),
      deliverBy,
      chosen,
      options: quoted,
      rejected: choice.rejected,
      unavailable,
    },
    conversions,
  };
}
