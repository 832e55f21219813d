export { PgQuoteStore, newQuoteId, quoteIdForKey, QUOTE_ID_PATTERN } from './quote-store';
export { createQuoteDesk, type QuoteDeskOptions } from './desk';
