/**
 * A SAMPLE denied-party list for tests and demos. Every entry is FICTIONAL (made-up names,
 * addresses in made-up or placeholder places); none refers to a real person or company. The
 * shape mirrors public consolidated screening lists (e.g. the US Consolidated Screening List,
 * https://www.trade.gov/consolidated-screening-list): a name, aliases, addresses and the list
 * it comes from. A real deployment loads the official lists instead.
 */
export interface DeniedPartyAddress {
  readonly line1?: string;
  readonly city?: string;
  readonly country: string;
}

export interface DeniedParty {
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly addresses: readonly DeniedPartyAddress[];
  readonly list: string;
}

export const SAMPLE_DENIED_PARTIES: readonly DeniedParty[] = [
  {
    id: 'SAMPLE-001',
    name: 'Zephyr Quantum Logistics Ltd',
    aliases: ['ZQL Trading', 'Zephyr Kwantum Logistik GmbH'],
    addresses: [{ line1: '12 Example Quay', city: 'Port Fictional', country: 'AE' }],
    list: 'SAMPLE-ENTITY-LIST',
  },
  {
    id: 'SAMPLE-002',
    name: 'Ivan Testovich Samplenko',
    aliases: ['I. T. Samplenko'],
    addresses: [{ city: 'Placeholder City', country: 'RU' }],
    list: 'SAMPLE-SDN',
  },
  {
    id: 'SAMPLE-003',
    name: 'Société Fictive d’Exportation Ardente SARL',
    aliases: ['Ardente Export'],
    addresses: [{ line1: '7 Rue de l’Exemple', city: 'Villefictive', country: 'FR' }],
    list: 'SAMPLE-EU-FSF',
  },
  {
    id: 'SAMPLE-004',
    name: 'Nebula Dual-Use Components Co., Limited',
    aliases: ['Nebula Components HK'],
    addresses: [{ line1: 'Unit 99, Sample Tower', city: 'Demo Harbour', country: 'HK' }],
    list: 'SAMPLE-ENTITY-LIST',
  },
  {
    id: 'SAMPLE-005',
    name: 'José Ejemplo Ficticio',
    aliases: [],
    addresses: [{ city: 'Ciudad Muestra', country: 'VE' }],
    list: 'SAMPLE-SDN',
  },
];
