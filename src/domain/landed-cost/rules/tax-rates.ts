import { SOURCES } from './sources';
import type { RuleMeta, TaxCategory } from './types';

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

const eu = (country: string, rates: Record<TaxCategory, string>, notes: string): TaxRateRule => ({
  id: `vat-${country.toLowerCase()}`,
  version: 1,
  country,
  taxName: 'VAT',
  validFrom: '2021-07-01',
  validTo: null,
  rates,
  sources: country === 'IE' ? [SOURCES.euVatRates, SOURCES.ieVatChildren] : [SOURCES.euVatRates],
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
  sources: [SOURCES.caGstHst],
  notes:
    taxName === 'GST'
      ? 'GST only: provincial sales tax (PST/QST/RST) is not collected at the border by CBSA and is out of scope.'
      : 'HST collected at import for participating provinces.',
});

export const TAX_RATES: readonly TaxRateRule[] = [
  eu(
    'DE',
    { standard: '19', food: '7', books: '7', childrenClothing: '19' },
    'Standard 19%, reduced 7% (food, books).',
  ),
  eu(
    'FR',
    { standard: '20', food: '5.5', books: '5.5', childrenClothing: '20' },
    'Standard 20%, reduced 5.5% (food, books).',
  ),
  eu(
    'NL',
    { standard: '21', food: '9', books: '9', childrenClothing: '21' },
    'Standard 21%, reduced 9% (food, books).',
  ),
  eu(
    'IE',
    { standard: '23', food: '0', books: '0', childrenClothing: '0' },
    "Checked: zero rate for children's clothing and footwear (sizes up to age 10). Standard 23%; most basic food and printed books zero-rated.",
  ),
  {
    id: 'vat-gb',
    version: 1,
    country: 'GB',
    taxName: 'VAT',
    validFrom: '2021-01-01',
    validTo: null,
    rates: { standard: '20', food: '0', books: '0', childrenClothing: '0' },
    sources: [SOURCES.gbVatRates],
    notes: "Checked: zero rate for most food, printed books, children's clothes and footwear; standard 20%.",
  },
  {
    id: 'gst-au',
    version: 1,
    country: 'AU',
    taxName: 'GST',
    validFrom: '2018-07-01',
    validTo: null,
    rates: { standard: '10', food: '0', books: '10', childrenClothing: '10' },
    sources: [SOURCES.auLowValue, SOURCES.auAtoLcr],
    notes: 'GST 10%; basic food GST-free.',
  },
  {
    id: 'consumption-tax-jp',
    version: 1,
    country: 'JP',
    taxName: 'Consumption tax',
    validFrom: '2019-10-01',
    validTo: null,
    rates: { standard: '10', food: '8', books: '10', childrenClothing: '10' },
    sources: [SOURCES.jpConsumptionTax],
    notes: '10% (7.8% national + 2.2% local); reduced 8% for food and non-alcoholic beverages.',
  },
  {
    id: 'gst-ca-federal',
    version: 1,
    country: 'CA',
    taxName: 'GST',
    validFrom: '2020-07-01',
    validTo: null,
    rates: { standard: '5', food: '0', books: '5', childrenClothing: '5' },
    sources: [SOURCES.caGstHst],
    notes:
      'Used when no province is given: federal GST only, which understates HST provinces (the quote says so).',
  },
  ...['AB', 'BC', 'MB', 'NT', 'NU', 'QC', 'SK', 'YT'].map((r) => caRegion(r, 'GST', '5')),
  caRegion('ON', 'HST', '13'),
  caRegion('NB', 'HST', '15'),
  caRegion('NL', 'HST', '15'),
  caRegion('PE', 'HST', '15'),
  caRegion('NS', 'HST', '15', '2020-07-01', '2025-04-01', 1),
  caRegion('NS', 'HST', '14', '2025-04-01', null, 2),
];
