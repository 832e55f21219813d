import type {
  Collection,
  DutyComponent,
  Incoterm,
  LandedCostQuote,
  RegimeOutcome,
  RuleRef,
  TaxComponent,
  TaxCategory,
  Totals,
} from '../landed-cost';
import type { FxConversion, FxRate, FxReference, Money } from '../money';
import type { ScreeningResult } from '../compliance';
import type { ServiceLevel, TransportMode, UnavailableService } from '../shipping';

/** A place goods leave from or go to. */
export interface QuoteLocation {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** State, province or prefecture code (Canada: the province decides GST/HST). */
  readonly region?: string;
  readonly postalCode?: string;
}

export interface QuoteAddress {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country: string;
}

/** A person or company screened against the denied-party list. */
export interface QuoteParty {
  readonly name: string;
  readonly address: QuoteAddress;
}

export interface QuoteDimensions {
  readonly lengthMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface QuoteLineRequest {
  readonly sku: string;
  readonly description: string;
  readonly hsCode: string;
  readonly originCountry: string;
  /** Price of one unit as a decimal string in the cart currency, e.g. "19.99". */
  readonly unitPrice: string;
  readonly quantity: number;
  readonly weightGrams: number;
  /** Size of one unit, for volumetric weight. */
  readonly dimensions?: QuoteDimensions;
}

/**
 * How the shipping service is chosen: cheapest delivering within `deliveryPromiseDays` business
 * days, or fastest costing at most `priceCap` (cart currency); neither: the cheapest service.
 */
export interface ShippingPreference {
  readonly deliveryPromiseDays?: number;
  readonly priceCap?: string;
}

/** What the checkout asks to be quoted. */
export interface QuoteRequest {
  readonly merchantId: string;
  readonly currency: string;
  readonly incoterm: Incoterm;
  readonly shipFrom: QuoteLocation;
  readonly shipTo: QuoteLocation;
  readonly lines: readonly QuoteLineRequest[];
  readonly buyer: QuoteParty;
  readonly consignee: QuoteParty;
  readonly shipping?: ShippingPreference;
}

/** The shipping preference made precise. */
export type ShippingChoiceRule =
  | { readonly kind: 'CHEAPEST' }
  | { readonly kind: 'CHEAPEST_WITHIN_PROMISE'; readonly deliveryPromiseDays: number }
  | { readonly kind: 'FASTEST_WITHIN_CAP'; readonly priceCap: Money };

/** A carrier service priced for this consignment, in the cart currency. */
export interface QuotedShippingOption {
  readonly serviceId: string;
  readonly rateCard: RuleRef;
  readonly carrier: string;
  readonly level: ServiceLevel;
  readonly transportMode: TransportMode;
  readonly zone: string;
  readonly billableGrams: number;
  /** What the buyer pays for it (the carrier price converted to the cart currency). */
  readonly price: Money;
  /** The carrier's own price, in the rate card's currency. */
  readonly carrierPrice: Money;
  readonly transitDays: { readonly min: number; readonly max: number };
  readonly earliestDelivery: string;
  readonly latestDelivery: string;
  readonly ddpSupported: boolean;
}

export interface QuoteShipping {
  readonly rule: ShippingChoiceRule;
  /** The day the parcels are assumed to leave (the quote day, UTC). */
  readonly shipDate: string;
  /** Latest acceptable delivery date under a delivery promise, else null. */
  readonly deliverBy: string | null;
  readonly chosen: QuotedShippingOption;
  readonly options: readonly QuotedShippingOption[];
  readonly rejected: readonly { readonly serviceId: string; readonly reason: string }[];
  readonly unavailable: readonly UnavailableService[];
}

export interface QuoteLine {
  readonly index: number;
  readonly sku: string;
  readonly description: string;
  readonly hsCode: string;
  readonly originCountry: string;
  readonly quantity: number;
  readonly taxCategory: TaxCategory;
  readonly unitPrice: Money;
  readonly goods: Money;
  readonly shipping: Money;
  readonly duties: Money;
  readonly taxes: Money;
  readonly fees: Money;
  readonly landedTotal: Money;
  readonly chargeNow: Money;
  readonly dueOnDelivery: Money;
  /** Destination currency, as customs values the line. */
  readonly customsValue: Money;
  readonly dutyComponents: readonly DutyComponent[];
  readonly taxComponents: readonly TaxComponent[];
}

/** A conversion the quote made, and what for. */
export interface QuoteFxConversion extends FxConversion {
  readonly purpose: string;
}

/** Everything the quote computed: stored whole (JSONB) and answered as is. */
export interface QuoteBreakdown {
  readonly quoteTime: string;
  readonly currency: string;
  readonly incoterm: Incoterm;
  readonly destination: LandedCostQuote['destination'];
  readonly regime: RegimeOutcome;
  readonly collection: {
    readonly duties: Collection;
    readonly taxes: Collection;
    readonly fees: Collection;
  };
  readonly lines: readonly QuoteLine[];
  readonly totals: Totals;
  readonly destinationTotals: {
    readonly customsValue: Money;
    readonly duties: Money;
    readonly taxes: Money;
    readonly fees: Money;
  };
  readonly shipping: QuoteShipping;
  readonly screening: ScreeningResult;
  readonly rulesUsed: {
    readonly landedCost: readonly RuleRef[];
    readonly screening: readonly RuleRef[];
    readonly shipping: readonly RuleRef[];
  };
  readonly fx: {
    readonly reference: FxReference;
    readonly rates: readonly FxRate[];
    readonly conversions: readonly QuoteFxConversion[];
  };
  readonly notes: readonly string[];
}

/** A quote ready to be stored: the price lock and its whole computation. */
export interface QuoteDraft {
  readonly merchantId: string;
  readonly currency: string;
  readonly incoterm: Incoterm;
  readonly shipFromCountry: string;
  readonly shipToCountry: string;
  /** What the order saga charges, exactly. */
  readonly chargeNow: Money;
  /** Estimate the buyer pays the carrier on delivery (DAP), zero otherwise. */
  readonly dueOnDelivery: Money;
  readonly screeningDecision: ScreeningResult['decision'];
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly request: QuoteRequest;
  readonly breakdown: QuoteBreakdown;
}

/** OPEN until an order locks it (CONSUMED); EXPIRED is read from expiresAt, never stored. */
export type QuoteStatus = 'OPEN' | 'CONSUMED' | 'EXPIRED';
