import { SOURCES } from './sources';
import type { Market, RuleMeta } from './types';

/**
 * Origin-specific additional ad valorem duties, stacked on the MFN rate. Only the United States
 * has any here. Simplifications, stated once:
 * - IEEPA "reciprocal" duties are encoded for products of the PRC only (plus HK/MO where the
 *   orders say so); country-specific rates for other origins (Apr 2025 – Feb 2026) are NOT encoded.
 * - Section 232 duties (steel, aluminium, copper, vehicles, …) are not encoded: no catalogue good
 *   is covered.
 * - Section 301 is encoded only for the catalogue subheadings whose China rate was checked.
 * - Exclusions and in-transit exceptions are not modelled. Dates are UTC days of the quote, where
 *   the orders speak of entries at 12:01 a.m. Eastern time.
 * - After the Section 122 surcharge lapsed on July 24, 2026 nothing newer is encoded.
 */
export interface AdditionalDutyRule extends RuleMeta {
  readonly market: Market;
  readonly program: 'IEEPA_FENTANYL' | 'IEEPA_RECIPROCAL' | 'SECTION_301' | 'SECTION_122';
  /** Origins covered; 'ALL' for every origin. */
  readonly origins: readonly string[] | 'ALL';
  readonly exceptOrigins?: readonly string[];
  /** HS prefixes covered; absent for every good. */
  readonly hsPrefixes?: readonly string[];
  readonly exceptHsPrefixes?: readonly string[];
  /** Ad valorem rate in percent. */
  readonly ratePercent: string;
}

const CN = ['CN', 'HK'];

const fentanyl = (
  version: number,
  from: string,
  to: string | null,
  rate: string,
  notes: string,
): AdditionalDutyRule => ({
  id: 'us-ieepa-fentanyl-cn',
  version,
  market: 'US',
  program: 'IEEPA_FENTANYL',
  origins: CN,
  validFrom: from,
  validTo: to,
  ratePercent: rate,
  sources: [SOURCES.usEo14195, SOURCES.usEo14228, SOURCES.usFentanylNov2025, SOURCES.usEndingIeepaFeb2026],
  notes,
});

const reciprocal = (
  version: number,
  from: string,
  to: string | null,
  rate: string,
  notes: string,
): AdditionalDutyRule => ({
  id: 'us-ieepa-reciprocal-cn',
  version,
  market: 'US',
  program: 'IEEPA_RECIPROCAL',
  origins: ['CN', 'HK', 'MO'],
  validFrom: from,
  validTo: to,
  ratePercent: rate,
  sources: [SOURCES.usEo14257, SOURCES.usEndingIeepaFeb2026],
  notes,
});

export const ADDITIONAL_DUTIES: readonly AdditionalDutyRule[] = [
  fentanyl(1, '2025-02-04', '2025-03-04', '10', 'Checked: EO 14195, 10% from Feb 4, 2025.'),
  fentanyl(2, '2025-03-04', '2025-11-10', '20', 'Checked: EO 14228 raised 10% to 20% (March 4, 2025).'),
  fentanyl(
    3,
    '2025-11-10',
    '2026-02-24',
    '10',
    'Checked: reduced to 10% effective Nov 10, 2025; IEEPA duties not collected from Feb 24, 2026 (Learning Resources v. Trump, decided Feb 20, 2026).',
  ),
  reciprocal(1, '2025-04-05', '2025-04-09', '10', 'Baseline 10% from April 5, 2025.'),
  reciprocal(
    2,
    '2025-04-09',
    '2025-04-10',
    '84',
    'EO 14259 (34% raised to 84% on April 9, 2025). Not re-checked in this session.',
  ),
  reciprocal(
    3,
    '2025-04-10',
    '2025-05-14',
    '125',
    'EO 14266 (125% from April 10, 2025). Not re-checked in this session.',
  ),
  reciprocal(
    4,
    '2025-05-14',
    '2026-02-24',
    '10',
    'Checked: 10% from May 14, 2025 (heading 9903.01.25), suspension of the higher rate extended to Nov 10, 2026; ended with all IEEPA duties on Feb 24, 2026.',
  ),
  {
    id: 'us-section-122-surcharge',
    version: 1,
    market: 'US',
    program: 'SECTION_122',
    origins: 'ALL',
    exceptOrigins: ['CA', 'MX'],
    exceptHsPrefixes: ['8471', '8517'],
    validFrom: '2026-02-24',
    validTo: '2026-07-24',
    ratePercent: '10',
    sources: [SOURCES.usSection122],
    notes:
      'Checked: 10% temporary import surcharge (HTSUS 9903.03.01) for entries from Feb 24 to July 24, 2026; the announced rise to 15% had no proclamation in the sources read. Simplified exemptions: Canada/Mexico origins treated as USMCA-qualifying; computers and smartphones (8471, 8517) treated as the exempted "certain electronics" – not checked line by line against Annex II.',
  },
  {
    id: 'us-section-301-list-4a-610910',
    version: 1,
    market: 'US',
    program: 'SECTION_301',
    origins: ['CN'],
    hsPrefixes: ['610910'],
    validFrom: '2020-02-14',
    validTo: null,
    ratePercent: '7.5',
    sources: [SOURCES.usSection301, SOURCES.usHts],
    notes:
      'Checked: HTS 6109.10.00 shows "+ 7.5%" for China (List 4A, 7.5% since Feb 14, 2020; 15% from Sept 1, 2019 not encoded).',
  },
  {
    id: 'us-section-301-711311',
    version: 1,
    market: 'US',
    program: 'SECTION_301',
    origins: ['CN'],
    hsPrefixes: ['711311'],
    validFrom: '2020-02-14',
    validTo: null,
    ratePercent: '7.5',
    sources: [SOURCES.usSection301, SOURCES.usHts],
    notes: 'Checked: HTS 7113.11.50 (silver jewellery, 5%) shows "+ 7.5%" for China.',
  },
  {
    id: 'us-section-301-850760',
    version: 1,
    market: 'US',
    program: 'SECTION_301',
    origins: ['CN'],
    hsPrefixes: ['850760'],
    validFrom: '2020-02-14',
    validTo: '2026-01-01',
    ratePercent: '7.5',
    sources: [SOURCES.usSection301, SOURCES.usHts],
    notes: 'Checked: HTS 8507.60.00 "+ 7.5%" for China.',
  },
  {
    id: 'us-section-301-850760',
    version: 2,
    market: 'US',
    program: 'SECTION_301',
    origins: ['CN'],
    hsPrefixes: ['850760'],
    validFrom: '2026-01-01',
    validTo: null,
    ratePercent: '25',
    sources: [SOURCES.usSection301],
    notes:
      'Checked: four-year review raised non-EV lithium-ion batteries (8507.60.0020) from 7.5% to 25% on Jan 1, 2026 (EV batteries already in 2024). Applied to the whole subheading (simplification).',
  },
];
