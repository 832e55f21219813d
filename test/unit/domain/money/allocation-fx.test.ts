import * as fc from 'fast-check';
import { AppError } from '../../../../src/errors';
import {
  allocate,
  convert,
  convertWithRate,
  type FxRate,
  money,
  parseDecimal,
  type RoundingMode,
  split,
} from '../../../../src/domain/money';

const rate = (from: string, to: string, r: string): FxRate => ({
  from,
  to,
  rate: r,
  source: 'ECB reference rate',
  asOf: '2026-06-30T14:00:00Z',
});

describe('allocate (examples)', () => {
  test('largest remainder, ties to the lower index', () => {
    expect(allocate(money(100, 'EUR'), [1, 1, 1]).map((m) => m.amount)).toEqual([34, 33, 33]);
    expect(allocate(money(5, 'EUR'), [1, 1]).map((m) => m.amount)).toEqual([3, 2]);
    expect(allocate(money(1000, 'EUR'), [200, 300, 500]).map((m) => m.amount)).toEqual([200, 300, 500]);
    // 10 × 2/7 = 2.857, 10 × 5/7 = 7.142 → remainders favour the first
    expect(allocate(money(10, 'EUR'), [2, 5]).map((m) => m.amount)).toEqual([3, 7]);
    expect(allocate(money(-100, 'EUR'), [1, 1, 1]).map((m) => m.amount)).toEqual([-34, -33, -33]);
    expect(allocate(money(7, 'EUR'), [0, 0]).map((m) => m.amount)).toEqual([4, 3]);
    expect(allocate(money(7, 'EUR'), [0, 5]).map((m) => m.amount)).toEqual([0, 7]);
    expect(split(money(10, 'JPY'), 3).map((m) => m.amount)).toEqual([4, 3, 3]);
  });

  test('rejects bad weights with the field', () => {
    expect(() => allocate(money(1, 'EUR'), [])).toThrow(AppError);
    try {
      allocate(money(1, 'EUR'), [1, -1], 'lines');
    } catch (e) {
      expect((e as AppError).field).toBe('lines.1');
    }
    expect(() => allocate(money(1, 'EUR'), [1, -1], 'lines')).toThrow(/negative/);
  });
});

describe('allocate (properties)', () => {
  const amount = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });
  const weights = fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 30 });

  test('parts sum to the total exactly, same sign, within one unit of the exact share', () => {
    fc.assert(
      fc.property(amount, weights, (total, ws) => {
        const parts = allocate(money(total, 'EUR'), ws);
        expect(parts).toHaveLength(ws.length);
        const s = parts.reduce((a, p) => a + BigInt(p.amount), 0n);
        expect(s).toBe(BigInt(total));
        const wsum = ws.reduce((a, w) => a + BigInt(w), 0n);
        const eff = wsum === 0n ? ws.map(() => 1n) : ws.map((w) => BigInt(w));
        const den = wsum === 0n ? BigInt(ws.length) : wsum;
        parts.forEach((p, i) => {
          expect(total >= 0 ? p.amount >= 0 : p.amount <= 0).toBe(true);
          // |part × den − total × w| < den  ⇔  |part − exact share| < 1
          const diff = BigInt(p.amount) * den - BigInt(total) * (eff[i] as bigint);
          expect(diff < den && diff > -den).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  test('is deterministic and a zero weight gets nothing when another weight is positive', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), weights, (total, ws) => {
        const a = allocate(money(total, 'USD'), ws);
        const b = allocate(money(total, 'USD'), ws);
        expect(a).toEqual(b);
        if (ws.some((w) => w > 0)) ws.forEach((w, i) => w === 0 && expect(a[i]?.amount).toBe(0));
      }),
    );
  });
});

describe('FX conversion (examples)', () => {
  test('records rate, source, time and rounding mode', () => {
    const c = convert(money(1000, 'EUR'), 'USD', { rates: [rate('EUR', 'USD', '1.0834')] });
    expect(c.to).toEqual(money(1083, 'USD'));
    expect(c).toMatchObject({
      rate: '1.0834',
      inverted: false,
      source: 'ECB reference rate',
      asOf: '2026-06-30T14:00:00Z',
      roundingMode: 'HALF_EVEN',
    });
  });

  test('handles exponents: USD → JPY and JPY → KWD', () => {
    // USD 19.99 × 150.25 = JPY 3003.4975
    expect(convertWithRate(money(1999, 'USD'), rate('USD', 'JPY', '150.25')).to).toEqual(money(3003, 'JPY'));
    expect(convertWithRate(money(1999, 'USD'), rate('USD', 'JPY', '150.25'), 'CEIL').to).toEqual(
      money(3004, 'JPY'),
    );
    // USD 1.00 × 150.5 = JPY 150.5: a tie
    expect(convertWithRate(money(100, 'USD'), rate('USD', 'JPY', '150.5')).to).toEqual(money(150, 'JPY'));
    expect(convertWithRate(money(100, 'USD'), rate('USD', 'JPY', '150.5'), 'HALF_UP').to).toEqual(
      money(151, 'JPY'),
    );
    expect(convertWithRate(money(10000, 'JPY'), rate('JPY', 'KWD', '0.00205')).to).toEqual(
      money(20500, 'KWD'),
    ); // JPY 10,000 × 0.00205 = KWD 20.500;
  });

  test('uses the exact inverse of the opposite pair', () => {
    const c = convert(money(108, 'USD'), 'EUR', { rates: [rate('EUR', 'USD', '1.08')] });
    expect(c.to).toEqual(money(100, 'EUR'));
    expect(c.inverted).toBe(true);
  });

  test('identity for the same currency, error naming fxRates when a pair is missing', () => {
    expect(convert(money(5, 'EUR'), 'EUR', { rates: [] }).to).toEqual(money(5, 'EUR'));
    expect(() => convert(money(5, 'EUR'), 'GBP', { rates: [rate('EUR', 'USD', '1.1')] })).toThrow(
      /no exchange rate EUR→GBP/,
    );
  });

  test('validates the rate entry', () => {
    for (const bad of ['0', '-1', '1,1', 'abc']) {
      try {
        convertWithRate(money(1, 'EUR'), rate('EUR', 'USD', bad), 'HALF_EVEN', 'fx');
        throw new Error('should fail');
      } catch (e) {
        expect((e as AppError).field).toBe('fx.rate');
      }
    }
    expect(() => convertWithRate(money(1, 'EUR'), { ...rate('EUR', 'USD', '1.1'), source: '' })).toThrow(
      /source/,
    );
    expect(() =>
      convertWithRate(money(1, 'EUR'), { ...rate('EUR', 'USD', '1.1'), asOf: 'yesterday' }),
    ).toThrow(/timestamp/);
  });
});

describe('FX conversion (properties)', () => {
  const rateText = fc
    .tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 999_999 }))
    .filter(([w, f]) => w > 0 || f > 0)
    .map(([w, f]) => `${w}.${f.toString().padStart(6, '0')}`);
  const minor = fc.integer({ min: 0, max: 1_000_000_000 });
  const modes: RoundingMode[] = ['HALF_EVEN', 'HALF_UP', 'FLOOR', 'CEIL'];

  test('monotonic in the amount', () => {
    fc.assert(
      fc.property(minor, minor, rateText, fc.constantFrom(...modes), (a, b, r, mode) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = convertWithRate(money(lo, 'EUR'), rate('EUR', 'JPY', r), mode).to.amount;
        const y = convertWithRate(money(hi, 'EUR'), rate('EUR', 'JPY', r), mode).to.amount;
        expect(x).toBeLessThanOrEqual(y);
      }),
    );
  });

  test('rounding modes stay within their bounds of the exact value', () => {
    fc.assert(
      fc.property(minor, rateText, (a, r) => {
        const exact = parseDecimal(r);
        // exact minor JPY = a × rate / 100 (EUR has 2 decimals, JPY 0)
        const num = BigInt(a) * exact.num;
        const den = exact.den * 100n;
        const get = (mode: RoundingMode) =>
          BigInt(convertWithRate(money(a, 'EUR'), rate('EUR', 'JPY', r), mode).to.amount);
        const floor = get('FLOOR');
        const ceil = get('CEIL');
        expect(floor * den <= num && num < (floor + 1n) * den).toBe(true);
        expect(ceil * den >= num && num > (ceil - 1n) * den).toBe(true);
        for (const mode of ['HALF_EVEN', 'HALF_UP'] as const) {
          const v = get(mode);
          expect(v === floor || v === ceil).toBe(true);
          const dist = v * den - num;
          expect(2n * (dist < 0n ? -dist : dist) <= den).toBe(true);
        }
      }),
    );
  });

  test('round trip through the inverse stays within the rounding tolerance', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), rateText, (a, r) => {
        const table = { rates: [rate('EUR', 'USD', r)] };
        const there = convert(money(a, 'EUR'), 'USD', table).to;
        const back = convert(there, 'EUR', table).to;
        // One half-unit lost each way: |back − a| ≤ 1/2 + (1/2)/rate, in EUR minor units.
        const x = parseDecimal(r);
        const diff = BigInt(Math.abs(back.amount - a));
        // diff ≤ 1/2 + den/(2 num)  ⇔  2·diff·num ≤ num + den
        expect(2n * diff * x.num <= x.num + x.den).toBe(true);
      }),
    );
  });
});
