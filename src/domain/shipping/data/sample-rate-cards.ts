import type { RateCard, ZoneChart } from '../types';

/**
 * SAMPLE rate model of a fictional carrier ("Sample Parcel Co."), in USD, for tests and demos.
 * Prices are invented; the structure (zones, weight breaks, volumetric divisor 5000 cm³/kg for
 * air and 6000 for ground, round-up to 500 g) follows common express-carrier practice.
 */
export const SAMPLE_ZONES: ZoneChart = {
  id: 'sample-zones',
  version: 1,
  entries: [
    { origin: 'US', destinations: ['CA', 'MX'], zone: 'Z1' },
    { origin: 'US', destinations: ['GB', 'DE', 'FR', 'NL', 'IE'], zone: 'Z2' },
    { origin: 'US', destinations: ['JP', 'AU'], zone: 'Z3' },
    { origin: 'CN', destinations: ['JP', 'HK'], zone: 'Z1' },
    { origin: 'CN', destinations: ['US', 'CA', 'AU'], zone: 'Z3' },
    { origin: 'CN', destinations: ['GB', 'DE', 'FR', 'NL', 'IE'], zone: 'Z3' },
    { origin: 'GB', destinations: ['DE', 'FR', 'NL', 'IE'], zone: 'Z1' },
    { origin: 'GB', destinations: ['US', 'CA'], zone: 'Z2' },
    { origin: 'GB', destinations: ['JP', 'AU'], zone: 'Z3' },
    { origin: 'DE', destinations: ['GB'], zone: 'Z1' },
    { origin: 'DE', destinations: ['US', 'CA'], zone: 'Z2' },
    { origin: 'DE', destinations: ['JP', 'AU'], zone: 'Z3' },
  ],
};

// prettier-ignore
export const SAMPLE_RATE_CARDS: readonly RateCard[] = [
  {
    serviceId: 'sample-economy', version: 1, carrier: 'Sample Parcel Co.', level: 'ECONOMY', transportMode: 'GROUND',
    currency: 'USD', dimDivisor: 6000, roundUpGrams: 500, ddpSupported: false,
    transitDays: { Z1: { min: 5, max: 8 }, Z2: { min: 8, max: 14 }, Z3: { min: 12, max: 20 } },
    breaks: [
      { upToGrams: 500, prices: { Z1: 900, Z2: 1400, Z3: 1600 } },
      { upToGrams: 2000, prices: { Z1: 1500, Z2: 2400, Z3: 2900 } },
      { upToGrams: 10000, prices: { Z1: 3200, Z2: 5200, Z3: 6500 } },
      { upToGrams: 30000, prices: { Z1: 6500, Z2: 11000, Z3: 14000 } },
    ],
  },
  {
    serviceId: 'sample-standard', version: 1, carrier: 'Sample Parcel Co.', level: 'STANDARD', transportMode: 'AIR',
    currency: 'USD', dimDivisor: 5000, roundUpGrams: 500, ddpSupported: true,
    transitDays: { Z1: { min: 3, max: 5 }, Z2: { min: 4, max: 7 }, Z3: { min: 5, max: 9 } },
    breaks: [
      { upToGrams: 500, prices: { Z1: 1500, Z2: 2200, Z3: 2600 } },
      { upToGrams: 2000, prices: { Z1: 2400, Z2: 3600, Z3: 4300 } },
      { upToGrams: 10000, prices: { Z1: 5200, Z2: 7900, Z3: 9800 } },
      { upToGrams: 30000, prices: { Z1: 11000, Z2: 16500, Z3: 21000 } },
    ],
  },
  {
    serviceId: 'sample-express', version: 1, carrier: 'Sample Parcel Co.', level: 'EXPRESS', transportMode: 'AIR',
    currency: 'USD', dimDivisor: 5000, roundUpGrams: 500, ddpSupported: true,
    transitDays: { Z1: { min: 1, max: 2 }, Z2: { min: 2, max: 3 }, Z3: { min: 2, max: 4 } },
    breaks: [
      { upToGrams: 500, prices: { Z1: 2900, Z2: 4200, Z3: 4900 } },
      { upToGrams: 2000, prices: { Z1: 4500, Z2: 6800, Z3: 7900 } },
      { upToGrams: 10000, prices: { Z1: 9500, Z2: 14500, Z3: 17500 } },
      { upToGrams: 30000, prices: { Z1: 19500, Z2: 29500, Z3: 35000 } },
    ],
  },
];
