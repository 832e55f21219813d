import type { QuoteDraft } from './types';

/** A quote as stored: the draft plus its id and lock state. */
export interface StoredQuote extends QuoteDraft {
  /** `qt_` followed by 24 hex digits. */
  readonly id: string;
  /** OPEN until the order saga locks it for one order (issue 6), then CONSUMED. */
  readonly lockStatus: 'OPEN' | 'CONSUMED';
  readonly consumedByOrderId: string | null;
  readonly consumedAt: Date | null;
}

/**
 * What placing an order needs of its quote: everything but the request and the breakdown, with
 * the breakdown's totals, and its screening result only when screening blocked the quote (null
 * otherwise: not read).
 */
export type QuoteForOrder = Omit<StoredQuote, 'request' | 'breakdown'> & {
  readonly totals: StoredQuote['breakdown']['totals'];
  readonly blockingScreening: StoredQuote['breakdown']['screening'] | null;
};

/** Where quotes are kept (PostgreSQL table `quotes`, src/infra/quotes). */
export interface QuoteRepository {
  /**
   * Stores a new quote, under `id` when given (the id an Idempotency-Key maps to; null: a quote
   * with that id exists already, nothing stored), else under a new id.
   */
  create(draft: QuoteDraft, id?: string): Promise<StoredQuote | null>;
  find(id: string): Promise<StoredQuote | null>;
}

/** Which merchants exist (table `merchants`). */
export interface MerchantDirectory {
  exists(merchantId: string): Promise<boolean>;
}
