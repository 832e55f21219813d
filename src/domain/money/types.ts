/**
 * Money is an integer number of minor units of an ISO 4217 currency: `{ amount: 1999,
 * currency: 'EUR' }` is EUR 19.99, `{ amount: 1999, currency: 'JPY' }` is JPY 1,999. `amount`
 * is always a safe integer; nothing that carries money uses floating point.
 */
export type CurrencyCode = string;

export interface Money {
  readonly amount: number;
  readonly currency: CurrencyCode;
}
