import { DEFAULT_QUOTE_TTL_SECONDS, type QuoteDesk } from '../../domain/quotes';
import { SAMPLE_RATE_CARDS, SAMPLE_ZONES } from '../../domain/shipping';
import type { Database } from '../database';
import type { FxRateSource } from '../../domain/money';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../fx';
import { PgQuoteStore } from './quote-store';

export interface QuoteDeskOptions {
  /** QUOTE_TTL_SECONDS. */
  ttlSeconds?: number;
  /** Exchange rates (FX_RATES); default the sample ECB days. */
  fx?: FxRateSource;
}

/**
 * What POST /v1/quotes runs on: quotes and merchants in PostgreSQL, the ECB reference rates
 * (the sample days in the repository unless FX_RATES=database) and the sample carrier's rate
 * cards (data in the repository until a real adapter replaces them).
 */
export function createQuoteDesk(db: Database, options: QuoteDeskOptions = {}): QuoteDesk {
  const store = new PgQuoteStore(db);
  return {
    merchants: store,
    quotes: store,
    fx: options.fx ?? new ReferenceRateSource(ECB_SAMPLE_DAYS),
    carrier: { rateCards: SAMPLE_RATE_CARDS, zones: SAMPLE_ZONES },
    ttlSeconds: options.ttlSeconds ?? DEFAULT_QUOTE_TTL_SECONDS,
  };
}
