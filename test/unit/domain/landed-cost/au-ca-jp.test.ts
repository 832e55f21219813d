import { computeLandedCost } from '../../../../src/domain/landed-cost';
import { coffee, day, input, tee } from './helpers';

type Extra = Partial<Parameters<typeof input>[0]>;

describe('AU AUD 1,000 threshold', () => {
  const au = (price: string, extra: Extra = {}) =>
    computeLandedCost(
      input({
        lines: [tee(price, 'US')],
        shipTo: { country: 'AU' },
        currency: 'AUD',
        shippingCost: '20.00',
        quoteTime: day('2026-03-01'),
        ...extra,
      }),
    );

  test('AUD 1,000.00: GST collected at the point of sale on goods and shipping, no duty', () => {
    const q = au('1000.00');
    expect(q.regime.code).toBe('AU_LOW_VALUE_SELLER_GST');
    expect(q.totals.taxes.amount).toBe(10200);
    expect(q.totals.duties.amount).toBe(0);
  });

  test('AUD 1,000.01: duty 5 % on the FOB value, GST on value + duty + transport', () => {
    const q = au('1000.01');
    expect(q.regime.code).toBe('AU_STANDARD_IMPORT');
    expect(q.totals.duties.amount).toBe(5000); // 5 % × 1000.01
    expect(q.totals.taxes.amount).toBe(10700); // 10 % × (1000.01 + 50.00 + 20.00)
  });

  test('DAP above the threshold: all of it due on delivery', () => {
    const q = au('1000.01', { incoterm: 'DAP' });
    expect(q.totals.chargeNow.amount).toBe(102001);
    expect(q.totals.dueOnDelivery.amount).toBe(15700);
  });
});

describe('CA courier thresholds (CUSMA vs others) and GST/HST', () => {
  const ca = (price: string, shipFrom: string, origin: string, extra: Extra = {}) =>
    computeLandedCost(
      input({
        lines: [tee(price, origin)],
        shipFrom: { country: shipFrom },
        shipTo: { country: 'CA', region: 'ON' },
        currency: 'CAD',
        quoteTime: day('2026-03-01'),
        ...extra,
      }),
    );

  test.each([
    ['US', '40.00', 'CA_DE_MINIMIS_EXEMPT', 0, 0],
    ['US', '40.01', 'CA_CUSMA_DUTY_FREE_TAXABLE', 0, 520], // HST 13 % × 40.01
    ['US', '150.00', 'CA_CUSMA_DUTY_FREE_TAXABLE', 0, 1950],
    ['US', '150.01', 'CA_STANDARD_IMPORT', 2700, 2301], // duty 18 % × 150.01; HST 13 % × 177.01
    ['CN', '20.00', 'CA_DE_MINIMIS_EXEMPT', 0, 0],
    ['CN', '20.01', 'CA_STANDARD_IMPORT', 360, 307], // duty 18 % × 20.01; HST 13 % × 23.61
  ])('shipped from %s, CAD %s (CN-origin T-shirt) → %s', (from, price, code, duty, tax) => {
    const q = ca(price, from, 'CN');
    expect(q.regime.code).toBe(code);
    expect(q.totals.duties.amount).toBe(duty);
    expect(q.totals.taxes.amount).toBe(tax);
  });

  test("babies' garments of cotton are free of duty (6111.20.00, MFN Free since 2013): only HST", () => {
    const q = ca('150.01', 'CN', 'CN', {
      lines: [{ ...tee('150.01', 'CN'), sku: 'BBY-COT-001', hsCode: '6111206010' }],
    });
    expect(q.regime.code).toBe('CA_STANDARD_IMPORT');
    expect(q.totals.duties.amount).toBe(0);
    expect(q.lines[0]!.dutyComponents[0]!.rule).toEqual({ id: 'mfn-ca-611120', version: 4 });
    expect(q.totals.taxes.amount).toBe(1950); // HST 13 % × 150.01 (a T-shirt: duty 27.00, HST 23.01)
  });

  test('the CUSMA threshold follows the ship-from country, the preference follows the origin', () => {
    const q = ca('150.01', 'US', 'US');
    expect(q.regime.code).toBe('CA_STANDARD_IMPORT');
    expect(q.totals.duties.amount).toBe(0);
    expect(q.lines[0]!.dutyComponents[0]!.rule).toEqual({ id: 'ca-cusma-preference', version: 1 });
    expect(q.totals.taxes.amount).toBe(1950); // 13 % × 150.01
  });

  test('Nova Scotia HST: 15 % until 2025-03-31, 14 % from 2025-04-01', () => {
    const before = ca('100.00', 'CN', 'CN', {
      shipTo: { country: 'CA', region: 'NS' },
      quoteTime: day('2025-03-31'),
    });
    const after = ca('100.00', 'CN', 'CN', {
      shipTo: { country: 'CA', region: 'NS' },
      quoteTime: day('2025-04-01'),
    });
    expect(before.totals.taxes.amount).toBe(1770); // 15 % × 118.00
    expect(after.totals.taxes.amount).toBe(1652); // 14 % × 118.00
    expect(after.rulesUsed).toContainEqual({ id: 'gst-hst-ca-ns', version: 2 });
  });

  test('no province: federal GST only, said in the notes', () => {
    const q = ca('100.00', 'CN', 'CN', { shipTo: { country: 'CA' } });
    expect(q.totals.taxes.amount).toBe(590); // 5 % × 118.00
    expect(q.notes.join(' ')).toMatch(/federal GST only/);
  });

  test('basic groceries are zero-rated', () => {
    const q = computeLandedCost(
      input({
        lines: [coffee('200.00', 'BR')],
        shipFrom: { country: 'BR' },
        shipTo: { country: 'CA', region: 'ON' },
        currency: 'CAD',
        quoteTime: day('2026-03-01'),
      }),
    );
    expect(q.totals.taxes.amount).toBe(0);
  });
});

describe('JP JPY 10,000 small-consignment exemption (60 % of retail price + shipping)', () => {
  const jp = (lines: Parameters<typeof input>[0]['lines'], shipping: string) =>
    computeLandedCost(
      input({
        lines,
        shipTo: { country: 'JP' },
        currency: 'JPY',
        shippingCost: shipping,
        quoteTime: day('2026-03-01'),
      }),
    );

  test('customs value exactly JPY 10,000 (0.6 × 16,000 + 400): exempt', () => {
    const q = jp([coffee('16000', 'US')], '400');
    expect(q.regime.code).toBe('JP_SMALL_CONSIGNMENT_EXEMPT');
    expect(q.regime.consignmentValue).toEqual({ amount: 10000, currency: 'JPY' });
    expect(q.totals.duties.amount + q.totals.taxes.amount).toBe(0);
  });

  test('JPY 10,001: duty 12 % and 8 % consumption tax (food) on value + duty', () => {
    const q = jp([coffee('16000', 'US')], '401');
    expect(q.regime.code).toBe('JP_STANDARD_IMPORT');
    expect(q.totals.duties.amount).toBe(1200);
    expect(q.totals.taxes.amount).toBe(896);
    expect(q.totals.chargeNow.amount).toBe(16000 + 401 + 1200 + 896);
  });

  test('designated articles (knitted apparel) are taxed even under the threshold; the rest stays exempt', () => {
    const q = jp([tee('5000', 'US'), coffee('5000', 'US')], '0');
    expect(q.regime.code).toBe('JP_SMALL_CONSIGNMENT_PARTIAL');
    expect(q.lines.map((l) => l.duties.amount)).toEqual([222, 0]); // 7.4 % × 3,000
    expect(q.lines.map((l) => l.taxes.amount)).toEqual([322, 0]); // 10 % × 3,222
  });
});
