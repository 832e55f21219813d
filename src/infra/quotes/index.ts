export { PgQuoteStore, newQuoteId, QUOTE_ID_PATTERN } from './quote-store';
export { createQuoteDesk, type QuoteDeskOptions } from './desk';
