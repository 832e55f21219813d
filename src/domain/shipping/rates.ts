import { AppError } from '../../errors';
import { isCountryCode } from '../compliance/data/countries';
import { money } from '../money';
import type { Parcel, RateCard, ServiceOption, Shipment, UnavailableService, ZoneChart } from './types';

function fail(field: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', message, { field });
}

function positiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    fail(field, 'must be a positive integer');
  return value;
}

/** Volumetric weight in grams: ceil(L×W×H [mm³] / divisor [cm³/kg]) – mm³/1000 = cm³, kg×1000 = g. */
export function dimensionalWeightGrams(parcel: Parcel, dimDivisor: number, field = 'parcel'): number {
  const l = BigInt(positiveInt(parcel.lengthMm, `${field}.lengthMm`));
  const w = BigInt(positiveInt(parcel.widthMm, `${field}.widthMm`));
  const h = BigInt(positiveInt(parcel.heightMm, `${field}.heightMm`));
  const d = BigInt(positiveInt(dimDivisor, 'dimDivisor'));
  const volume = l * w * h;
  return Number((volume + d - 1n) / d);
}

/** max(actual, volumetric), rounded up to the card's increment. */
export function billableWeightGrams(
  parcel: Parcel,
  card: Pick<RateCard, 'dimDivisor' | 'roundUpGrams'>,
  field = 'parcel',
): number {
  const actual = positiveInt(parcel.weightGrams, `${field}.weightGrams`);
  const heavier = Math.max(actual, dimensionalWeightGrams(parcel, card.dimDivisor, field));
  const step = positiveInt(card.roundUpGrams, 'roundUpGrams');
  return Math.ceil(heavier / step) * step;
}

export function zoneFor(chart: ZoneChart, origin: string, destination: string): string | undefined {
  return chart.entries.find((e) => e.origin === origin && e.destinations.includes(destination))?.zone;
}

/** Adds business days (Monday–Friday, UTC; no public holidays) to a date. */
export function addBusinessDays(start: Date, days: number): string {
  const d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}

/**
 * Prices every rate card for a shipment. Parcels are priced one by one (per-piece pricing) and
 * summed. Services that cannot carry the shipment are returned apart, with the reason.
 */
export function quoteServices(
  shipment: Shipment,
  cards: readonly RateCard[],
  chart: ZoneChart,
): { options: ServiceOption[]; unavailable: UnavailableService[] } {
  if (!isCountryCode(shipment.origin)) fail('origin', 'must be an ISO 3166-1 alpha-2 code');
  if (!isCountryCode(shipment.destination)) fail('destination', 'must be an ISO 3166-1 alpha-2 code');
  if (!(shipment.shipDate instanceof Date) || Number.isNaN(shipment.shipDate.getTime()))
    fail('shipDate', 'must be a valid Date');
  if (!Array.isArray(shipment.parcels) || shipment.parcels.length === 0)
    fail('parcels', 'at least one parcel is needed');

  const zone = zoneFor(chart, shipment.origin, shipment.destination);
  const options: ServiceOption[] = [];
  const unavailable: UnavailableService[] = [];
  for (const card of cards) {
    if (zone === undefined) {
      unavailable.push({ serviceId: card.serviceId, reason: 'NO_ZONE' });
      continue;
    }
    const transit = card.transitDays[zone];
    if (transit === undefined) {
      unavailable.push({ serviceId: card.serviceId, reason: 'NO_TRANSIT_FOR_ZONE' });
      continue;
    }
    let total = 0;
    let billable = 0;
    let problem: UnavailableService['reason'] | null = null;
    shipment.parcels.forEach((parcel, i) => {
      const grams = billableWeightGrams(parcel, card, `parcels.${i}`);
      billable += grams;
      const brk = card.breaks.find((b) => grams <= b.upToGrams);
      const price = brk?.prices[zone];
      if (brk === undefined) problem = problem ?? 'OVER_WEIGHT_LIMIT';
      else if (price === undefined) problem = problem ?? 'NO_PRICE_FOR_ZONE';
      else total += price;
    });
    if (problem !== null) {
      unavailable.push({ serviceId: card.serviceId, reason: problem });
      continue;
    }
    options.push({
      serviceId: card.serviceId,
      rateCardVersion: card.version,
      carrier: card.carrier,
      level: card.level,
      transportMode: card.transportMode,
      zone,
      billableGrams: billable,
      price: money(total, card.currency, `rateCards.${card.serviceId}`),
      transitDays: transit,
      earliestDelivery: addBusinessDays(shipment.shipDate, transit.min),
      latestDelivery: addBusinessDays(shipment.shipDate, transit.max),
      ddpSupported: card.ddpSupported,
    });
  }
  return { options, unavailable };
}
