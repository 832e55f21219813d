import { AppError } from '../../../src/errors';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../../../src/infra/fx';

const source = new ReferenceRateSource(ECB_SAMPLE_DAYS);

describe('ReferenceRateSource over the ECB sample days', () => {
  it('serves the newest day published at or before the requested time', async () => {
    const later = await source.ratesFor({ currencies: ['EUR', 'USD'], at: new Date('2026-11-25T10:00:00Z') });
    expect(later.reference).toEqual({
      source: 'ECB euro foreign exchange reference rates',
      date: '2025-02-28',
      publishedAt: '2025-02-28T15:00:00.000Z',
    });
    expect(later.table.rates).toEqual([
      {
        from: 'EUR',
        to: 'USD',
        rate: '1.0411',
        source: 'ECB euro foreign exchange reference rates 2025-02-28',
        asOf: '2025-02-28T15:00:00.000Z',
      },
    ]);

    // Before 16:00 Frankfurt time the day's table is not published yet: the previous one holds.
    const morning = await source.ratesFor({
      currencies: ['EUR', 'USD'],
      at: new Date('2025-02-28T09:00:00Z'),
    });
    expect(morning.reference.date).toBe('2024-06-28');
    expect(morning.table.rates[0]!.rate).toBe('1.0705');
    const evening = await source.ratesFor({
      currencies: ['EUR', 'USD'],
      at: new Date('2025-02-28T15:00:00Z'),
    });
    expect(evening.reference.date).toBe('2025-02-28');
  });

  it('answers 503 when nothing was published before the time', async () => {
    await expect(
      source.ratesFor({ currencies: ['EUR', 'USD'], at: new Date('2024-01-01T00:00:00Z') }),
    ).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
  });

  it('refuses stale rates when a maximum age is set', async () => {
    const strict = new ReferenceRateSource(ECB_SAMPLE_DAYS, { maxAgeDays: 4 });
    await expect(
      strict.ratesFor({ currencies: ['EUR', 'USD'], at: new Date('2025-03-03T12:00:00Z') }),
    ).resolves.toMatchObject({ reference: { date: '2025-02-28' } });
    const error = await strict
      .ratesFor({ currencies: ['EUR', 'USD'], at: new Date('2025-03-10T12:00:00Z') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('reports currencies the ECB does not quote', async () => {
    const answer = await source.ratesFor({
      currencies: ['XOF', 'EUR'],
      at: new Date('2026-01-01T00:00:00Z'),
    });
    expect(answer.unsupported).toEqual(['XOF']);
  });

  it('has sample days whose every rate is a positive decimal', () => {
    for (const day of ECB_SAMPLE_DAYS) {
      expect(day.base).toBe('EUR');
      for (const [code, rate] of Object.entries(day.rates)) {
        expect({ code, ok: /^\d+\.\d+$/.test(rate) && Number(rate) > 0 }).toEqual({ code, ok: true });
      }
    }
  });
});
