import { AppError } from '../../../../src/errors';
import {
  add,
  allCurrencyCodes,
  basisPoints,
  compare,
  currencyInfo,
  divideRounded,
  formatMoney,
  formatRational,
  money,
  multiply,
  parseDecimal,
  parseMoney,
  percent,
  type RoundingMode,
  subtract,
  sum,
  times,
} from '../../../../src/domain/money';

function expectValidation(fn: () => unknown, field: string): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.field).toBe(field);
    return err;
  }
  throw new Error('expected a validation error');
}

describe('currency table', () => {
  test.each([
    ['JPY', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['CLP', 0],
    ['VND', 0],
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['IQD', 3],
    ['LYD', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('%s has exponent %d', (code, exponent) => {
    expect(currencyInfo(code).exponent).toBe(exponent);
  });

  test('covers the active codes and no metals or withdrawn codes', () => {
    const codes = allCurrencyCodes();
    expect(codes.length).toBeGreaterThanOrEqual(150);
    for (const gone of ['XAU', 'XDR', 'HRK', 'ZWL', 'CUC', 'XXX']) expect(codes).not.toContain(gone);
  });

  test('unknown currency names the field', () => {
    expectValidation(() => currencyInfo('EURO', 'lines.0.unitPrice.currency'), 'lines.0.unitPrice.currency');
    expectValidation(() => money(100, 'usd'), 'amount.currency');
  });
});

describe('parseMoney / formatMoney', () => {
  test.each([
    ['19.99', 'EUR', 1999],
    ['19.9', 'EUR', 1990],
    ['19', 'EUR', 1900],
    ['0.01', 'USD', 1],
    ['-5.25', 'USD', -525],
    ['1999', 'JPY', 1999],
    ['1.234', 'KWD', 1234],
    ['0.0001', 'CLF', 1],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('%s %s → %d minor units', (text, currency, minor) => {
    expect(parseMoney(text, currency)).toEqual({ amount: minor, currency });
  });

  test.each([
    ['19.999', 'EUR'],
    ['19.990', 'EUR'],
    ['5.5', 'JPY'],
    ['1.2345', 'KWD'],
  ])('%s in %s has too many decimals and is refused, never rounded', (text, currency) => {
    const err = expectValidation(() => parseMoney(text, currency, 'lines.2.unitPrice'), 'lines.2.unitPrice');
    expect(err.message).toMatch(/decimal place/);
  });

  test.each(['', '1,99', '1.', '.5', '1e3', ' 1', 'abc', '+1'])('%j is not a decimal', (text) => {
    expectValidation(() => parseMoney(text, 'EUR', 'price'), 'price');
  });

  test('refuses amounts beyond the safe integer range', () => {
    expectValidation(() => parseMoney('90071992547409.92', 'USD', 'price'), 'price');
  });

  test.each([
    [{ amount: 1999, currency: 'EUR' }, '19.99'],
    [{ amount: 5, currency: 'EUR' }, '0.05'],
    [{ amount: -5, currency: 'EUR' }, '-0.05'],
    [{ amount: 1999, currency: 'JPY' }, '1999'],
    [{ amount: 1, currency: 'KWD' }, '0.001'],
    [{ amount: 12345, currency: 'CLF' }, '1.2345'],
  ])('formats %j as %s and parses it back', (m, text) => {
    expect(formatMoney(m)).toBe(text);
    expect(parseMoney(text, m.currency)).toEqual(m);
  });
});

describe('arithmetic', () => {
  const eur = (n: number) => money(n, 'EUR');
  test('add, subtract, sum, compare', () => {
    expect(add(eur(150), eur(275))).toEqual(eur(425));
    expect(subtract(eur(150), eur(275))).toEqual(eur(-125));
    expect(sum([eur(1), eur(2), eur(3)], 'EUR')).toEqual(eur(6));
    expect(sum([], 'EUR')).toEqual(eur(0));
    expect(compare(eur(1), eur(2))).toBe(-1);
    expect(compare(eur(2), eur(2))).toBe(0);
    expect(compare(eur(3), eur(2))).toBe(1);
  });

  test('refuses to mix currencies', () => {
    expect(() => add(eur(1), money(1, 'USD'))).toThrow(/cannot add EUR and USD/);
    expect(() => compare(eur(1), money(1, 'USD'))).toThrow(AppError);
  });

  test('refuses overflow instead of rounding', () => {
    const max = money(Number.MAX_SAFE_INTEGER, 'USD');
    expect(() => add(max, money(1, 'USD'))).toThrow(/safe integer/);
    expect(() => times(money(Number.MAX_SAFE_INTEGER, 'USD'), 2)).toThrow(/safe integer/);
    expect(() => money(1.5, 'USD')).toThrow(/safe integer/);
  });
});

describe('exact rates and rounding', () => {
  test('parses rates exactly', () => {
    expect(parseDecimal('0.165')).toEqual({ num: 33n, den: 200n });
    expect(percent('16.5')).toEqual({ num: 33n, den: 200n });
    expect(basisPoints(1650)).toEqual({ num: 33n, den: 200n });
    expect(formatRational(percent('5.5'))).toBe('0.055');
    expect(formatRational({ num: 1n, den: 3n })).toBe('1/3');
  });

  // value×rate = 1.5 minor units, 2.5, -1.5, -2.5, 1.2, 1.7
  test.each<[bigint, bigint, Record<RoundingMode, bigint>]>([
    [3n, 2n, { HALF_EVEN: 2n, HALF_UP: 2n, FLOOR: 1n, CEIL: 2n }],
    [5n, 2n, { HALF_EVEN: 2n, HALF_UP: 3n, FLOOR: 2n, CEIL: 3n }],
    [-3n, 2n, { HALF_EVEN: -2n, HALF_UP: -2n, FLOOR: -2n, CEIL: -1n }],
    [-5n, 2n, { HALF_EVEN: -2n, HALF_UP: -3n, FLOOR: -3n, CEIL: -2n }],
    [6n, 5n, { HALF_EVEN: 1n, HALF_UP: 1n, FLOOR: 1n, CEIL: 2n }],
    [17n, 10n, { HALF_EVEN: 2n, HALF_UP: 2n, FLOOR: 1n, CEIL: 2n }],
    [4n, 2n, { HALF_EVEN: 2n, HALF_UP: 2n, FLOOR: 2n, CEIL: 2n }],
  ])('%d/%d rounds per mode', (num, den, expected) => {
    for (const mode of Object.keys(expected) as RoundingMode[]) {
      expect(divideRounded(num, den, mode)).toBe(expected[mode]);
    }
  });

  test('multiply applies a duty rate with half-even by default', () => {
    // 16.5 % of EUR 10.10 = 1.6665 → 1.67
    expect(multiply(money(1010, 'EUR'), percent('16.5'))).toEqual(money(167, 'EUR'));
    // 12 % of EUR 0.125... use 5 % of 0.50 = 0.025 → half-even 0.02, half-up 0.03
    expect(multiply(money(50, 'EUR'), percent('5'))).toEqual(money(2, 'EUR'));
    expect(multiply(money(50, 'EUR'), percent('5'), 'HALF_UP')).toEqual(money(3, 'EUR'));
    expect(multiply(money(50, 'EUR'), percent('5'), 'FLOOR')).toEqual(money(2, 'EUR'));
    expect(multiply(money(50, 'EUR'), percent('5'), 'CEIL')).toEqual(money(3, 'EUR'));
  });

  test('multiply uses BigInt for the product and refuses an unsafe result', () => {
    const big = money(Number.MAX_SAFE_INTEGER, 'USD');
    // The product 2^53-1 × 3 overflows a double but the result /4 is still safe and exact.
    expect(multiply(big, { num: 3n, den: 4n }, 'FLOOR').amount).toBe(
      Number((BigInt(Number.MAX_SAFE_INTEGER) * 3n) / 4n),
    );
    expect(() => multiply(big, percent('200'))).toThrow(/safe integer/);
  });
});
