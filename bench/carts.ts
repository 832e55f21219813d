import type { CartLine, LandedCostInput } from '../src/domain/landed-cost';
import { CATALOGUE_BY_SKU } from '../src/domain/landed-cost';

/** Representative carts, built from the sample catalogue (same SKUs and HS codes as the tests). */
function line(sku: string, unitPrice: string, quantity = 1, originCountry = 'CN'): CartLine {
  const product = CATALOGUE_BY_SKU.get(sku);
  if (product === undefined) throw new Error(`unknown sample SKU ${sku}`);
  return {
    sku,
    description: product.description,
    hsCode: product.hsCode,
    originCountry,
    unitPrice,
    quantity,
    weightGrams: product.weightGrams,
  };
}

export interface BenchCart {
  readonly name: string;
  readonly input: Omit<LandedCostInput, 'fxRates' | 'quoteTime'>;
}

const SKUS = [...CATALOGUE_BY_SKU.keys()];

export const BENCH_CARTS: readonly BenchCart[] = [
  {
    name: 'EU IOSS, 2 lines (EUR → DE, DDP)',
    input: {
      lines: [line('TEE-COT-001', '19.99', 2, 'VN'), line('LIP-MAT-001', '24.00', 1, 'FR')],
      shipFrom: { country: 'US' },
      shipTo: { country: 'DE' },
      incoterm: 'DDP',
      currency: 'EUR',
      shippingCost: '21.13',
    },
  },
  {
    name: 'EU standard import, 3 lines (USD → FR, DAP)',
    input: {
      lines: [
        line('JNS-COT-001', '89.00', 2, 'BD'),
        line('BAG-LTH-001', '240.00', 1, 'IT'),
        line('BOK-PRT-001', '35.00', 1, 'US'),
      ],
      shipFrom: { country: 'US' },
      shipTo: { country: 'FR' },
      incoterm: 'DAP',
      currency: 'USD',
      shippingCost: '24.00',
    },
  },
  {
    name: 'US, CN origin with additional duties, 3 lines (USD → US, DDP)',
    input: {
      lines: [
        line('PWB-10K-001', '39.99', 1, 'CN'),
        line('TEE-COT-001', '12.00', 3, 'CN'),
        line('JWL-SLV-001', '59.00', 1, 'CN'),
      ],
      shipFrom: { country: 'CN' },
      shipTo: { country: 'US' },
      incoterm: 'DDP',
      currency: 'USD',
      shippingCost: '43.00',
    },
  },
  {
    name: 'CA Ontario HST, CUSMA origin (USD → CA, DDP)',
    input: {
      lines: [line('SWT-COT-001', '65.00', 1, 'US'), line('COF-BEA-250', '14.50', 4, 'BR')],
      shipFrom: { country: 'US' },
      shipTo: { country: 'CA', region: 'ON' },
      incoterm: 'DDP',
      currency: 'USD',
      shippingCost: '15.00',
    },
  },
  {
    name: 'JP, 5 lines (JPY → JP, DDP)',
    input: {
      lines: [
        line('TEA-GRN-100', '1800', 2, 'JP'),
        line('TOY-PLU-001', '3200', 1, 'CN'),
        line('CRM-FAC-001', '4500', 1, 'KR'),
        line('SHR-COT-001', '6900', 1, 'VN'),
        line('PRF-EDP-050', '12000', 1, 'FR'),
      ],
      shipFrom: { country: 'US' },
      shipTo: { country: 'JP' },
      incoterm: 'DDP',
      currency: 'JPY',
      shippingCost: '4000',
    },
  },
  {
    name: 'GB, 34 lines (every sample SKU, GBP → GB, DDP)',
    input: {
      lines: SKUS.map((sku, i) =>
        line(sku, `${10 + i}.${String(i % 100).padStart(2, '0')}`, 1 + (i % 3), 'CN'),
      ),
      shipFrom: { country: 'US' },
      shipTo: { country: 'GB' },
      incoterm: 'DDP',
      currency: 'GBP',
      shippingCost: '60.00',
    },
  },
];
