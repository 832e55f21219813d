import {
  addBusinessDays,
  billableWeightGrams,
  chooseShippingService,
  dimensionalWeightGrams,
  quoteServices,
  SAMPLE_RATE_CARDS,
  SAMPLE_ZONES,
  type ServiceOption,
} from '../../../../src/domain/shipping';
import { money } from '../../../../src/domain/money';
import { AppError } from '../../../../src/errors';

const parcel = (weightGrams: number, l = 200, w = 150, h = 100) => ({
  weightGrams,
  lengthMm: l,
  widthMm: w,
  heightMm: h,
});
// Wednesday 2026-07-01
const shipDate = new Date('2026-07-01T09:00:00Z');

describe('weights', () => {
  test('dimensional weight = L×W×H / divisor, rounded up to the gram', () => {
    expect(dimensionalWeightGrams(parcel(1, 400, 300, 200), 5000)).toBe(4800); // 24,000 cm³ / 5000
    expect(dimensionalWeightGrams(parcel(1, 400, 300, 200), 6000)).toBe(4000);
    expect(dimensionalWeightGrams(parcel(1, 101, 101, 101), 5000)).toBe(207); // 1030.301 cm³ → 206.06 g → 207
  });

  test('a light bulky parcel bills its dimensional weight, rounded up to the step', () => {
    // 200×150×100 mm = 3,000 cm³ / 5000 = 600 g > 300 g actual → 1,000 g
    expect(billableWeightGrams(parcel(300), { dimDivisor: 5000, roundUpGrams: 500 })).toBe(1000);
  });

  test('heavy small parcel bills the actual weight; exact multiples are not rounded up', () => {
    expect(billableWeightGrams(parcel(1500), { dimDivisor: 5000, roundUpGrams: 500 })).toBe(1500);
    expect(billableWeightGrams(parcel(1501), { dimDivisor: 5000, roundUpGrams: 500 })).toBe(2000);
  });

  test('bad dimensions name the field', () => {
    try {
      billableWeightGrams(
        { ...parcel(100), heightMm: 0 },
        { dimDivisor: 5000, roundUpGrams: 500 },
        'parcels.0',
      );
      throw new Error('should fail');
    } catch (e) {
      expect((e as AppError).field).toBe('parcels.0.heightMm');
    }
  });
});

describe('business days', () => {
  test.each([
    ['2026-07-01', 0, '2026-07-01'],
    ['2026-07-01', 2, '2026-07-03'], // Wed → Fri
    ['2026-07-01', 3, '2026-07-06'], // skips the weekend
    ['2026-07-03', 1, '2026-07-06'],
    ['2026-07-04', 1, '2026-07-06'], // from a Saturday
  ])('%s + %d business days = %s', (start, n, expected) => {
    expect(addBusinessDays(new Date(`${start}T23:00:00Z`), n)).toBe(expected);
  });
});

describe('quoteServices', () => {
  test('prices each service by zone and weight break, with delivery windows', () => {
    const { options, unavailable } = quoteServices(
      { origin: 'US', destination: 'DE', parcels: [parcel(1800)], shipDate },
      SAMPLE_RATE_CARDS,
      SAMPLE_ZONES,
    );
    expect(unavailable).toEqual([]);
    const byId = Object.fromEntries(options.map((o) => [o.serviceId, o]));
    expect(byId['sample-economy']).toMatchObject({
      zone: 'Z2',
      billableGrams: 2000,
      price: money(2400, 'USD'),
      latestDelivery: '2026-07-21',
    });
    expect(byId['sample-standard']).toMatchObject({
      billableGrams: 2000,
      price: money(3600, 'USD'),
      earliestDelivery: '2026-07-07',
      latestDelivery: '2026-07-10',
    });
    expect(byId['sample-express']).toMatchObject({
      price: money(6800, 'USD'),
      latestDelivery: '2026-07-06',
      ddpSupported: true,
    });
  });

  test('multi-parcel shipments are priced per piece', () => {
    const { options } = quoteServices(
      { origin: 'US', destination: 'CA', parcels: [parcel(400), parcel(2100)], shipDate },
      SAMPLE_RATE_CARDS,
      SAMPLE_ZONES,
    );
    // express Z1: 0.5 kg (dim 600 g → 1 kg break: 4500) + 2.5 kg (10 kg break: 9500)
    expect(options.find((o) => o.serviceId === 'sample-express')!.price).toEqual(money(4500 + 9500, 'USD'));
  });

  test('no zone or too heavy: unavailable with a reason', () => {
    expect(
      quoteServices(
        { origin: 'BR', destination: 'DE', parcels: [parcel(100)], shipDate },
        SAMPLE_RATE_CARDS,
        SAMPLE_ZONES,
      ).unavailable.map((u) => u.reason),
    ).toEqual(['NO_ZONE', 'NO_ZONE', 'NO_ZONE']);
    const heavy = quoteServices(
      { origin: 'US', destination: 'DE', parcels: [parcel(30001)], shipDate },
      SAMPLE_RATE_CARDS,
      SAMPLE_ZONES,
    );
    expect(heavy.options).toEqual([]);
    expect(heavy.unavailable.every((u) => u.reason === 'OVER_WEIGHT_LIMIT')).toBe(true);
  });
});

describe('chooseShippingService', () => {
  const opt = (serviceId: string, price: number, min: number, max: number, ddp = true): ServiceOption => ({
    serviceId,
    rateCardVersion: 1,
    carrier: 'c',
    level: 'STANDARD',
    transportMode: 'AIR',
    zone: 'Z1',
    billableGrams: 500,
    price: money(price, 'USD'),
    transitDays: { min, max },
    earliestDelivery: addBusinessDays(shipDate, min),
    latestDelivery: addBusinessDays(shipDate, max),
    ddpSupported: ddp,
  });
  const options = [
    opt('eco', 1000, 8, 14, false),
    opt('std', 2000, 4, 7),
    opt('exp', 4000, 2, 3),
    opt('std-b', 2000, 4, 7),
  ];

  test('cheapest meeting the promise; the promise day itself counts', () => {
    const deliverBy = new Date('2026-07-10T00:00:00Z'); // std latest = 2026-07-10
    const r = chooseShippingService({ options, strategy: { kind: 'CHEAPEST_MEETING_PROMISE', deliverBy } });
    expect(r.chosen?.serviceId).toBe('std'); // tie with std-b on price and dates → id
    expect(r.rejected).toContainEqual({
      serviceId: 'eco',
      reason: 'LATE: latest delivery 2026-07-21 after 2026-07-10',
    });
    expect(r.rejected).toContainEqual({ serviceId: 'std-b', reason: 'NOT_CHEAPEST' });
    const dayBefore = chooseShippingService({
      options,
      strategy: { kind: 'CHEAPEST_MEETING_PROMISE', deliverBy: new Date('2026-07-09T00:00:00Z') },
    });
    expect(dayBefore.chosen?.serviceId).toBe('exp');
  });

  test('no service meets an impossible promise', () => {
    const r = chooseShippingService({
      options,
      strategy: { kind: 'CHEAPEST_MEETING_PROMISE', deliverBy: new Date('2026-07-02T00:00:00Z') },
    });
    expect(r.chosen).toBeNull();
    expect(r.rejected).toHaveLength(4);
  });

  test('fastest within a price cap; the cap itself is allowed', () => {
    expect(
      chooseShippingService({
        options,
        strategy: { kind: 'FASTEST_WITHIN_CAP', priceCap: money(4000, 'USD') },
      }).chosen?.serviceId,
    ).toBe('exp');
    expect(
      chooseShippingService({
        options,
        strategy: { kind: 'FASTEST_WITHIN_CAP', priceCap: money(3999, 'USD') },
      }).chosen?.serviceId,
    ).toBe('std');
    expect(
      chooseShippingService({
        options,
        strategy: { kind: 'FASTEST_WITHIN_CAP', priceCap: money(999, 'USD') },
      }).chosen,
    ).toBeNull();
  });

  test('DDP requirement removes services without DDP', () => {
    const r = chooseShippingService({
      options,
      requireDdp: true,
      strategy: { kind: 'FASTEST_WITHIN_CAP', priceCap: money(1000, 'USD') },
    });
    expect(r.chosen).toBeNull();
    expect(r.rejected).toContainEqual({ serviceId: 'eco', reason: 'DDP_NOT_SUPPORTED' });
  });

  test('the choice does not depend on the order of the options', () => {
    const a = chooseShippingService({
      options,
      strategy: { kind: 'CHEAPEST_MEETING_PROMISE', deliverBy: new Date('2026-07-31T00:00:00Z') },
    });
    const b = chooseShippingService({
      options: [...options].reverse(),
      strategy: { kind: 'CHEAPEST_MEETING_PROMISE', deliverBy: new Date('2026-07-31T00:00:00Z') },
    });
    expect(a.chosen?.serviceId).toBe('eco');
    expect(b.chosen?.serviceId).toBe('eco');
  });

  test('mixed currencies or a cap in another currency are refused', () => {
    expect(() =>
      chooseShippingService({
        options: [...options, { ...opt('x', 1, 1, 1), price: money(1, 'EUR') }],
        strategy: { kind: 'FASTEST_WITHIN_CAP', priceCap: money(1, 'USD') },
      }),
    ).toThrow(AppError);
    expect(() =>
      chooseShippingService({ options, strategy: { kind: 'FASTEST_WITHIN_CAP', priceCap: money(1, 'EUR') } }),
    ).toThrow(/compare/);
  });
});
