import { computeLandedCost } from '../../../../src/domain/landed-cost';
import { coffee, day, input, powerBank, tee } from './helpers';

const us = (
  lines: Parameters<typeof input>[0]['lines'],
  date: string,
  extra: Partial<Parameters<typeof input>[0]> = {},
) =>
  computeLandedCost(
    input({
      lines,
      shipFrom: { country: 'VN' },
      shipTo: { country: 'US' },
      currency: 'USD',
      quoteTime: day(date),
      ...extra,
    }),
  );

describe('US de minimis and its suspension', () => {
  test.each([
    ['2025-08-28', '800.00', 'US_DE_MINIMIS', 0],
    ['2025-08-28', '800.01', 'US_ABOVE_DE_MINIMIS', 13200], // 16.5 % × 800.01 = 132.00165
    ['2025-08-29', '800.00', 'US_DE_MINIMIS_SUSPENDED', 13200], // 16.5 % × 800.00
    ['2025-08-29', '10.00', 'US_DE_MINIMIS_SUSPENDED', 165],
    ['2026-07-30', '0.01', 'US_DE_MINIMIS_SUSPENDED', 0], // 16.5 % of 1 cent rounds to 0 (half-even)
  ])('%s, T-shirt of USD %s from Vietnam → %s, duty %d cents', (date, price, code, duty) => {
    const q = us([tee(price)], date);
    expect(q.regime.code).toBe(code);
    expect(q.totals.duties.amount).toBe(duty);
    expect(q.totals.taxes.amount).toBe(0);
    expect(q.regime.threshold).toEqual({ amount: 80000, currency: 'USD' });
  });

  test('the reason sentence names the value and threshold', () => {
    const q = us([tee('800.00')], '2025-08-28');
    expect(q.regime.reason).toContain('USD 800.00');
    expect(q.rulesUsed).toEqual([{ id: 'us-de-minimis-321', version: 1 }]);
  });

  test.each([
    ['2025-05-01', 'US_DE_MINIMIS', 0],
    ['2025-05-02', 'US_DE_MINIMIS_SUSPENDED_FOR_ORIGIN', -1],
  ])('CN origin on %s → %s', (date, code, duty) => {
    const q = us([tee('100.00', 'CN')], date, { shipFrom: { country: 'CN' } });
    expect(q.regime.code).toBe(code);
    if (duty >= 0) expect(q.totals.duties.amount).toBe(duty);
    else expect(q.totals.duties.amount).toBeGreaterThan(0);
  });
});

describe('US additional duties by origin and date', () => {
  const cn = (date: string, line = tee('100.00', 'CN')) =>
    us([line], date, { shipFrom: { country: 'CN' }, shippingCost: '10.00' });
  const parts = (q: ReturnType<typeof cn>) =>
    Object.fromEntries(
      q.lines[0]!.dutyComponents.map((c) => [`${c.rule.id}@${c.rule.version}`, c.amount.amount]),
    );

  test('2025-06-01: MFN 16.5 % + fentanyl 20 % + reciprocal 10 % + Section 301 7.5 % (shipping not dutiable)', () => {
    const q = cn('2025-06-01');
    expect(parts(q)).toEqual({
      'mfn-us-610910@4': 1650,
      'us-ieepa-fentanyl-cn@2': 2000,
      'us-ieepa-reciprocal-cn@4': 1000,
      'us-section-301-list-4a-610910@1': 750,
    });
    expect(q.totals.duties.amount).toBe(5400);
    expect(q.totals.chargeNow.amount).toBe(10000 + 1000 + 5400);
    expect(q.rulesUsed).toContainEqual({ id: 'us-de-minimis-suspended-cn-hk', version: 1 });
  });

  test('fentanyl duty falls to 10 % on 2025-11-10', () => {
    expect(parts(cn('2025-11-09'))['us-ieepa-fentanyl-cn@2']).toBe(2000);
    expect(parts(cn('2025-11-10'))['us-ieepa-fentanyl-cn@3']).toBe(1000);
  });

  test('IEEPA duties end and the Section 122 surcharge starts on 2026-02-24', () => {
    expect(parts(cn('2026-02-23'))).toEqual({
      'mfn-us-610910@4': 1650,
      'us-ieepa-fentanyl-cn@3': 1000,
      'us-ieepa-reciprocal-cn@4': 1000,
      'us-section-301-list-4a-610910@1': 750,
    });
    expect(parts(cn('2026-02-24'))).toEqual({
      'mfn-us-610910@4': 1650,
      'us-section-122-surcharge@1': 1000,
      'us-section-301-list-4a-610910@1': 750,
    });
    expect(parts(cn('2026-07-23'))['us-section-122-surcharge@1']).toBe(1000);
    expect(parts(cn('2026-07-24'))['us-section-122-surcharge@1']).toBeUndefined();
  });

  test('Section 122 applies to other origins but not to Canada/Mexico or exempted electronics', () => {
    expect(us([tee('100.00', 'VN')], '2026-02-23').totals.duties.amount).toBe(1650);
    expect(us([tee('100.00', 'VN')], '2026-02-24').totals.duties.amount).toBe(2650);
    const mx = us([tee('100.00', 'MX')], '2026-03-01', { shipFrom: { country: 'MX' } });
    expect(mx.totals.duties.amount).toBe(0);
    expect(mx.lines[0]!.dutyComponents.map((c) => c.rule.id)).toEqual(['us-usmca-preference']);
    const phone = { ...tee('500.00', 'VN'), sku: 'PHN-SMT-001', hsCode: '8517130000' };
    expect(us([phone], '2026-03-01').totals.duties.amount).toBe(0);
  });

  test('Section 301 on lithium-ion batteries rises from 7.5 % to 25 % on 2026-01-01', () => {
    // power bank USD 50: MFN 3.4 % = 170, fentanyl 10 % = 500, reciprocal 10 % = 500, 301 …
    expect(cn('2025-12-31', powerBank('50.00')).totals.duties.amount).toBe(170 + 500 + 500 + 375);
    expect(cn('2026-01-01', powerBank('50.00')).totals.duties.amount).toBe(170 + 500 + 500 + 1250);
    expect(cn('2026-01-01', powerBank('50.00')).rulesUsed).toContainEqual({
      id: 'us-section-301-850760',
      version: 2,
    });
  });

  test('duty-free goods still record the MFN rule they used', () => {
    const q = us([coffee('30.00')], '2025-09-01');
    expect(q.totals.duties.amount).toBe(0);
    expect(q.rulesUsed).toContainEqual({ id: 'mfn-us-090121', version: 4 });
  });
});

describe('US incoterms', () => {
  test('DDP charges duties now; DAP shows them as due on delivery', () => {
    const ddp = us([tee('100.00', 'CN')], '2026-03-01', {
      shipFrom: { country: 'CN' },
      shippingCost: '10.00',
    });
    const dap = us([tee('100.00', 'CN')], '2026-03-01', {
      shipFrom: { country: 'CN' },
      shippingCost: '10.00',
      incoterm: 'DAP',
    });
    expect(ddp.totals.chargeNow.amount).toBe(11000 + 3400);
    expect(ddp.totals.dueOnDelivery.amount).toBe(0);
    expect(dap.totals.chargeNow.amount).toBe(11000);
    expect(dap.totals.dueOnDelivery.amount).toBe(3400);
    expect(dap.collection.duties).toBe('ON_DELIVERY');
    expect(dap.notes.join(' ')).toMatch(/estimate/);
  });
});
