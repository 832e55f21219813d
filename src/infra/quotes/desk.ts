import { DEFAULT_QUOTE_TTL_SECONDS, type QuoteDesk } from '../../domain/quotes';
import { SAMPLE_RATE_CARDS, SAMPLE_ZONES } from '../../domain/shipping';
import type { Database } from '../database';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../fx';
import { PgQuoteStore } from './quote-store';

export interface QuoteDeskOptions {
  /** QUOTE_TTL_SECONDS. */
  ttlSeconds?: number;
}

/**
 * What POST /v1/quotes runs on: quotes and merchants in PostgreSQL, the sample ECB reference
 * rates and the sample carrier's rate cards (both data in the repository until real adapters
 * replace them).
 */
export function createQuoteDesk(db: Database, options: QuoteDeskOptions = {}): QuoteDesk {
  const store = new PgQuoteStore(db);
  return {
    merchants: store,
    quotes: store,
    fx: new ReferenceRateSource(ECB_SAMPLE_DAYS),
    carrier: { rateCards: SAMPLE_RATE_CARDS, zones: SAMPLE_ZONES },
    ttlSeconds: options.ttlSeconds ?? DEFAULT_QUOTE_TTL_SECONDS,
  };
}
