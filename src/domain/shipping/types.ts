import type { Money } from '../money';

export type ServiceLevel = 'ECONOMY' | 'STANDARD' | 'EXPRESS';
export type TransportMode = 'AIR' | 'GROUND' | 'OCEAN';

/** Origin country → destination countries → zone name. */
export interface ZoneChart {
  readonly id: string;
  readonly version: number;
  readonly entries: readonly {
    readonly origin: string;
    readonly destinations: readonly string[];
    readonly zone: string;
  }[];
}

export interface WeightBreak {
  /** Applies to billable weights up to and including this many grams. */
  readonly upToGrams: number;
  /** Price per parcel by zone, in minor units of the card's currency. */
  readonly prices: Readonly<Record<string, number>>;
}

export interface RateCard {
  readonly serviceId: string;
  readonly version: number;
  readonly carrier: string;
  readonly level: ServiceLevel;
  readonly transportMode: TransportMode;
  readonly currency: string;
  /** Volumetric divisor in cm³ per kg (5000 is common for express). */
  readonly dimDivisor: number;
  /** Billable weight is rounded up to a multiple of this (grams). */
  readonly roundUpGrams: number;
  readonly ddpSupported: boolean;
  /** Business days in transit by zone. */
  readonly transitDays: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  readonly breaks: readonly WeightBreak[];
}

export interface Parcel {
  readonly weightGrams: number;
  readonly lengthMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface Shipment {
  readonly origin: string;
  readonly destination: string;
  readonly parcels: readonly Parcel[];
  /** The day the parcels leave (UTC date counts). */
  readonly shipDate: Date;
}

export interface ServiceOption {
  readonly serviceId: string;
  readonly rateCardVersion: number;
  readonly carrier: string;
  readonly level: ServiceLevel;
  readonly transportMode: TransportMode;
  readonly zone: string;
  readonly billableGrams: number;
  readonly price: Money;
  readonly transitDays: { readonly min: number; readonly max: number };
  /** ISO dates (YYYY-MM-DD), business days after the ship date. */
  readonly earliestDelivery: string;
  readonly latestDelivery: string;
  readonly ddpSupported: boolean;
}

export interface UnavailableService {
  readonly serviceId: string;
  readonly reason: 'NO_ZONE' | 'NO_TRANSIT_FOR_ZONE' | 'OVER_WEIGHT_LIMIT' | 'NO_PRICE_FOR_ZONE';
}

export type ChoiceStrategy =
  | { readonly kind: 'CHEAPEST_MEETING_PROMISE'; readonly deliverBy: Date }
  | { readonly kind: 'FASTEST_WITHIN_CAP'; readonly priceCap: Money };

export interface ChooseServiceInput {
  readonly options: readonly ServiceOption[];
  readonly strategy: ChoiceStrategy;
  /** Only services that can deliver duties paid (the quote is DDP). */
  readonly requireDdp?: boolean;
}

export interface ServiceChoice {
  readonly chosen: ServiceOption | null;
  /** Why each other option was not chosen. */
  readonly rejected: readonly { readonly serviceId: string; readonly reason: string }[];
}
