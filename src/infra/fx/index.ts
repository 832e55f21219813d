export { ReferenceRateSource, type ReferenceRateOptions } from './reference-rates';
export { ECB_SAMPLE_DAYS } from './ecb-sample-days';
