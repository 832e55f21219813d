import type { StoredQuote } from './ports';
import type { QuoteStatus } from './types';

/**
 * What a quote is good for at `now`: CONSUMED once an order locked it, else EXPIRED from
 * `expiresAt` on (the lock holds until, not including, that instant), else OPEN.
 */
export function quoteStatus(quote: Pick<StoredQuote, 'lockStatus' | 'expiresAt'>, now: Date): QuoteStatus {
  if (quote.lockStatus === 'CONSUMED') return 'CONSUMED';
  return now.getTime() >= quote.expiresAt.getTime() ? 'EXPIRED' : 'OPEN';
}
