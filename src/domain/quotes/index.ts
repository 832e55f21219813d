export { issueQuote, issueQuoteOnce, type QuoteDesk } from './issue';
export { prepareQuote, MAX_DELIVERY_PROMISE_DAYS, type PreparedQuote } from './prepare';
export { buildQuote, type BuildQuoteOptions } from './build';
export { consignmentParcel, quoteShipping, type CarrierRates } from './shipping';
export { inRequestTerms, requestFieldOf, toRequestError } from './fields';
export { quoteStatus } from './status';
export type { MerchantDirectory, QuoteForOrder, QuoteRepository, StoredQuote } from './ports';
export type * from './types';

/** Default lifetime of a quote's price lock, in seconds (QUOTE_TTL_SECONDS). */
export const DEFAULT_QUOTE_TTL_SECONDS = 1800;
