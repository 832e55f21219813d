import type { FxRateSource } from '../../domain/money';
import type { Database } from '../database';
import { ECB_SAMPLE_DAYS } from './ecb-sample-days';
import { PgReferenceRateSource } from './pg-reference-rates';
import { ReferenceRateSource } from './reference-rates';

export type FxRatesKind = 'sample' | 'database';

/**
 * The exchange-rate source of quotes and settlement (FX_RATES): the sample ECB days in the
 * repository, or the days imported into PostgreSQL, refused once older than `maxAgeDays`.
 */
export function fxRateSource(kind: FxRatesKind, db: Database, maxAgeDays: number): FxRateSource {
  return kind === 'database'
    ? new PgReferenceRateSource(db, { maxAgeDays })
    : new ReferenceRateSource(ECB_SAMPLE_DAYS);
}
