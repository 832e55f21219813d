import fc from 'fast-check';
import { type AppError } from '../../../src/errors';
import { fromStripeAmount, isoExponent, stripeExponent, toStripeAmount } from '../../../src/domain/payments';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as AppError).code;
  }
}

describe('toStripeAmount', () => {
  it('passes two-decimal currencies through, lowercasing the code', () => {
    expect(toStripeAmount({ amount: 1999, currency: 'EUR' })).toEqual({ amount: 1999, currency: 'eur' });
    expect(toStripeAmount({ amount: 1000, currency: 'usd' })).toEqual({ amount: 1000, currency: 'usd' });
  });

  it('passes zero-decimal currencies through: 500 JPY is 500', () => {
    expect(toStripeAmount({ amount: 500, currency: 'JPY' })).toEqual({ amount: 500, currency: 'jpy' });
    expect(toStripeAmount({ amount: 12000, currency: 'KRW' })).toEqual({ amount: 12000, currency: 'krw' });
  });

  it('scales ISK and UGX, zero-decimal in ISO 4217, to Stripe two-decimal values (5 ISK is 500)', () => {
    expect(isoExponent('ISK')).toBe(0);
    expect(stripeExponent('ISK')).toBe(2);
    expect(toStripeAmount({ amount: 5, currency: 'ISK' })).toEqual({ amount: 500, currency: 'isk' });
    expect(toStripeAmount({ amount: 5, currency: 'UGX' })).toEqual({ amount: 500, currency: 'ugx' });
  });

  it('treats HUF and TWD as two-decimal for charges (their special case is for payouts)', () => {
    expect(toStripeAmount({ amount: 1045, currency: 'HUF' })).toEqual({ amount: 1045, currency: 'huf' });
    expect(toStripeAmount({ amount: 80045, currency: 'TWD' })).toEqual({ amount: 80045, currency: 'twd' });
  });

  it('requires three-decimal amounts to end in 0, without rounding them', () => {
    expect(toStripeAmount({ amount: 5120, currency: 'KWD' })).toEqual({ amount: 5120, currency: 'kwd' });
    expect(codeOf(() => toStripeAmount({ amount: 5124, currency: 'KWD' }))).toBe('VALIDATION_FAILED');
  });

  it('converts MGA (two decimals in ISO 4217, zero on Stripe) only for whole ariary', () => {
    expect(toStripeAmount({ amount: 150000, currency: 'MGA' })).toEqual({ amount: 1500, currency: 'mga' });
    expect(codeOf(() => toStripeAmount({ amount: 150050, currency: 'MGA' }))).toBe('VALIDATION_FAILED');
  });

  it('refuses currencies Stripe cannot charge and malformed money', () => {
    expect(codeOf(() => toStripeAmount({ amount: 1000, currency: 'IQD' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => toStripeAmount({ amount: 1000, currency: 'EURO' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => toStripeAmount({ amount: 10.5, currency: 'EUR' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => toStripeAmount({ amount: -1, currency: 'EUR' }))).toBe('VALIDATION_FAILED');
  });
});

describe('fromStripeAmount', () => {
  it('reads Stripe amounts back into ISO minor units, keeping the sign', () => {
    expect(fromStripeAmount(500, 'isk')).toEqual({ amount: 5, currency: 'ISK' });
    expect(fromStripeAmount(-2500, 'eur')).toEqual({ amount: -2500, currency: 'EUR' });
    expect(fromStripeAmount(1500, 'mga')).toEqual({ amount: 150000, currency: 'MGA' });
    expect(fromStripeAmount(0, 'jpy')).toEqual({ amount: 0, currency: 'JPY' });
  });

  it('refuses an ISK amount with decimals rather than rounding it', () => {
    expect(codeOf(() => fromStripeAmount(550, 'isk'))).toBe('INTERNAL');
    expect(codeOf(() => fromStripeAmount(1.5, 'eur'))).toBe('INTERNAL');
  });

  it('round-trips every representable amount', () => {
    const currencies = ['EUR', 'USD', 'JPY', 'KRW', 'ISK', 'UGX', 'HUF', 'TWD', 'KWD', 'BHD', 'MGA', 'CLP'];
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.integer({ min: 0, max: 10_000_000 }),
        (currency, units) => {
          // A representable amount: a multiple of what each currency's rule demands.
          const step = currency === 'KWD' || currency === 'BHD' ? 10 : currency === 'MGA' ? 100 : 1;
          const money = { amount: units * step, currency };
          const sent = toStripeAmount(money);
          expect(fromStripeAmount(sent.amount, sent.currency)).toEqual(money);
        },
      ),
    );
  });
});

describe('currencies', () => {
  it('refuses a code that is not an active ISO 4217 currency', () => {
    expect(codeOf(() => toStripeAmount({ amount: 100, currency: 'ABC' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => fromStripeAmount(100, 'abc'))).toBe('VALIDATION_FAILED');
  });
});
