import * as fc from 'fast-check';
import { add, sum } from '../../../../src/domain/money';
import { CATALOGUE, computeLandedCost, type LandedCostQuote } from '../../../../src/domain/landed-cost';

const destinations = [
  { country: 'US', currency: 'USD' },
  { country: 'DE', currency: 'EUR' },
  { country: 'IE', currency: 'EUR' },
  { country: 'GB', currency: 'GBP' },
  { country: 'AU', currency: 'AUD' },
  { country: 'CA', currency: 'CAD', region: 'ON' },
  { country: 'JP', currency: 'JPY' },
] as const;

const fxRates = {
  rates: ['EUR', 'GBP', 'AUD', 'CAD', 'JPY'].map((to, i) => ({
    from: 'USD',
    to,
    rate: ['0.9259', '0.7874', '1.5321', '1.3702', '151.37'][i] as string,
    source: 'test fixture',
    asOf: '2026-06-30T00:00:00Z',
  })),
};

function check(q: LandedCostQuote): void {
  const c = q.currency;
  for (const key of [
    'goods',
    'shipping',
    'duties',
    'taxes',
    'fees',
    'chargeNow',
    'dueOnDelivery',
    'landedTotal',
  ] as const) {
    expect(
      sum(
        q.lines.map((l) => l[key]),
        c,
      ),
    ).toEqual(q.totals[key]);
  }
  expect(add(q.totals.chargeNow, q.totals.dueOnDelivery)).toEqual(q.totals.landedTotal);
  expect(sum([q.totals.goods, q.totals.shipping, q.totals.duties, q.totals.taxes, q.totals.fees], c)).toEqual(
    q.totals.landedTotal,
  );
  for (const l of q.lines) {
    expect(l.duties.amount).toBeGreaterThanOrEqual(0);
    expect(l.taxes.amount).toBeGreaterThanOrEqual(0);
    expect(
      sum(
        l.dutyComponents.map((d) => d.amount),
        q.destination.currency,
      ).amount,
    ).toBeGreaterThanOrEqual(0);
  }
  expect(
    sum(
      q.lines.flatMap((l) => l.dutyComponents.map((d) => d.amount)),
      q.destination.currency,
    ),
  ).toEqual(q.destinationTotals.duties);
  if (q.incoterm === 'DDP' && q.collection.duties !== 'NONE') expect(q.totals.dueOnDelivery.amount).toBe(0);
}

describe('landed cost invariants over random carts', () => {
  test('line amounts add up to the totals exactly, in every destination, currency and incoterm', () => {
    const line = fc.record({
      product: fc.constantFrom(...CATALOGUE),
      origin: fc.constantFrom('CN', 'VN', 'US', 'MX', 'DE', 'JP'),
      price: fc.integer({ min: 0, max: 200_000 }),
      quantity: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...destinations),
        fc.constantFrom('DDP' as const, 'DAP' as const),
        fc.boolean(),
        fc.integer({ min: 0, max: 5000 }),
        fc.constantFrom('2025-08-28', '2025-08-29', '2026-02-24', '2026-06-30', '2026-07-01', '2026-11-25'),
        (lines, dest, incoterm, inDestCurrency, shipping, date) => {
          const currency = inDestCurrency ? dest.currency : 'USD';
          const q = computeLandedCost({
            lines: lines.map((l) => ({
              sku: l.product.sku,
              description: l.product.description,
              hsCode: l.product.hsCode,
              originCountry: l.origin,
              unitPrice: { amount: l.price, currency },
              quantity: l.quantity,
              weightGrams: l.product.weightGrams,
            })),
            shipFrom: { country: dest.country === 'US' ? 'CN' : 'US' },
            shipTo:
              'region' in dest ? { country: dest.country, region: dest.region } : { country: dest.country },
            incoterm,
            currency,
            shippingCost: { amount: shipping, currency },
            quoteTime: new Date(`${date}T12:00:00Z`),
            fxRates,
          });
          check(q);
        },
      ),
      { numRuns: 300 },
    );
  });
});
