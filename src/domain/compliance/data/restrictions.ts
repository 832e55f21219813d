import type { GoodsTrait } from './hs-subheadings';

export interface RestrictionSource {
  readonly url: string;
  readonly title: string;
}

/**
 * Restricted and prohibited goods per destination and transport mode. Each rule matches goods by
 * trait (see hs-subheadings.ts) and says whether the order is blocked or sent to review.
 * Simplification: rules are keyed on the HS subheading's traits, not on the exact product (a
 * folding knife and a butter knife look alike here), which is why most outcomes are REVIEW.
 */
export interface RestrictionRule {
  readonly id: string;
  readonly version: number;
  readonly validFrom: string;
  readonly validTo: string | null;
  /** Destination countries; 'ALL' for every destination. */
  readonly destinations: readonly string[] | 'ALL';
  readonly trait: GoodsTrait;
  /** Only for this transport mode; absent for any mode. */
  readonly transportMode?: 'AIR';
  readonly outcome: 'BLOCK' | 'REVIEW';
  readonly code: string;
  readonly message: string;
  readonly sources: readonly RestrictionSource[];
}

const IATA_DGR: RestrictionSource = {
  url: 'https://www.iata.org/en/programs/cargo/dgr/lithium-batteries/',
  title: 'IATA – Lithium Battery Guidance (UN3480 forbidden as cargo on passenger aircraft, PI 965)',
};
const IATA_DG_GENERAL: RestrictionSource = {
  url: 'https://www.iata.org/en/programs/cargo/dgr/',
  title: 'IATA Dangerous Goods Regulations (flammable liquids UN1266/UN1263, limited quantities)',
};
const UK_KNIVES: RestrictionSource = {
  url: 'https://www.gov.uk/guidance/selling-knives-and-other-bladed-articles-online',
  title: 'GOV.UK – Offensive Weapons Act 2019: age verification on delivery of bladed articles bought online',
};
const AU_WEAPONS: RestrictionSource = {
  url: 'https://www.abf.gov.au/importing-exporting-and-manufacturing/prohibited-goods/categories/weapons',
  title: 'ABF – Prohibited and restricted imports: weapons (Customs (Prohibited Imports) Regulations 1956)',
};
const CA_WEAPONS: RestrictionSource = {
  url: 'https://www.cbsa-asfc.gc.ca/import/iefw-iefa-eng.html',
  title: 'CBSA – Importing firearms and weapons (prohibited weapons incl. certain knives)',
};
const AU_BIOSECURITY: RestrictionSource = {
  url: 'https://bicon.agriculture.gov.au/',
  title: 'Department of Agriculture – BICON biosecurity import conditions',
};
const ALCOHOL_GENERIC: RestrictionSource = {
  url: 'https://www.ttb.gov/importers',
  title: 'TTB – Importers (federal permits; state law governs direct-to-consumer alcohol shipments)',
};
const TOBACCO: RestrictionSource = {
  url: 'https://www.abf.gov.au/importing-exporting-and-manufacturing/tobacco',
  title: 'ABF – Importing tobacco (personal imports of tobacco by post prohibited since 1 July 2019)',
};

// prettier-ignore
export const RESTRICTION_RULES: readonly RestrictionRule[] = [
  { id: 'air-lithium-standalone', version: 1, validFrom: '2016-04-01', validTo: null, destinations: 'ALL', trait: 'LITHIUM_ION_STANDALONE', transportMode: 'AIR', outcome: 'BLOCK', code: 'LITHIUM_ION_STANDALONE_BY_AIR', message: 'Lithium-ion batteries shipped on their own (UN3480) are forbidden as cargo on passenger aircraft; use a ground service or a cargo-aircraft dangerous-goods service.', sources: [IATA_DGR] },
  { id: 'air-flammable-liquid', version: 1, validFrom: '2000-01-01', validTo: null, destinations: 'ALL', trait: 'FLAMMABLE_LIQUID', transportMode: 'AIR', outcome: 'REVIEW', code: 'FLAMMABLE_LIQUID_BY_AIR', message: 'Perfume and nail varnish are flammable liquids (UN1266/UN1263): air shipment only as limited-quantity dangerous goods with a capable service.', sources: [IATA_DG_GENERAL] },
  { id: 'alcohol-review', version: 1, validFrom: '2000-01-01', validTo: null, destinations: 'ALL', trait: 'ALCOHOL', outcome: 'REVIEW', code: 'ALCOHOL_RESTRICTED', message: 'Alcoholic beverages are excise goods needing licences and destination-specific permissions (e.g. US state laws).', sources: [ALCOHOL_GENERIC] },
  { id: 'tobacco-au', version: 1, validFrom: '2019-07-01', validTo: null, destinations: ['AU'], trait: 'TOBACCO', outcome: 'BLOCK', code: 'TOBACCO_PROHIBITED', message: 'Tobacco products may not be sent to consumers in Australia by post or courier without an import permit.', sources: [TOBACCO] },
  { id: 'tobacco-review', version: 1, validFrom: '2000-01-01', validTo: null, destinations: 'ALL', trait: 'TOBACCO', outcome: 'REVIEW', code: 'TOBACCO_RESTRICTED', message: 'Tobacco products are excise goods subject to licensing and destination restrictions.', sources: [TOBACCO] },
  { id: 'knives-gb', version: 1, validFrom: '2019-05-14', validTo: null, destinations: ['GB'], trait: 'BLADED_ARTICLE', outcome: 'REVIEW', code: 'BLADED_ARTICLE_AGE_VERIFICATION', message: 'Bladed articles sold online into the UK need age verification on delivery and may not be delivered to a locker.', sources: [UK_KNIVES] },
  { id: 'knives-au', version: 1, validFrom: '2000-01-01', validTo: null, destinations: ['AU'], trait: 'BLADED_ARTICLE', outcome: 'REVIEW', code: 'BLADED_ARTICLE_PROHIBITED_TYPES', message: 'Australia prohibits importing some knives (flick, gravity, butterfly, concealed blades) without permission; confirm the knife type.', sources: [AU_WEAPONS] },
  { id: 'knives-ca', version: 1, validFrom: '2000-01-01', validTo: null, destinations: ['CA'], trait: 'BLADED_ARTICLE', outcome: 'REVIEW', code: 'BLADED_ARTICLE_PROHIBITED_TYPES', message: 'Canada prohibits switchblade and gravity knives as prohibited weapons; confirm the knife type.', sources: [CA_WEAPONS] },
  { id: 'fireworks-all', version: 1, validFrom: '2000-01-01', validTo: null, destinations: 'ALL', trait: 'FIREWORKS', outcome: 'BLOCK', code: 'EXPLOSIVES_PROHIBITED', message: 'Fireworks are explosives (Class 1) and cannot be shipped through parcel networks.', sources: [IATA_DG_GENERAL] },
  { id: 'weapons-all', version: 1, validFrom: '2000-01-01', validTo: null, destinations: 'ALL', trait: 'WEAPON', outcome: 'BLOCK', code: 'FIREARMS_PROHIBITED', message: 'Firearms need import and export licences and cannot be sold through this platform.', sources: [AU_WEAPONS, CA_WEAPONS] },
  { id: 'food-au-biosecurity', version: 1, validFrom: '2000-01-01', validTo: null, destinations: ['AU'], trait: 'FOOD', outcome: 'REVIEW', code: 'BIOSECURITY_IMPORT_CONDITIONS', message: 'Food imported into Australia must meet BICON biosecurity import conditions.', sources: [AU_BIOSECURITY] },
];

/**
 * Destinations under comprehensive embargo: orders to them are blocked outright.
 * Source: OFAC Sanctions Programs and Country Information, https://ofac.treasury.gov/sanctions-programs-and-country-information
 */
export const EMBARGOED_DESTINATIONS: ReadonlyMap<string, string> = new Map([
  ['CU', 'Cuba'],
  ['IR', 'Iran'],
  ['KP', 'North Korea'],
  ['SY', 'Syria'],
]);
