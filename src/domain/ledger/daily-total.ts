/**
 * One day (UTC) of money through the payment processor, in one currency: what finance's daily
 * totals report per day (GET /v1/finance/daily-totals; src/infra/finance/daily-totals.ts reads it
 * from the processor clearing accounts). Amounts are minor units of `currency`.
 */
export interface DailyTotal {
  /** YYYY-MM-DD, UTC. */
  day: string;
  currency: string;
  /** Captured from buyers, net of reversed captures. */
  captured: number;
  /** Refunded to buyers, net of reversed refunds. */
  refunded: number;
  /** Paid out to merchants by settlement runs, net of reversed payouts. */
  paidOut: number;
  /** The processor's own fees, as reconciliation booked them (a fee given back lowers it). */
  processorFees: number;
}
