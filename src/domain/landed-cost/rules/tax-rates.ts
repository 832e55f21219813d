import { SOURCES } from './sources';
import type { RuleMeta, RuleSource, TaxCategory } from './types';

/**
 * VAT / GST / consumption-tax rates per destination (and Canadian province) and tax category.
 * Rates are percentages as decimal strings. Only the categories the sample catalogue hits are
 * encoded: 'food' means the basic foodstuffs of the catalogue (coffee, tea, pepper), not meals or
 * confectionery; 'books' means printed books; 'childrenClothing' means clothing in children's sizes.
 */
export interface TaxRateRule extends RuleMeta {
  readonly country: string;
  /** Canadian province/territory for GST/HST; absent elsewhere. */
  readonly region?: string;
  readonly taxName: 'VAT' | 'GST' | 'HST' | 'Consumption tax';
  readonly rates: Readonly<Record<TaxCategory, string>>;
}

/** Where the rates were read (see the notes of each rule for what was and was not checked). */
const EU_EXTRA_SOURCES: Readonly<Record<string, readonly RuleSource[]>> = {
  DE: [SOURCES.deUstgAnlage2],
  FR: [SOURCES.vatRatesSecondary],
  NL: [SOURCES.vatRatesSecondary],
  IE: [SOURCES.ieVatChildren, SOURCES.ieVatZeroRate, SOURCES.vatRatesSecondary],
};

const eu = (country: string, rates: Record<TaxCategory, string>, notes: string): TaxRateRule => ({
  id: `vat-${country.toLowerCase()}`,
  version: 1,
  country,
  taxName: 'VAT',
  validFrom: '2021-07-01',
  validTo: null,
  rates,
  sources: [SOURCES.euVatRates, ...(EU_EXTRA_SOURCES[country] ?? [])],
  notes,
});

const caRegion = (
  region: string,
  taxName: 'GST' | 'HST',
  standard: string,
  from = '2020-07-01',
  to: string | null = null,
  version = 1,
): TaxRateRule => ({
  id: `gst-hst-ca-${region.toLowerCase()}`,
  version,
  country: 'CA',
  region,
  taxName,
  validFrom: from,
  validTo: to,
  // Basic groceries are zero-rated; printed books and children's clothing follow the standard
  // rate here (provincial point-of-sale rebates in some HST provinces are not modelled).
  rates: { standard, food: '0', books: standard, childrenClothing: standard },
  sources:
    region === 'NS' && from === '2025-04-01'
      ? [SOURCES.caGstHst, SOURCES.caNsHst2025]
      : [SOURCES.caGstHst, SOURCES.vatRatesSecondary],
  notes:
    taxName === 'GST'
      ? 'GST only: provincial sales tax (PST/QST/RST) is not collected at the border by CBSA and is out of scope. GST 5% read only on third-party summaries; zero-rating of basic groceries not read.'
      : 'HST collected at import for participating provinces. Read: NS 14% from 2025-04-01 in SOR/2025-77 (NS provincial part 9%); ON 13%, NB/NL/PE 15% and NS 15% before 2025-04-01 only on third-party summaries; zero-rating of basic groceries not read.',
});

export const TAX_RATES: readonly TaxRateRule[] = [
  eu(
    'DE',
    { standard: '19', food: '7', books: '7', childrenClothing: '19' },
    "Standard 19%, reduced 7% (food, books). Checked (on haufe.de, a publisher's rendering of the law): 19% and 7%, and 7% for coffee, tea and pepper (UStG Anlage 2 Nr. 12). Not read: books at 7% (Anlage 2 Nr. 49).",
  ),
  eu(
    'FR',
    { standard: '20', food: '5.5', books: '5.5', childrenClothing: '20' },
    'Standard 20%, reduced 5.5% (food, books). Read only on third-party summaries (official page not reached).',
  ),
  eu(
    'NL',
    { standard: '21', food: '9', books: '9', childrenClothing: '21' },
    'Standard 21%, reduced 9% (food, books). Read only on third-party summaries (official page not reached).',
  ),
  eu(
    'IE',
    { standard: '23', food: '0', books: '0', childrenClothing: '0' },
    "Checked on revenue.ie: zero rate for certain food and drink, certain books, and children's clothing and footwear (under 11 years). Standard 23% read only on third-party summaries.",
  ),
  {
    id: 'vat-gb',
    version: 1,
    country: 'GB',
    taxName: 'VAT',
    validFrom: '2021-01-01',
    validTo: null,
    rates: { standard: '20', food: '0', books: '0', childrenClothing: '0' },
    sources: [SOURCES.gbVatRates, SOURCES.gbVatHowMuch, SOURCES.vatRatesSecondary],
    notes:
      "Checked on GOV.UK: standard 20%; zero rate for books and children's clothes and shoes. Zero rate for food read only on a third-party summary citing GOV.UK.",
  },
  {
    id: 'gst-au',
    version: 1,
    country: 'AU',
    taxName: 'GST',
    validFrom: '2018-07-01',
    validTo: null,
    rates: { standard: '10', food: '0', books: '10', childrenClothing: '10' },
    sources: [SOURCES.auLowValue, SOURCES.auAtoLcr, SOURCES.auGstFood, SOURCES.vatRatesSecondary],
    notes:
      "GST 10%; basic food GST-free (GST Act Subdiv. 38-A read on a mirror; 10% and tea, coffee and spices GST-free read on third-party summaries). Books and children's clothing at 10% not separately read.",
  },
  {
    id: 'consumption-tax-jp',
    version: 1,
    country: 'JP',
    taxName: 'Consumption tax',
    validFrom: '2019-10-01',
    validTo: null,
    rates: { standard: '10', food: '8', books: '10', childrenClothing: '10' },
    sources: [SOURCES.jpConsumptionTax, SOURCES.jpCustomsAdvanceRulings],
    notes:
      '10% (7.8% national + 2.2% local); reduced 8% for food and non-alcoholic beverages. Checked in Japan Customs rulings: clothing 7.8% + local 22/78 (10%), roasted coffee 6.24% + local 22/78 (8%). Books at 10% not read.',
  },
  {
    id: 'gst-ca-federal',
    version: 1,
    country: 'CA',
    taxName: 'GST',
    validFrom: '2020-07-01',
    validTo: null,
    rates: { standard: '5', food: '0', books: '5', childrenClothing: '5' },
    sources: [SOURCES.caGstHst, SOURCES.vatRatesSecondary],
    notes:
      'Used when no province is given: federal GST only, which understates HST provinces (the quote says so). GST 5% read only on third-party summaries.',
  },
  ...['AB', 'BC', 'MB', 'NT', 'NU', 'QC', 'SK', 'YT'].map((r) => caRegion(r, 'GST', '5')),
  caRegion('ON', 'HST', '13'),
  caRegion('NB', 'HST', '15'),
  caRegion('NL', 'HST', '15'),
  caRegion('PE', 'HST', '15'),
  caRegion('NS', 'HST', '15', '2020-07-01', '2025-04-01', 1),
  caRegion('NS', 'HST', '14', '2025-04-01', null, 2),
];
