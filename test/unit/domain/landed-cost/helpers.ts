import { AppError } from '../../../../src/errors';
import type { CartLine, LandedCostInput } from '../../../../src/domain/landed-cost';

export const tee = (unitPrice: string, originCountry = 'VN', quantity = 1): CartLine => ({
  sku: 'TEE-COT-001',
  description: 'Organic cotton T-shirt',
  hsCode: '6109100012',
  originCountry,
  unitPrice,
  quantity,
  weightGrams: 180,
});

export const kidsTee = (unitPrice: string, originCountry = 'VN', quantity = 1): CartLine => ({
  ...tee(unitPrice, originCountry, quantity),
  sku: 'TEE-COT-KID',
  hsCode: '6109100014',
});

export const coffee = (unitPrice: string, originCountry = 'BR', quantity = 1): CartLine => ({
  sku: 'COF-BEA-250',
  description: 'Roasted coffee beans',
  hsCode: '0901210020',
  originCountry,
  unitPrice,
  quantity,
  weightGrams: 270,
});

export const powerBank = (unitPrice: string, originCountry = 'CN'): CartLine => ({
  sku: 'PWB-10K-001',
  description: 'Power bank',
  hsCode: '8507600020',
  originCountry,
  unitPrice,
  quantity: 1,
  weightGrams: 250,
});

export function input(overrides: Partial<LandedCostInput> & Pick<LandedCostInput, 'lines'>): LandedCostInput {
  return {
    shipFrom: { country: 'US' },
    shipTo: { country: 'DE' },
    incoterm: 'DDP',
    currency: 'EUR',
    shippingCost: '0.00',
    quoteTime: new Date('2026-07-01T12:00:00Z'),
    fxRates: { rates: [] },
    ...overrides,
  };
}

export function validationField(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError && e.code === 'VALIDATION_FAILED') return e.field;
    throw e;
  }
  throw new Error('expected VALIDATION_FAILED');
}

export const day = (iso: string): Date => new Date(`${iso}T12:00:00Z`);
