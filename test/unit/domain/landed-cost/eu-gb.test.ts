import { computeLandedCost, type LandedCostQuote } from '../../../../src/domain/landed-cost';
import { coffee, day, input, kidsTee, tee } from './helpers';

const de = (
  lines: Parameters<typeof input>[0]['lines'],
  date: string,
  extra: Partial<Parameters<typeof input>[0]> = {},
) => computeLandedCost(input({ lines, quoteTime: day(date), ...extra }));

const amounts = (q: LandedCostQuote, pick: 'duties' | 'taxes' | 'shipping') =>
  q.lines.map((l) => l[pick].amount);

describe('EU low-value consignments around 2026-07-01', () => {
  // 2 × T-shirt 50.00 (610910), coffee 20.00 (090121), 2 × kids T-shirt 15.00 (610910): EUR 150.00
  const cart = [tee('50.00', 'US', 2), coffee('20.00'), kidsTee('15.00', 'US', 2)];

  test('2026-06-30, EUR 150.00 exactly: IOSS VAT at checkout, duty relief', () => {
    const q = de(cart, '2026-06-30', { shippingCost: '10.00' });
    expect(q.regime.code).toBe('EU_IOSS_DUTY_RELIEF');
    expect(q.regime.consignmentValue).toEqual({ amount: 15000, currency: 'EUR' });
    expect(amounts(q, 'shipping')).toEqual([667, 133, 200]);
    expect(q.totals.duties.amount).toBe(0);
    // DE VAT: 19 % × 106.67 = 20.27; 7 % (food) × 21.33 = 1.49; 19 % × 32.00 = 6.08
    expect(amounts(q, 'taxes')).toEqual([2027, 149, 608]);
    expect(q.totals.chargeNow.amount).toBe(15000 + 1000 + 2784);
    expect(q.rulesUsed.map((r) => r.id)).toEqual(['eu-ioss-duty-relief', 'vat-de']);
  });

  test('2026-07-01, same cart: EUR 3 per distinct sub-heading (2 → EUR 6), allocated within each sub-heading', () => {
    const q = de(cart, '2026-07-01', { shippingCost: '10.00' });
    expect(q.regime.code).toBe('EU_IOSS_FLAT_DUTY');
    expect(q.regime.reason).toContain('2 distinct tariff sub-heading');
    expect(q.destinationTotals.duties).toEqual({ amount: 600, currency: 'EUR' });
    // 610910: EUR 3 split 106.67 : 32.00 → 2.31 / 0.69; 090121: 3.00
    expect(amounts(q, 'duties')).toEqual([231, 300, 69]);
    expect(amounts(q, 'taxes')).toEqual([2027, 149, 608]);
    expect(q.totals.chargeNow.amount).toBe(15000 + 1000 + 600 + 2784);
    expect(q.rulesUsed).toContainEqual({ id: 'eu-ioss-flat-duty', version: 1 });
  });

  test.each([
    ['2026-06-30', '150.00', 'EU_IOSS_DUTY_RELIEF', 0, 3040],
    ['2026-07-01', '150.00', 'EU_IOSS_FLAT_DUTY', 300, 3040],
    // standard import: duty 12 % × (150.01 + 10.00) = 19.20; VAT 19 % × (160.01 + 19.20) = 34.05
    ['2026-06-30', '150.01', 'EU_STANDARD_IMPORT', 1920, 3405],
    ['2026-07-01', '150.01', 'EU_STANDARD_IMPORT', 1920, 3405],
  ])('%s, one T-shirt of EUR %s to DE → %s', (date, price, code, duty, vat) => {
    const q = de([tee(price, 'US')], date, { shippingCost: '10.00' });
    expect(q.regime.code).toBe(code);
    expect(q.totals.duties.amount).toBe(duty);
    expect(q.totals.taxes.amount).toBe(vat);
  });

  test('DAP low value: VAT still at checkout (IOSS), the flat duty due on delivery', () => {
    const q = de([tee('150.00', 'US')], '2026-07-01', { shippingCost: '10.00', incoterm: 'DAP' });
    expect(q.collection).toEqual({ duties: 'ON_DELIVERY', taxes: 'CHECKOUT', fees: 'NONE' });
    expect(q.totals.chargeNow.amount).toBe(15000 + 1000 + 3040);
    expect(q.totals.dueOnDelivery.amount).toBe(300);
  });

  test('DAP above EUR 150: duty and import VAT are both an estimate due on delivery', () => {
    const q = de([tee('150.01', 'US')], '2026-07-01', { shippingCost: '10.00', incoterm: 'DAP' });
    expect(q.totals.chargeNow.amount).toBe(16001);
    expect(q.totals.dueOnDelivery.amount).toBe(1920 + 3405);
  });

  test('reduced and zero rates: IE zero-rates children’s clothing and food, FR food 5.5 %', () => {
    const ie = de(cart, '2026-07-01', { shipTo: { country: 'IE' }, shippingCost: '10.00' });
    expect(amounts(ie, 'taxes')).toEqual([2453, 0, 0]); // 23 % × 106.67
    const fr = de([coffee('20.00')], '2026-07-01', { shipTo: { country: 'FR' } });
    expect(fr.totals.taxes.amount).toBe(110); // 5.5 % × 20.00
    const nl = de([tee('100.00', 'US')], '2026-07-01', { shipTo: { country: 'NL' } });
    expect(nl.totals.taxes.amount).toBe(2100);
  });

  test('the threshold is tested in EUR after converting a USD cart with the supplied rate', () => {
    const fx = {
      rates: [{ from: 'EUR', to: 'USD', rate: '1.08', source: 'ECB', asOf: '2026-06-30T14:00:00Z' }],
    };
    const at = de([tee('162.00', 'US')], '2026-07-01', { currency: 'USD', fxRates: fx });
    expect(at.regime.consignmentValue).toEqual({ amount: 15000, currency: 'EUR' });
    expect(at.regime.code).toBe('EU_IOSS_FLAT_DUTY');
    expect(at.totals.duties).toEqual({ amount: 324, currency: 'USD' }); // EUR 3.00 × 1.08
    expect(at.totals.taxes).toEqual({ amount: 3078, currency: 'USD' }); // EUR 28.50 × 1.08
    expect(at.fx[0]).toMatchObject({
      inverted: true,
      rate: '1.08',
      source: 'ECB',
      roundingMode: 'HALF_EVEN',
    });
    const over = de([tee('162.01', 'US')], '2026-07-01', { currency: 'USD', fxRates: fx });
    expect(over.regime.consignmentValue).toEqual({ amount: 15001, currency: 'EUR' });
    expect(over.regime.code).toBe('EU_STANDARD_IMPORT');
  });

  test('no EU rules before IOSS (2021-07-01)', () => {
    expect(() => de([tee('10.00', 'US')], '2021-06-30')).toThrow(/no EU import rules/);
  });
});

describe('GB GBP 135 threshold', () => {
  const gb = (
    lines: Parameters<typeof input>[0]['lines'],
    extra: Partial<Parameters<typeof input>[0]> = {},
  ) =>
    computeLandedCost(
      input({
        lines,
        shipTo: { country: 'GB' },
        currency: 'GBP',
        shippingCost: '5.00',
        quoteTime: day('2026-03-01'),
        ...extra,
      }),
    );

  test('GBP 135.00: seller charges VAT at checkout, no duty', () => {
    const q = gb([tee('135.00', 'US')]);
    expect(q.regime.code).toBe('GB_LOW_VALUE_SELLER_VAT');
    expect(q.totals.duties.amount).toBe(0);
    expect(q.totals.taxes.amount).toBe(2800); // 20 % × 140.00
    expect(q.collection.taxes).toBe('CHECKOUT');
  });

  test('GBP 135.01: duty 12 % on CIF value, import VAT on value + duty', () => {
    const q = gb([tee('135.01', 'US')]);
    expect(q.regime.code).toBe('GB_STANDARD_IMPORT');
    expect(q.totals.duties.amount).toBe(1680); // 12 % × 140.01
    expect(q.totals.taxes.amount).toBe(3136); // 20 % × 156.81
    expect(q.totals.chargeNow.amount).toBe(13501 + 500 + 1680 + 3136);
  });

  test('toys: 4 % UK Global Tariff duty (9503 00 69 puzzles, simplified from the EU 4.7 %)', () => {
    const q = gb([{ ...tee('135.01', 'US'), sku: 'TOY-PUZ-001', hsCode: '9503000090' }]);
    expect(q.regime.code).toBe('GB_STANDARD_IMPORT');
    expect(q.totals.duties.amount).toBe(560); // 4 % × 140.01
    expect(q.lines[0]!.dutyComponents[0]!.rule).toEqual({ id: 'mfn-gb-950300', version: 4 });
  });

  test('children’s clothing is zero-rated; the duty remains', () => {
    const q = gb([kidsTee('135.01', 'US')]);
    expect(q.totals.taxes.amount).toBe(0);
    expect(q.totals.duties.amount).toBe(1680);
    expect(q.lines[0]!.taxCategory).toBe('childrenClothing');
  });
});
