import type { BaseRateTable, FxRateAnswer, FxRateRequest, FxRateSource } from '../../domain/money';
import { AppError } from '../../errors';
import type { Database } from '../database';
import { answerFromDay, type ReferenceRateOptions } from './reference-rates';

const TRANSACTION = { maxWait: 10_000, timeout: 60_000 } as const;
const BATCH = 500;

type Row = { base: string; day: Date; publishedAt: Date; source: string; rates: unknown };

function toTable(row: Row): BaseRateTable {
  return {
    base: row.base,
    date: row.day.toISOString().slice(0, 10),
    publishedAt: row.publishedAt.toISOString(),
    source: row.source,
    rates: row.rates as Record<string, string>,
  };
}

/** The `day` column's value of a published date (midnight UTC). */
const dayColumn = (date: string) => new Date(`${date}T00:00:00Z`);

function sameDay(a: BaseRateTable, b: BaseRateTable): boolean {
  const keys = Object.keys(a.rates).sort();
  return (
    a.publishedAt === b.publishedAt &&
    a.source === b.source &&
    keys.join() === Object.keys(b.rates).sort().join() &&
    keys.every((k) => a.rates[k] === b.rates[k])
  );
}

/** Published days of reference rates in PostgreSQL (table fx_reference_days). */
export class FxReferenceStore {
  constructor(private readonly db: Database) {}

  /**
   * Stores published days, each once: a day imported before with the same rates is kept as it is
   * (so an import can be run again, or over a file that overlaps the last one); a day imported
   * before with other rates is refused (CONFLICT) and nothing of this call is written.
   */
  async importDays(days: readonly BaseRateTable[]): Promise<{ added: number; unchanged: number }> {
    let added = 0;
    for (let i = 0; i < days.length; i += BATCH) {
      const batch = days.slice(i, i + BATCH);
      added += await this.db.$transaction(async (tx) => {
        const { count } = await tx.fxReferenceDay.createMany({
          data: batch.map((d) => ({
            base: d.base,
            day: dayColumn(d.date),
            publishedAt: new Date(d.publishedAt),
            source: d.source,
            rates: { ...d.rates },
          })),
          skipDuplicates: true,
        });
        const stored = await tx.fxReferenceDay.findMany({
          where: { OR: batch.map((d) => ({ base: d.base, day: dayColumn(d.date) })) },
        });
        const byKey = new Map(
          stored.map(toTable).map((table) => [`${table.base} ${table.date}`, table] as const),
        );
        for (const day of batch) {
          const existing = byKey.get(`${day.base} ${day.date}`);
          if (!existing || !sameDay(existing, day)) {
            throw new AppError(
              'CONFLICT',
              `the ${day.base} reference rates of ${day.date} were imported before with other rates or time; ` +
                'published days do not change, so nothing of this import was written',
              { field: 'file', details: { base: day.base, date: day.date } },
            );
          }
        }
        return count;
      }, TRANSACTION);
    }
    return { added, unchanged: days.length - added };
  }

  /** The newest day of `base` published at or before `at`; null when there is none. */
  async dayAt(base: string, at: Date): Promise<BaseRateTable | null> {
    const row = await this.db.fxReferenceDay.findFirst({
      where: { base, publishedAt: { lte: at } },
      orderBy: { publishedAt: 'desc' },
    });
    return row ? toTable(row) : null;
  }

  /** The newest day of `base` stored; null when there is none. */
  async newest(base: string): Promise<BaseRateTable | null> {
    const row = await this.db.fxReferenceDay.findFirst({ where: { base }, orderBy: { publishedAt: 'desc' } });
    return row ? toTable(row) : null;
  }

  /** How many days are stored, and the first and last. */
  async summary(base: string): Promise<{ days: number; first: string | null; last: string | null }> {
    const [days, first, last] = await Promise.all([
      this.db.fxReferenceDay.count({ where: { base } }),
      this.db.fxReferenceDay.findFirst({ where: { base }, orderBy: { day: 'asc' } }),
      this.db.fxReferenceDay.findFirst({ where: { base }, orderBy: { day: 'desc' } }),
    ]);
    return { days, first: first ? toTable(first).date : null, last: last ? toTable(last).date : null };
  }
}

export interface PgReferenceRateOptions extends ReferenceRateOptions {
  /** The base currency of the stored days; default EUR (the ECB's). */
  readonly base?: string;
  /**
   * How long the newest day read is reused for requests at or after its publication, so that
   * quotes do not read the table each time (a day imported meanwhile is seen after this).
   * Default 60 s; 0 reads every time.
   */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * An FxRateSource over the days imported into PostgreSQL (`npm run fx -- import <file>`), with
 * the same answers as ReferenceRateSource: the newest day published at or before the requested
 * time, cross rates through the base, DEPENDENCY_UNAVAILABLE when there is none (or it is older
 * than `maxAgeDays`).
 */
export class PgReferenceRateSource implements FxRateSource {
  private readonly store: FxReferenceStore;
  private cached: { day: BaseRateTable; readAt: number } | null = null;

  constructor(
    db: Database,
    private readonly options: PgReferenceRateOptions = {},
  ) {
    this.store = new FxReferenceStore(db);
  }

  async ratesFor(request: FxRateRequest): Promise<FxRateAnswer> {
    return answerFromDay(await this.dayAt(request.at), request, this.options);
  }

  private async dayAt(at: Date): Promise<BaseRateTable | null> {
    const base = this.options.base ?? 'EUR';
    const newest = await this.newest(base);
    if (newest && Date.parse(newest.publishedAt) <= at.getTime()) return newest;
    return this.store.dayAt(base, at);
  }

  /** The newest day stored, read at most once per `cacheMs`. */
  private async newest(base: string): Promise<BaseRateTable | null> {
    const now = (this.options.now ?? Date.now)();
    const cacheMs = this.options.cacheMs ?? 60_000;
    if (this.cached && now - this.cached.readAt < cacheMs) return this.cached.day;
    const day = await this.store.newest(base);
    this.cached = day ? { day, readAt: now } : null;
    return day;
  }
}
