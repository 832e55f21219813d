import { computeLandedCost, type LandedCostInput } from '../../../../src/domain/landed-cost';
import { coffee, input, tee, validationField } from './helpers';

const base = (): LandedCostInput => input({ lines: [tee('10.00', 'US'), coffee('5.00'), tee('1.00', 'US')] });
const withLine = (i: number, patch: Record<string, unknown>): LandedCostInput => {
  const b = base();
  return { ...b, lines: b.lines.map((l, j) => (j === i ? ({ ...l, ...patch } as typeof l) : l)) };
};

describe('landed cost input validation names the field', () => {
  test.each<[string, LandedCostInput, string]>([
    ['empty cart', { ...base(), lines: [] }, 'lines'],
    ['dotted HS code', withLine(2, { hsCode: '6109.10' }), 'lines.2.hsCode'],
    ['HS code too short', withLine(1, { hsCode: '09012' }), 'lines.1.hsCode'],
    ['HS code with letters', withLine(0, { hsCode: '61091000AB' }), 'lines.0.hsCode'],
    ['HS chapter 99', withLine(0, { hsCode: '990100' }), 'lines.0.hsCode'],
    ['unknown subheading', withLine(2, { hsCode: '0101210000' }), 'lines.2.hsCode'],
    ['known but not quotable (knives)', withLine(0, { hsCode: '8211920000' }), 'lines.0.hsCode'],
    ['zero quantity', withLine(1, { quantity: 0 }), 'lines.1.quantity'],
    ['negative quantity', withLine(1, { quantity: -2 }), 'lines.1.quantity'],
    ['fractional quantity', withLine(1, { quantity: 1.5 }), 'lines.1.quantity'],
    ['price with too many decimals', withLine(0, { unitPrice: '19.999' }), 'lines.0.unitPrice'],
    [
      'price in minor units that is not an integer',
      withLine(0, { unitPrice: { amount: 19.5, currency: 'EUR' } }),
      'lines.0.unitPrice.amount',
    ],
    [
      'price in another currency',
      withLine(0, { unitPrice: { amount: 1999, currency: 'USD' } }),
      'lines.0.unitPrice.currency',
    ],
    ['negative price', withLine(0, { unitPrice: '-1.00' }), 'lines.0.unitPrice'],
    ['unknown origin', withLine(1, { originCountry: 'ZZ' }), 'lines.1.originCountry'],
    ['zero weight', withLine(1, { weightGrams: 0 }), 'lines.1.weightGrams'],
    ['empty sku', withLine(0, { sku: '' }), 'lines.0.sku'],
    ['unknown currency', { ...base(), currency: 'EUX' }, 'currency'],
    ['unsupported destination', { ...base(), shipTo: { country: 'BR' } }, 'shipTo.country'],
    ['unknown destination', { ...base(), shipTo: { country: 'XX' } }, 'shipTo.country'],
    ['unknown ship-from', { ...base(), shipFrom: { country: 'QQ' } }, 'shipFrom.country'],
    ['domestic', { ...base(), shipFrom: { country: 'DE' } }, 'shipFrom.country'],
    [
      'bad Canadian province',
      { ...base(), currency: 'CAD', lines: [tee('1.00')], shipTo: { country: 'CA', region: 'XX' } },
      'shipTo.region',
    ],
    ['bad incoterm', { ...base(), incoterm: 'CIF' as never }, 'incoterm'],
    ['invalid date', { ...base(), quoteTime: new Date('nope') }, 'quoteTime'],
    ['shipping with too many decimals', { ...base(), shippingCost: '1.005' }, 'shippingCost'],
    ['missing FX rate', { ...base(), currency: 'USD', lines: [tee('1.00')] }, 'fxRates'],
    [
      'bad FX rate',
      {
        ...base(),
        fxRates: {
          rates: [{ from: 'EUR', to: 'USD', rate: 'x', source: 's', asOf: '2026-01-01T00:00:00Z' }],
        },
      },
      'fxRates.rates.0.rate',
    ],
  ])('%s → %s', (_name, request, field) => {
    expect(validationField(() => computeLandedCost(request))).toBe(field);
  });

  test('a valid base request computes', () => {
    expect(computeLandedCost(base()).totals.goods).toEqual({ amount: 1600, currency: 'EUR' });
  });
});
