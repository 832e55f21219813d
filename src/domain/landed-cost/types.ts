import type { FxConversion, FxRateTable, Money } from '../money';
import type { Market, RuleRef, TaxCategory } from './rules/types';

export type Incoterm = 'DDP' | 'DAP';

export interface CartLine {
  readonly sku: string;
  readonly description: string;
  /** 6 to 10 digits, no dots: HS subheading plus national extension. */
  readonly hsCode: string;
  /** ISO 3166-1 alpha-2 country of origin of the goods. */
  readonly originCountry: string;
  /** Price of one unit, in the cart currency: Money in minor units, or a decimal string "19.99". */
  readonly unitPrice: Money | string;
  readonly quantity: number;
  readonly weightGrams: number;
  /** Overrides the tax category found from the catalogue (by sku) or the HS code. */
  readonly taxCategory?: TaxCategory;
}

export interface LandedCostInput {
  readonly lines: readonly CartLine[];
  readonly shipFrom: { readonly country: string };
  readonly shipTo: { readonly country: string; readonly region?: string };
  readonly incoterm: Incoterm;
  /** The checkout currency: every price in the cart and every amount of the result. */
  readonly currency: string;
  /** Shipping charged to the buyer, in the cart currency. */
  readonly shippingCost: Money | string;
  /** When the quote is made: selects the rule versions in force. */
  readonly quoteTime: Date;
  readonly fxRates: FxRateTable;
}

export type DutyMode = 'NONE' | 'TARIFF' | 'FLAT_PER_SUBHEADING';
export type TaxMode = 'NONE' | 'POINT_OF_SALE' | 'IMPORT';
export type Collection = 'NONE' | 'CHECKOUT' | 'ON_DELIVERY';

export interface RegimeOutcome {
  /** Machine-readable code, e.g. EU_IOSS_FLAT_DUTY. */
  readonly code: string;
  /** One human sentence saying which threshold applied and why. */
  readonly reason: string;
  readonly dutyMode: DutyMode;
  readonly taxMode: TaxMode;
  /** Value compared with the threshold, in the destination currency. */
  readonly consignmentValue: Money;
  readonly threshold: Money | null;
}

export interface DutyComponent {
  readonly rule: RuleRef;
  readonly kind: 'MFN' | 'PREFERENCE' | 'ADDITIONAL' | 'FLAT_PER_SUBHEADING';
  /** Percent as a decimal string for ad valorem components; null for the flat duty. */
  readonly ratePercent: string | null;
  /** Customs value the rate applied to (destination currency). */
  readonly base: Money;
  readonly amount: Money;
}

export interface TaxComponent {
  readonly rule: RuleRef;
  readonly taxName: string;
  readonly ratePercent: string;
  readonly base: Money;
  readonly amount: Money;
}

export interface LineResult {
  readonly index: number;
  readonly sku: string;
  readonly hsCode: string;
  readonly originCountry: string;
  readonly quantity: number;
  readonly taxCategory: TaxCategory;
  /** Amounts in the cart currency. */
  readonly goods: Money;
  readonly shipping: Money;
  readonly duties: Money;
  readonly taxes: Money;
  readonly fees: Money;
  readonly landedTotal: Money;
  readonly chargeNow: Money;
  readonly dueOnDelivery: Money;
  /** Detail in the destination currency. */
  readonly customsValue: Money;
  readonly dutyComponents: readonly DutyComponent[];
  readonly taxComponents: readonly TaxComponent[];
}

export interface Totals {
  readonly goods: Money;
  readonly shipping: Money;
  readonly duties: Money;
  readonly taxes: Money;
  readonly fees: Money;
  readonly landedTotal: Money;
  readonly chargeNow: Money;
  /** Estimate of what the buyer pays the carrier on delivery (DAP), zero otherwise. */
  readonly dueOnDelivery: Money;
}

export interface LandedCostQuote {
  readonly currency: string;
  readonly quoteTime: string;
  readonly incoterm: Incoterm;
  readonly destination: {
    readonly country: string;
    readonly region: string | null;
    readonly market: Market;
    readonly currency: string;
  };
  readonly regime: RegimeOutcome;
  readonly collection: { readonly duties: Collection; readonly taxes: Collection; readonly fees: Collection };
  readonly lines: readonly LineResult[];
  readonly totals: Totals;
  /** The same duties/taxes/fees in the destination currency, as customs computes them. */
  readonly destinationTotals: {
    readonly customsValue: Money;
    readonly duties: Money;
    readonly taxes: Money;
    readonly fees: Money;
  };
  /** Every rule version the quote used, sorted by id. */
  readonly rulesUsed: readonly RuleRef[];
  readonly fx: readonly FxConversion[];
  readonly notes: readonly string[];
}
