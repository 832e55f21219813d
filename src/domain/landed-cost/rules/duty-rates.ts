import { SOURCES } from './sources';
import type { Market, RuleMeta, RuleSource } from './types';

/**
 * Most-favoured-nation (MFN / erga omnes / general) ad valorem duty rates, in percent, per market
 * and 6-digit HS subheading of the sample catalogue. Rates are for the catalogue's typical
 * national line under that subheading (named in `line`); a real classification may land on a
 * sibling line with another rate. Specific and compound duties are not modelled, so the catalogue
 * avoids goods that carry them.
 *
 * `checked` lists the markets whose rate was read in this session on the official schedule or a
 * mirror of it (see README); every other rate is from the schedule as known to the author and
 * still needs a check before production use.
 */
export interface MfnRow {
  readonly hs6: string;
  readonly line: string;
  readonly rates: Readonly<Record<Market, string>>;
  readonly checked: readonly Market[];
}

export const MFN_SCHEDULES: Readonly<Record<Market, RuleSource>> = {
  US: SOURCES.usHts,
  EU: SOURCES.euTaric,
  GB: SOURCES.gbTariff,
  CA: SOURCES.caTariff,
  AU: SOURCES.auTariff,
  JP: SOURCES.jpTariff,
};

/** Schedules as encoded (version bumps when any rate changes). */
export const MFN_VALIDITY: Pick<RuleMeta, 'validFrom' | 'validTo' | 'version'> = {
  validFrom: '2025-01-01',
  validTo: null,
  version: 1,
};

// prettier-ignore
export const MFN_ROWS: readonly MfnRow[] = [
  // Clothing
  { hs6: '610910', line: 'US 6109.10.00 / CN 6109 10 00', rates: { US: '16.5', EU: '12', GB: '12', CA: '18', AU: '5', JP: '7.4' }, checked: ['US', 'CA'] },
  { hs6: '611020', line: 'US 6110.20.20 / CN 6110 20 10', rates: { US: '16.5', EU: '12', GB: '12', CA: '18', AU: '5', JP: '10.9' }, checked: ['US'] },
  { hs6: '611120', line: 'US 6111.20.60 / CN 6111 20 90', rates: { US: '8.1', EU: '12', GB: '12', CA: '18', AU: '5', JP: '7.4' }, checked: [] },
  { hs6: '620342', line: 'US 6203.42.40 / CN 6203 42 31', rates: { US: '16.6', EU: '12', GB: '12', CA: '17', AU: '5', JP: '9.1' }, checked: [] },
  { hs6: '620442', line: 'US 6204.42.30 / CN 6204 42 00', rates: { US: '8.4', EU: '12', GB: '12', CA: '17', AU: '5', JP: '9.1' }, checked: [] },
  { hs6: '620520', line: 'US 6205.20.20 / CN 6205 20 00', rates: { US: '19.7', EU: '12', GB: '12', CA: '17', AU: '5', JP: '7.4' }, checked: [] },
  { hs6: '420221', line: 'US 4202.21.90 / CN 4202 21 00', rates: { US: '9', EU: '3', GB: '2', CA: '10', AU: '5', JP: '8' }, checked: [] },
  // Electronics (ITA goods are duty free almost everywhere)
  { hs6: '851713', line: 'US 8517.13.00 / CN 8517 13 00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
  { hs6: '851762', line: 'US 8517.62.00 / CN 8517 62 00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
  { hs6: '847130', line: 'US 8471.30.01 / CN 8471 30 00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
  { hs6: '847160', line: 'US 8471.60.20 / CN 8471 60 70', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
  { hs6: '852351', line: 'US 8523.51.00 / CN 8523 51 10', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
  { hs6: '850760', line: 'US 8507.60.00 / CN 8507 60 00', rates: { US: '3.4', EU: '2.7', GB: '2', CA: '7', AU: '5', JP: '0' }, checked: ['US'] },
  { hs6: '851830', line: 'US 8518.30.20 / CN 8518 30 95', rates: { US: '4.9', EU: '2', GB: '2', CA: '0', AU: '5', JP: '0' }, checked: [] },
  { hs6: '851822', line: 'US 8518.22.00 / CN 8518 22 00', rates: { US: '4.9', EU: '2', GB: '2', CA: '0', AU: '5', JP: '0' }, checked: [] },
  { hs6: '950450', line: 'US 9504.50.00 / CN 9504 50 00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
  // Cosmetics
  { hs6: '330300', line: 'US 3303.00.30 / CN 3303 00 90', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: [] },
  { hs6: '330410', line: 'US 3304.10.00 / CN 3304 10 00', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: [] },
  { hs6: '330430', line: 'US 3304.30.00 / CN 3304 30 00', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: [] },
  { hs6: '330499', line: 'US 3304.99.50 / CN 3304 99 00', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: [] },
  { hs6: '330510', line: 'US 3305.10.00 / CN 3305 10 00', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: [] },
  // Toys and games
  { hs6: '950300', line: 'US 9503.00.00 / CN 9503 00 xx', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
  { hs6: '950490', line: 'US 9504.90.60 / CN 9504 90 80', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '5', JP: '0' }, checked: [] },
  // Food
  { hs6: '090121', line: 'US 0901.21.00 / CN 0901 21 00', rates: { US: '0', EU: '7.5', GB: '6', CA: '0', AU: '0', JP: '12' }, checked: ['US', 'EU', 'GB'] },
  { hs6: '090210', line: 'US 0902.10.10 / CN 0902 10 00', rates: { US: '0', EU: '3.2', GB: '2', CA: '0', AU: '0', JP: '17' }, checked: [] },
  { hs6: '090230', line: 'US 0902.30.00 / CN 0902 30 00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '12' }, checked: [] },
  { hs6: '090411', line: 'US 0904.11.00 / CN 0904 11 00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
  // Jewellery
  { hs6: '711311', line: 'US 7113.11.50 / CN 7113 11 00', rates: { US: '5', EU: '2.5', GB: '2', CA: '8.5', AU: '5', JP: '5.2' }, checked: ['US'] },
  { hs6: '711319', line: 'US 7113.19.50 / CN 7113 19 00', rates: { US: '5.5', EU: '2.5', GB: '2', CA: '8.5', AU: '5', JP: '5.2' }, checked: [] },
  { hs6: '711719', line: 'US 7117.19.90 / CN 7117 19 00', rates: { US: '11', EU: '4', GB: '4', CA: '8.5', AU: '5', JP: '5.2' }, checked: [] },
  // Books
  { hs6: '490199', line: 'US 4901.99.00 / CN 4901 99 00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: [] },
];

export const MFN_BY_HS6: ReadonlyMap<string, MfnRow> = new Map(MFN_ROWS.map((r) => [r.hs6, r]));

/** The rule identity of one market's rate for one subheading, e.g. `mfn-us-610910@1`. */
export function mfnRuleId(market: Market, hs6: string): string {
  return `mfn-${market.toLowerCase()}-${hs6}`;
}

/**
 * Tariff preferences applied instead of the MFN rate. Simplification: the goods are assumed to
 * meet the agreement's rules of origin and to carry the proof of origin it requires.
 */
export interface PreferenceRule extends RuleMeta {
  readonly market: Market;
  readonly origins: readonly string[];
  readonly ratePercent: string;
}

export const PREFERENCES: readonly PreferenceRule[] = [
  {
    id: 'ca-cusma-preference',
    version: 1,
    market: 'CA',
    origins: ['US', 'MX'],
    ratePercent: '0',
    validFrom: '2020-07-01',
    validTo: null,
    sources: [SOURCES.caCn2018],
    notes: 'CUSMA-originating goods enter Canada duty free (UST/MXT); origin assumed qualifying.',
  },
  {
    id: 'us-usmca-preference',
    version: 1,
    market: 'US',
    origins: ['CA', 'MX'],
    ratePercent: '0',
    validFrom: '2020-07-01',
    validTo: null,
    sources: [SOURCES.usHts],
    notes: 'USMCA-originating goods ("S" special rate) enter duty free; origin assumed qualifying.',
  },
];
