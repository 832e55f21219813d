export { ReferenceRateSource, type ReferenceRateOptions } from './reference-rates';
export { ECB_SAMPLE_DAYS } from './ecb-sample-days';
export { ECB_SOURCE, frankfurtAt16, parseEcbReferenceRates, type ParsedReferenceRates } from './ecb-files';
export { FxReferenceStore, PgReferenceRateSource, type PgReferenceRateOptions } from './pg-reference-rates';
export { fxRateSource, type FxRatesKind } from './source';
export { downloadReferenceRates } from './ecb-download';
export {
  FX_IMPORT_SCHEDULE_ID,
  ensureDailyFxImportSchedule,
  type DailyFxImportScheduleOptions,
  type FxImportInput,
} from './schedules';
