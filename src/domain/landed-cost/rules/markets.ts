import type { Market } from './types';

/** How customs values a consignment: a share of the goods price, plus or minus the freight. */
export interface Valuation {
  /** Decimal share of the goods price counted ("1", or "0.6" for Japan's personal-use rule). */
  readonly goodsShare: string;
  readonly includeShipping: boolean;
}

export interface MarketProfile {
  readonly market: Market;
  readonly currency: string;
  /** Destination countries (ISO 3166-1 alpha-2) quoted in this market. */
  readonly countries: readonly string[];
  /** Value compared with the low-value threshold. */
  readonly thresholdBasis: Valuation;
  /** Customs value on which ad valorem duty is charged. */
  readonly dutyBasis: Valuation;
  /** Import tax base = duty basis + duty (+ shipping when it is not already in the duty basis). */
  readonly importTaxAddsShipping: boolean;
  readonly notes: string;
}

export const MARKETS: Readonly<Record<Market, MarketProfile>> = {
  US: {
    market: 'US',
    currency: 'USD',
    countries: ['US'],
    thresholdBasis: { goodsShare: '1', includeShipping: false },
    dutyBasis: { goodsShare: '1', includeShipping: false },
    importTaxAddsShipping: false,
    notes:
      'US transaction value excludes international freight (FOB). No federal import VAT; state sales tax is out of scope.',
  },
  EU: {
    market: 'EU',
    currency: 'EUR',
    countries: ['DE', 'FR', 'NL', 'IE'],
    thresholdBasis: { goodsShare: '1', includeShipping: false },
    dutyBasis: { goodsShare: '1', includeShipping: true },
    importTaxAddsShipping: false,
    notes:
      'Threshold on intrinsic value (goods price, excluding transport). Customs value is CIF: all shipping charged is counted (simplification: no split of freight inside/outside the EU).',
  },
  GB: {
    market: 'GB',
    currency: 'GBP',
    countries: ['GB'],
    thresholdBasis: { goodsShare: '1', includeShipping: false },
    dutyBasis: { goodsShare: '1', includeShipping: true },
    importTaxAddsShipping: false,
    notes: 'Threshold on intrinsic value (goods price excluding transport); customs value CIF.',
  },
  CA: {
    market: 'CA',
    currency: 'CAD',
    countries: ['CA'],
    thresholdBasis: { goodsShare: '1', includeShipping: false },
    dutyBasis: { goodsShare: '1', includeShipping: false },
    importTaxAddsShipping: false,
    notes: 'Value for duty excludes international freight; GST/HST on value for duty plus duty.',
  },
  AU: {
    market: 'AU',
    currency: 'AUD',
    countries: ['AU'],
    thresholdBasis: { goodsShare: '1', includeShipping: false },
    dutyBasis: { goodsShare: '1', includeShipping: false },
    importTaxAddsShipping: true,
    notes:
      'Customs value is FOB; GST at the border is on the value of the taxable importation (customs value + duty + transport and insurance).',
  },
  JP: {
    market: 'JP',
    currency: 'JPY',
    countries: ['JP'],
    thresholdBasis: { goodsShare: '0.6', includeShipping: true },
    dutyBasis: { goodsShare: '0.6', includeShipping: true },
    importTaxAddsShipping: false,
    notes:
      'Goods bought by a consumer for personal use are valued at 60% of the overseas retail price (Customs Tariff Act Art. 4-6, Enforcement Order Art. 1-13); customs value is CIF, so shipping is added in full (simplification: whether the 0.6 factor also applies to freight was not verified).',
  },
};

/** Provinces and territories of Canada (for GST/HST). */
export const CA_REGIONS = [
  'AB',
  'BC',
  'MB',
  'NB',
  'NL',
  'NS',
  'NT',
  'NU',
  'ON',
  'PE',
  'QC',
  'SK',
  'YT',
] as const;

export function marketOfCountry(country: string): Market | undefined {
  return (Object.values(MARKETS) as MarketProfile[]).find((m) => m.countries.includes(country))?.market;
}

export function supportedDestinations(): string[] {
  return (Object.values(MARKETS) as MarketProfile[]).flatMap((m) => [...m.countries]).sort();
}
