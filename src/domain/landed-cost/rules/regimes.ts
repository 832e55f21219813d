import type { Money } from '../../money';
import { SOURCES } from './sources';
import type { Market, RuleMeta } from './types';

/**
 * Low-value regimes per market, with their effective dates. The engine (../regime.ts) reads
 * these; the numbers live only here.
 */
export type RegimeRule =
  | (RuleMeta & {
      readonly kind: 'US_DE_MINIMIS';
      readonly market: 'US';
      /** Goods valued at or below this enter free of duty and fees (19 U.S.C. 1321(a)(2)(C)). */
      readonly threshold: Money;
    })
  | (RuleMeta & {
      readonly kind: 'US_DE_MINIMIS_SUSPENSION';
      readonly market: 'US';
      /** Origins whose goods no longer get de minimis; 'ALL' for every origin. */
      readonly origins: readonly string[] | 'ALL';
    })
  | (RuleMeta & {
      readonly kind: 'LOW_VALUE_POINT_OF_SALE_TAX';
      readonly market: 'EU' | 'GB' | 'AU';
      /** Consignments of (intrinsic/customs) value at or below this: tax charged by the seller at checkout. */
      readonly threshold: Money;
      /** Whether customs duty is relieved for those consignments. */
      readonly dutyRelief: boolean;
    })
  | (RuleMeta & {
      readonly kind: 'EU_FLAT_DUTY_PER_SUBHEADING';
      readonly market: 'EU';
      readonly threshold: Money;
      /** Duty per distinct 6-digit HS subheading in the consignment. */
      readonly dutyPerSubheading: Money;
    })
  | (RuleMeta & {
      readonly kind: 'CA_COURIER_REMISSION';
      readonly market: 'CA';
      /** Ship-from countries this tier applies to; 'OTHER' for everyone not listed in another tier. */
      readonly shipFrom: readonly string[] | 'OTHER';
      /** At or below: no duty and no tax. */
      readonly dutyAndTaxFreeUpTo: Money;
      /** At or below (and above the first): no duty, taxes due. */
      readonly dutyFreeUpTo: Money;
    })
  | (RuleMeta & {
      readonly kind: 'JP_SMALL_CONSIGNMENT';
      readonly market: 'JP';
      /** Total customs value at or below this: no customs duty and no consumption tax. */
      readonly threshold: Money;
      /** HS prefixes of the designated articles the exemption does not cover. */
      readonly excludedHsPrefixes: readonly string[];
    });

const EXCISE_NOTE = 'Excise goods (alcohol, tobacco) are excluded and follow the normal import rules.';

export const REGIME_RULES: readonly RegimeRule[] = [
  // ── United States ──────────────────────────────────────────────────────────────────────────
  {
    id: 'us-de-minimis-321',
    version: 1,
    kind: 'US_DE_MINIMIS',
    market: 'US',
    validFrom: '2016-03-10', // TFTEA raised the amount from USD 200 to USD 800
    validTo: null,
    threshold: { amount: 80000, currency: 'USD' },
    sources: [SOURCES.us19usc1321],
    notes:
      'USD 800 per person per day; applied per consignment (simplification). Suspended by the rules below; the statute itself is repealed from July 1, 2027 (not encoded).',
  },
  {
    id: 'us-de-minimis-suspended-cn-hk',
    version: 1,
    kind: 'US_DE_MINIMIS_SUSPENSION',
    market: 'US',
    origins: ['CN', 'HK'],
    validFrom: '2025-05-02',
    validTo: null,
    sources: [SOURCES.usEo14256],
    notes:
      'Products of the PRC and Hong Kong lost de minimis from May 2, 2025 (EO 14256; checked in secondary summaries of the EO).',
  },
  {
    id: 'us-de-minimis-suspended-all',
    version: 1,
    kind: 'US_DE_MINIMIS_SUSPENSION',
    market: 'US',
    origins: 'ALL',
    validFrom: '2025-08-29',
    validTo: null,
    sources: [SOURCES.usEo14324, SOURCES.usEndingIeepaFeb2026],
    notes:
      'Checked: effective 12:01 a.m. ET Aug 29, 2025 for all countries; continued by the EO "Continuing the Suspension of Duty-Free De Minimis Treatment for All Countries" of Feb 20, 2026. Postal-network transitional duties are not modelled (we quote courier shipments).',
  },
  // ── European Union ─────────────────────────────────────────────────────────────────────────
  {
    id: 'eu-ioss-duty-relief',
    version: 1,
    kind: 'LOW_VALUE_POINT_OF_SALE_TAX',
    market: 'EU',
    validFrom: '2021-07-01',
    validTo: '2026-07-01',
    threshold: { amount: 15000, currency: 'EUR' },
    dutyRelief: true,
    sources: [
      SOURCES.euIoss,
      SOURCES.euDirective2017_2455,
      SOURCES.euDutyRelief1186,
      SOURCES.deZollInternetOrders,
    ],
    notes: `Checked: VAT due on every import; consignments of intrinsic value up to EUR 150 free of customs duty (Zoll). IOSS assumed used (VAT collected at checkout). ${EXCISE_NOTE}`,
  },
  {
    id: 'eu-ioss-flat-duty',
    version: 1,
    kind: 'EU_FLAT_DUTY_PER_SUBHEADING',
    market: 'EU',
    validFrom: '2026-07-01',
    validTo: '2028-07-01',
    threshold: { amount: 15000, currency: 'EUR' },
    dutyPerSubheading: { amount: 300, currency: 'EUR' },
    sources: [SOURCES.euFlatDuty2026, SOURCES.euIoss],
    notes:
      'Checked (Council press release of 11 Feb 2026 as quoted by several reports; the official page itself was not reached): duty relief for parcels under EUR 150 abolished; interim EUR 3 per distinct tariff sub-heading (example: 1 silk + 2 wool blouses = EUR 6) from 1 July 2026 to 1 July 2028, for parcels sent directly to consumers (reports say: IOSS consignments). Sub-heading taken as the 6-digit HS code. The press release says "under EUR 150" while the IOSS limit is "not exceeding EUR 150"; we apply it up to and including EUR 150 because it replaces the relief of IOSS consignments.',
  },
  // ── United Kingdom ─────────────────────────────────────────────────────────────────────────
  {
    id: 'gb-low-value-135',
    version: 1,
    kind: 'LOW_VALUE_POINT_OF_SALE_TAX',
    market: 'GB',
    validFrom: '2021-01-01',
    validTo: null,
    threshold: { amount: 13500, currency: 'GBP' },
    dutyRelief: true,
    sources: [SOURCES.gbLowValue],
    notes: `Consignments of intrinsic value of GBP 135 or less: VAT charged by the seller at the point of sale, no import VAT, no customs duty. ${EXCISE_NOTE} Gifts between individuals not modelled.`,
  },
  // ── Australia ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'au-low-value-goods-1000',
    version: 1,
    kind: 'LOW_VALUE_POINT_OF_SALE_TAX',
    market: 'AU',
    validFrom: '2018-07-01',
    validTo: null,
    threshold: { amount: 100000, currency: 'AUD' },
    dutyRelief: true,
    sources: [SOURCES.auLowValue, SOURCES.auAtoLcr],
    notes: `Checked: goods with a customs value of AUD 1,000 or less: GST collected by the vendor at the point of sale; the AUD 1,000 border threshold for duty and taxes is unchanged. Vendor assumed GST-registered. ${EXCISE_NOTE}`,
  },
  // ── Canada ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'ca-courier-cusma',
    version: 1,
    kind: 'CA_COURIER_REMISSION',
    market: 'CA',
    shipFrom: ['US', 'MX'],
    validFrom: '2020-07-01',
    validTo: null,
    dutyAndTaxFreeUpTo: { amount: 4000, currency: 'CAD' },
    dutyFreeUpTo: { amount: 15000, currency: 'CAD' },
    sources: [SOURCES.caCusma, SOURCES.caCn2018],
    notes:
      'Checked: courier shipments from the US or Mexico: up to CAD 40 duty and tax free; above CAD 40 to CAD 150 duty free, taxes apply; above CAD 150 both. Decided by the place of direct shipment (shipFrom), not origin. Postal shipments (CAD 20) not modelled.',
  },
  {
    id: 'ca-courier-general',
    version: 1,
    kind: 'CA_COURIER_REMISSION',
    market: 'CA',
    shipFrom: 'OTHER',
    validFrom: '2020-07-01',
    validTo: null,
    dutyAndTaxFreeUpTo: { amount: 2000, currency: 'CAD' },
    dutyFreeUpTo: { amount: 2000, currency: 'CAD' },
    sources: [SOURCES.caCusma],
    notes:
      'Checked: from any other country, courier or mail: up to CAD 20 duty and tax free, above CAD 20 duties and taxes apply (one CAD 20 threshold for both – the brief\'s "CAD 40 duty" is not what CBSA states). In force long before 2020-07-01; earlier history not encoded.',
  },
  // ── Japan ──────────────────────────────────────────────────────────────────────────────────
  {
    id: 'jp-small-consignment-10000',
    version: 1,
    kind: 'JP_SMALL_CONSIGNMENT',
    market: 'JP',
    validFrom: '2000-01-01',
    validTo: null,
    threshold: { amount: 10000, currency: 'JPY' },
    excludedHsPrefixes: [
      '61',
      '64',
      '420221',
      '420231',
      '420291',
      '2402',
      '2203',
      '2204',
      '2205',
      '2206',
      '2207',
      '2208',
    ],
    sources: [SOURCES.jpSmallConsignment, SOURCES.jpPersonalUseValue],
    notes:
      'Checked: goods of a total customs value of JPY 10,000 or less per declaration/package are exempt from customs duty and consumption tax, except designated articles. The designated list was not read on the official page; knitted apparel (ch. 61), footwear (ch. 64) and leather bags are excluded here as reported by secondary sources; liquor and tobacco taxes are never exempt. Customs value for personal use = 60% of the overseas retail price (see MARKETS.JP). validFrom is a placeholder: the rule is older.',
  },
];

export function regimeRulesFor(market: Market): RegimeRule[] {
  return REGIME_RULES.filter((r) => r.market === market);
}
