import type { BaseRateTable } from '../../domain/money';
import { ECB_SOURCE } from './ecb-files';

/**
 * SAMPLE days of the ECB euro foreign exchange reference rates (1 EUR = rate units of the
 * currency), kept as data so that development, tests and benchmarks quote offline. They are real
 * published days, transcribed from secondary copies; they were NOT checked against
 * https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/ and
 * are stale by design. Production sets FX_RATES=database and imports the ECB's daily file
 * (https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml) with `npm run fx -- import`
 * (ecb-files.ts, pg-reference-rates.ts).
 *
 * - 2024-06-28: copied from a verbatim eurofxref-daily.xml sample (GitHub
 *   dialogplay/tool-directory, integrations/ecb_exchange_rate/README.md); EUR→USD 1.0705 also
 *   appears for that day in another project's ECB data-API test fixture.
 * - 2025-02-28: from a third-party reprint of the ECB table for that day
 *   (https://eurodripusa.net/?p=3470); not corroborated elsewhere.
 *
 * The ECB publishes at about 16:00 Frankfurt time (15:00 UTC in winter, 14:00 UTC in summer);
 * `publishedAt` uses that time, so a quote made earlier on the same day uses the previous table.
 */
const SOURCE = ECB_SOURCE;

// prettier-ignore
export const ECB_SAMPLE_DAYS: readonly BaseRateTable[] = [
  {
    base: 'EUR', date: '2024-06-28', publishedAt: '2024-06-28T14:00:00.000Z', source: SOURCE,
    rates: {
      USD: '1.0705', JPY: '171.94', BGN: '1.9558', CZK: '25.025', DKK: '7.4575', GBP: '0.84638',
      HUF: '395.10', PLN: '4.3090', RON: '4.9773', SEK: '11.3595', CHF: '0.9634', ISK: '148.90',
      NOK: '11.3965', TRY: '35.1868', AUD: '1.6079', BRL: '5.8915', CAD: '1.4670', CNY: '7.7748',
      HKD: '8.3594', IDR: '17487.21', ILS: '4.0200', INR: '89.2495', KRW: '1474.86', MXN: '19.5654',
      MYR: '5.0501', NZD: '1.7601', PHP: '62.560', SGD: '1.4513', THB: '39.319', ZAR: '19.4970',
    },
  },
  {
    base: 'EUR', date: '2025-02-28', publishedAt: '2025-02-28T15:00:00.000Z', source: SOURCE,
    rates: {
      USD: '1.0411', JPY: '156.96', BGN: '1.9558', CZK: '25.029', DKK: '7.4583', GBP: '0.82608',
      HUF: '399.50', PLN: '4.1503', RON: '4.9768', SEK: '11.1880', CHF: '0.9394', ISK: '145.70',
      NOK: '11.7245', TRY: '38.0186', AUD: '1.6741', BRL: '6.0712', CAD: '1.5019', CNY: '7.5782',
      HKD: '8.0980', IDR: '17228.17', ILS: '3.7457', INR: '90.9710', KRW: '1519.92', MXN: '21.2191',
      MYR: '4.6459', NZD: '1.8579', PHP: '60.355', SGD: '1.4037', THB: '35.567', ZAR: '19.1917',
    },
  },
];
