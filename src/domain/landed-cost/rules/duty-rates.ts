import { SOURCES } from './sources';
import type { Market, RuleMeta, RuleSource } from './types';

/**
 * Most-favoured-nation (MFN / erga omnes / general / WTO) ad valorem duty rates, in percent, per
 * market and 6-digit HS subheading of the sample catalogue. Rates are for the catalogue's national
 * line under that subheading (named in `line`: US = HTSUS, CN = EU Combined Nomenclature, UK =
 * UK commodity code, CA = Canadian tariff item, AU = Schedule 3 reference number, JP = Japanese
 * statistical code); a real classification may land on a sibling line with another rate. Specific
 * and compound duties are not modelled, so the catalogue avoids goods that carry them. Japan: the
 * WTO (MFN) rate is used; where the schedule prints the WTO rate in brackets (it is not lower than
 * the general rate) the general rate applies, e.g. 6111.20-300 10.8 %; no temporary rate was shown
 * for any JP line read.
 *
 * `checked` lists the markets whose rate was read during a verification session on the official
 * schedule or a mirror of it; `MFN_EVIDENCE` names the sources per market and the README lists
 * every rate checked, the national line read and what is still unverified. Every rate not in
 * `checked` is from the schedule as known to the author and needs a check before production use.
 *
 * Verification (MFN version 4, read 2026-11-25): 175 of the 186 rates read. Version 2 corrected
 * 8518.30 and 8518.22 (US 4.9 → 0, EU 2 → 0, GB 2 → 0, AU 5 → 0: Free; AU staged to Free on 1 July
 * 2019), EU 9503 (0 → 4.7: 9503 00 41 stuffed toys, 9503 00 69 puzzles and 9503 00 75 motorised
 * plastic toys are all 4.7 %), JP 4202.21 (8 → 10: 4202.21.220 WTO rate), CA 7113.19 (8.5 → 6.5:
 * 7113.19.90, from an undated copy of the CBSA tariff). Version 3 read all 31 JP rates (25 for the
 * first time) in a scrape of the 2026-07-09 Japanese schedule and 13 more CA rates in two copies
 * of the CBSA T2026 database (no CA rate changed), and corrected JP 6110.20 (10.9 → 9.1:
 * 6110.20-029 "other"), JP 6111.20 (7.4 → 10.8: 6111.20-300 "other", general rate), JP 0904.11
 * (0 → 3: 0904.11-100 in containers for retail sale), JP 7113.19 (5.2 → 5.4: 7113.19-021 chains
 * of precious metal other than platinum) and JP 7117.19 (5.2 → 3.7). Version 4 read the last 14
 * CA rates in a copy of the CBSA chapter pages of edition T2026-2 (effective 2026-09-01) and
 * corrected CA 6111.20 (18 → 0: 6111.20.00 babies' garments of cotton, knitted, is Free, as is
 * 6209.20.00; Canada removed the tariff on baby clothing in 2013); and read GB 8471.30 (0) and
 * 9503 in the UK Global Tariff as published by the government (2020-12-02 CSV), correcting GB
 * 9503 (0 → 4: 9503 00 41, 9503 00 69 and 9503 00 75 are 4 %, simplified from the EU's 4.7 %; no
 * later copy was found to show a change since).
 *
 * Still unverified (rate kept as written, not read in any source):
 * - AU: 610910, 611020, 611120, 620342, 620442, 620520, 330300, 330410, 330430, 330499, 330510
 *   (chapters 33 and 61–62 are missing from the ABF scrape that was read; the ABF chapter pages
 *   were found but only their notes were readable). A July 2019 scrape of Schedule 3 (GitHub
 *   mitcda/dibp.actc) agrees with 5 % for all of them but splits 6111.20 (6111.20.20 Free); it is
 *   not evidence for 2026 (Australia removed several hundred tariffs from 1 July 2024).
 *
 * Known per-line differences under one subheading (the engine looks rates up by 6 digits):
 * - AU 9503: the plush bear is 9503.00.30 "toys representing animals", 5 %; the puzzle
 *   (9503.00.50) and the motorised car (9503.00.80) are Free. The row keeps 0, which understates
 *   the plush bear by 5 % of its customs value.
 * - US 0902.10: the rate 0 is for unflavoured green tea, 0902.10.90.50 (Free); the catalogue code
 *   0902.10.10.15 is the flavoured line (6.4 %, not modelled).
 * - US 6203.42: line 6203.42.40 of the catalogue code no longer exists; the blue-denim line read
 *   is 6203.42.45.11 (16.6 %).
 * - US 7113.19: 5.5 % is 7113.19.50 (catalogue code); gold necklaces and neck chains have their
 *   own lines 7113.19.21–.29, whose rates were not read.
 * - JP 4202.21: 10 % is 4202.21.220 "(2) other"; the sibling 4202.21.210 and the 16 % line for
 *   bags trimmed with precious metal over JPY 6,000 were not applied.
 * - JP 6109.10: 7.4 % is 6109.10-020 "other"; a T-shirt of yarns of different colours or printed
 *   is 6109.10-010, 10.9 %.
 * - JP 6110.20: 9.1 % is 6110.20-029 "other" (the plain crew-neck sweater); sweatshirts
 *   (6110.20-030) and embroidered, lace or patterned-knit articles (6110.20-019) are 10.9 %.
 * - JP 0904.11: 3 % is pepper in containers for retail sale (0904.11-100); other pepper is Free.
 * - EU 6203.42: the CN lines read (6203 42 90 and the other listed lines) are 12 %; the denim line
 *   6203 42 31 was not shown in the mirror read.
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

/** Where the `checked` rates were read, per market (official page, or a mirror the title names). */
export const MFN_EVIDENCE: Readonly<Record<Market, readonly RuleSource[]>> = {
  US: [SOURCES.usHtsLinesRead, SOURCES.usCbpRulingsRead],
  EU: [SOURCES.euTaricLinesRead],
  GB: [SOURCES.gbTariffLinesRead, SOURCES.gbUkgt2021Read],
  CA: [SOURCES.caTariff, SOURCES.caTariffLinesRead, SOURCES.caTariffT2026Read, SOURCES.caTariffT2026_2Read],
  AU: [SOURCES.auTariffLinesRead],
  JP: [SOURCES.jpCustomsAdvanceRulings, SOURCES.jpTariffLinesRead, SOURCES.jpTariff2026Read],
};

/** Schedules as encoded (version bumps when any rate changes). */
export const MFN_VALIDITY: Pick<RuleMeta, 'validFrom' | 'validTo' | 'version'> = {
  validFrom: '2025-01-01',
  validTo: null,
  version: 4,
};

// prettier-ignore
export const MFN_ROWS: readonly MfnRow[] = [
  // Clothing
  { hs6: '610910', line: 'US 6109.10.00.12/.14 / CN 6109 10 00 / CA 6109.10.00 / JP 6109.10-020', rates: { US: '16.5', EU: '12', GB: '12', CA: '18', AU: '5', JP: '7.4' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '611020', line: 'US 6110.20.20 / CN 6110 20 91, 6110 20 99 / CA 6110.20.00 / JP 6110.20-029', rates: { US: '16.5', EU: '12', GB: '12', CA: '18', AU: '5', JP: '9.1' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '611120', line: 'US 6111.20.60 / CN 6111 20 90 / UK 6111 20 90 00 / CA 6111.20.00 / JP 6111.20-300', rates: { US: '8.1', EU: '12', GB: '12', CA: '0', AU: '5', JP: '10.8' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '620342', line: 'US 6203.42.45.11 (blue denim; catalogue 6203.42.40 is obsolete) / CN 6203 42 / JP 6203.42-200', rates: { US: '16.6', EU: '12', GB: '12', CA: '17', AU: '5', JP: '9.1' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '620442', line: 'US 6204.42.30.10/.50 / CN 6204 42 00 / CA 6204.42.00 / JP 6204.42-200', rates: { US: '8.4', EU: '12', GB: '12', CA: '17', AU: '5', JP: '9.1' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '620520', line: 'US 6205.20.20.16 / CN 6205 20 00 / CA 6205.20.00 / JP 6205.20-000', rates: { US: '19.7', EU: '12', GB: '12', CA: '17', AU: '5', JP: '7.4' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '420221', line: 'US 4202.21.90.00 / CN 4202 21 00 / CA 4202.21.00 / AU 4202.21.00 / JP 4202.21.220', rates: { US: '9', EU: '3', GB: '2', CA: '10', AU: '5', JP: '10' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  // Electronics (ITA goods are duty free almost everywhere)
  { hs6: '851713', line: 'US 8517.13.00.00 / CN 8517 13 00 / CA 8517.13.00 / AU 8517.13.00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '851762', line: 'US 8517.62.00 / CN 8517 62 00 / AU 8517.62.00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '847130', line: 'US 8471.30.01.00 / CN 8471 30 00 / CA 8471.30.00 / AU 8471.30.00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '847160', line: 'US 8471.60.20.00 / CN 8471 60 70 / AU 8471.60.00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '852351', line: 'US 8523.51.00.00 / CN 8523 51 10 / CA 8523.51.00 / AU 8523.51.00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '850760', line: 'US 8507.60.00 / CN 8507 60 00 / CA 8507.60.90 / AU 8507.60.00', rates: { US: '3.4', EU: '2.7', GB: '2', CA: '7', AU: '5', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '851830', line: 'US 8518.30.20.00 / CN 8518 30 / AU 8518.30.90', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '851822', line: 'US 8518.22.00.00 / CN 8518 22 00 / CA 8518.22.00 / AU 8518.22.00', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '950450', line: 'US 9504.50.00.00 / CN 9504 50 00 / AU 9504.50.90', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  // Cosmetics
  { hs6: '330300', line: 'US 3303.00.30 / CN 3303 00', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '330410', line: 'US 3304.10.00 / CN 3304 10 00 / CA 3304.10.00', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '330430', line: 'US 3304.30.00 / CN 3304 30 00 / CA 3304.30.00', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '330499', line: 'US 3304.99.50 / CN 3304 99 00 / JP 3304.99-010', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  { hs6: '330510', line: 'US 3305.10.00 / CN 3305 10 00 / CA 3305.10.00', rates: { US: '0', EU: '0', GB: '0', CA: '6.5', AU: '5', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'JP'] },
  // Toys and games
  { hs6: '950300', line: 'US 9503.00.00.71/.73/.90 / CN and UK 9503 00 41, 69, 75 / CA 9503.00.90 / AU 9503.00.50, .80 (plush .30 is 5 %) / JP 9503.00-000', rates: { US: '0', EU: '4.7', GB: '4', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '950490', line: 'US 9504.90.60 / CN 9504 90 80 / AU 9504.90.90 / JP 9504.90-010', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '5', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  // Food
  { hs6: '090121', line: 'US 0901.21.00 / CN 0901 21 00 / AU 0901.21.00 / JP 0901.21-000', rates: { US: '0', EU: '7.5', GB: '6', CA: '0', AU: '0', JP: '12' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '090210', line: 'US 0902.10.90.50 (unflavoured) / CN 0902 10 00 / AU 0902.10.00 / JP 0902.10.000', rates: { US: '0', EU: '3.2', GB: '2', CA: '0', AU: '0', JP: '17' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '090230', line: 'US 0902.30.00 / CN 0902 30 00 / AU 0902.30.00 / JP 0902.30.010 (black tea)', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '12' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '090411', line: 'US 0904.11.00 / CN 0904 11 00 / CA 0904.11.00 / AU 0904.11.00 / JP 0904.11-100 (retail containers)', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '3' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  // Jewellery
  { hs6: '711311', line: 'US 7113.11.50 / CN 7113 11 00 / CA 7113.11.90 / AU 7113.11.00', rates: { US: '5', EU: '2.5', GB: '2', CA: '8.5', AU: '5', JP: '5.2' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '711319', line: 'US 7113.19.50 / CN 7113 19 00 / CA 7113.19.90 / AU 7113.19.00 / JP 7113.19-021', rates: { US: '5.5', EU: '2.5', GB: '2', CA: '6.5', AU: '5', JP: '5.4' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  { hs6: '711719', line: 'US 7117.19.90 / CN 7117 19 00 / CA 7117.19.90 / AU 7117.19.00 / JP 7117.19', rates: { US: '11', EU: '4', GB: '4', CA: '8.5', AU: '5', JP: '3.7' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
  // Books
  { hs6: '490199', line: 'US 4901.99.00 / CN 4901 99 00 / AU 4901.99.90', rates: { US: '0', EU: '0', GB: '0', CA: '0', AU: '0', JP: '0' }, checked: ['US', 'EU', 'GB', 'CA', 'AU', 'JP'] },
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
