import { AppError } from '../../errors';
import {
  type BaseRateTable,
  type FxRateAnswer,
  type FxRateRequest,
  type FxRateSource,
  ratesFromBaseTable,
} from '../../domain/money';

export interface ReferenceRateOptions {
  /** Refuse tables older than this many days at the requested time (unset: any age). */
  readonly maxAgeDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * An FxRateSource over published days of base-currency reference rates (the ECB's euro rates):
 * it serves the newest day published at or before the requested time, with cross rates through
 * the base for pairs without it.
 */
export class ReferenceRateSource implements FxRateSource {
  private readonly days: readonly BaseRateTable[];

  constructor(
    days: readonly BaseRateTable[],
    private readonly options: ReferenceRateOptions = {},
  ) {
    if (days.length === 0) throw new AppError('INTERNAL', 'a reference rate source needs at least one day');
    this.days = [...days].sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt));
  }

  async ratesFor(request: FxRateRequest): Promise<FxRateAnswer> {
    const at = request.at.getTime();
    const day = [...this.days].reverse().find((d) => Date.parse(d.publishedAt) <= at) ?? null;
    return answerFromDay(day, request, this.options);
  }
}

/**
 * Retry-After of a request refused for want of current rates: they come back with an import (the
 * daily schedule, or by hand), not within a second.
 */
const RATES_RETRY_AFTER_SECONDS = 300;

/**
 * The answer of a reference-rate source from the newest day published at or before the request
 * (null: none): DEPENDENCY_UNAVAILABLE without one, or when it is older than `maxAgeDays`; else
 * its rates for the currencies asked, cross rates through the base.
 */
export function answerFromDay(
  day: BaseRateTable | null,
  request: FxRateRequest,
  options: ReferenceRateOptions,
): FxRateAnswer {
  const at = request.at.getTime();
  if (day === null) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `no reference exchange rates were published before ${request.at.toISOString()}`,
      {
        publicMessage: 'No exchange rates are available to convert prices yet; retry later',
        retryAfterSeconds: RATES_RETRY_AFTER_SECONDS,
      },
    );
  }
  const { maxAgeDays } = options;
  if (maxAgeDays !== undefined && at - Date.parse(day.publishedAt) > maxAgeDays * DAY_MS) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `the newest reference exchange rates (${day.date}) are older than ${maxAgeDays} days`,
      {
        publicMessage: `The exchange rates to convert prices are out of date (the newest are of ${day.date}); retry later`,
        retryAfterSeconds: RATES_RETRY_AFTER_SECONDS,
      },
    );
  }
  const { table, unsupported } = ratesFromBaseTable(day, request.currencies);
  return {
    table,
    unsupported,
    reference: { source: day.source, date: day.date, publishedAt: day.publishedAt },
  };
}
