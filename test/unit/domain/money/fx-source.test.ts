import { AppError } from '../../../../src/errors';
import {
  type BaseRateTable,
  convert,
  money,
  ratesFromBaseTable,
  rational,
  toSignificantDecimal,
} from '../../../../src/domain/money';

const day: BaseRateTable = {
  base: 'EUR',
  date: '2025-02-28',
  publishedAt: '2025-02-28T15:00:00.000Z',
  source: 'ECB euro foreign exchange reference rates',
  rates: { USD: '1.0411', JPY: '156.96', GBP: '0.82608' },
};

describe('toSignificantDecimal', () => {
  it.each<[bigint, bigint, number, string]>([
    [10411n, 1569600n, 10, '0.006632900102'],
    [1n, 3n, 4, '0.3333'],
    [2n, 3n, 4, '0.6667'],
    [15696n, 10411n, 10, '1.507636154'],
    [123456n, 1n, 3, '123000'],
    [99995n, 100000n, 4, '1'], // 0.99995 → 1.000 (the carry adds a digit)
    [5n, 1n, 10, '5'],
    [25n, 1000n, 1, '0.02'], // a tie rounds to even
  ])('%s/%s to %s digits is %s', (num, den, digits, expected) => {
    expect(toSignificantDecimal(rational(num, den), digits)).toBe(expected);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => toSignificantDecimal(rational(0n), 4)).toThrow(AppError);
  });
});

describe('ratesFromBaseTable', () => {
  it('uses published rates for pairs with the base and cross rates otherwise', () => {
    const { table, unsupported } = ratesFromBaseTable(day, ['USD', 'EUR', 'JPY', 'USD']);
    expect(unsupported).toEqual([]);
    expect(table.rates.map((r) => `${r.from}→${r.to} ${r.rate}`)).toEqual([
      'EUR→JPY 156.96',
      'EUR→USD 1.0411',
      'JPY→USD 0.006632900102',
    ]);
    const cross = table.rates[2]!;
    expect(cross.source).toMatch(
      /cross rate via EUR \(EUR→JPY 156\.96, EUR→USD 1\.0411, 10 significant digits\)/,
    );
    expect(cross.asOf).toBe(day.publishedAt);
  });

  it('lists currencies the day does not quote instead of throwing', () => {
    const { table, unsupported } = ratesFromBaseTable(day, ['EUR', 'XOF', 'USD']);
    expect(unsupported).toEqual(['XOF']);
    expect(table.rates).toHaveLength(1);
  });

  it('refuses a code that is not a currency', () => {
    expect(() => ratesFromBaseTable(day, ['EUR', 'ABC'])).toThrow(AppError);
  });

  it('converts both ways with the table, the reverse by the exact inverse of the stated rate', () => {
    const { table } = ratesFromBaseTable(day, ['GBP', 'USD']);
    // 1.0411 / 0.82608 = 1.26028956033…, stated as 1.260289560 (trailing zero dropped).
    expect(table.rates).toEqual([expect.objectContaining({ from: 'GBP', to: 'USD', rate: '1.26028956' })]);
    expect(convert(money(10000, 'GBP'), 'USD', table).to).toEqual(money(12603, 'USD'));
    const there = convert(money(10000, 'USD'), 'GBP', table);
    expect(there).toMatchObject({ inverted: true, rate: '1.26028956' });
    expect(there.to).toEqual(money(7935, 'GBP')); // 10000 / 1.26028956 = 7934.68…
  });
});
