import { AppError } from '../../errors';
import { currencyInfo } from '../money';
import { stripeExponent } from '../payments/stripe-amounts';
import { parseInstant } from '../time/instant';

/** What finance asks for: a period (from inclusive, to exclusive) and a currency. */
export interface ReconciliationRequest {
  readonly from: string;
  readonly to: string;
  readonly currency: string;
}

/** A request checked and normalised (ISO instants with milliseconds). */
export type CheckedReconciliationRequest = ReconciliationRequest;

/** A quarter at most: a run holds the period's transactions in its staging pages. */
export const MAX_PERIOD_DAYS = 92;

/**
 * The processor's transactions read around the period, as counterparts of ledger entries inside
 * it: 35 days before (orders placed before the ledger posted at capture posted it at delivery, days or
 * weeks after the charge) and 1 day after (a refund or payout posted just before midnight, paid just after).
 */
export const PROCESSOR_LOOKBACK_MS = 35 * 86_400_000;
export const PROCESSOR_LOOKAHEAD_MS = 86_400_000;

const DAY_MS = 86_400_000;
/** An ISO 8601 date (midnight UTC) or date-time with a zone, as settlement periods take them. */
const instant = (value: unknown, field: string): Date => parseInstant(value, field);

/**
 * Checks a reconciliation request against `now`: a period that has ended (not in the future),
 * `from` before `to`, at most MAX_PERIOD_DAYS long, and an active ISO 4217 currency Stripe can
 * hold. Throws VALIDATION_FAILED naming the field.
 */
export function checkReconciliationRequest(
  request: ReconciliationRequest,
  now: Date,
): CheckedReconciliationRequest {
  const from = instant(request.from, 'from');
  const to = instant(request.to, 'to');
  if (from.getTime() >= now.getTime()) {
    throw new AppError('VALIDATION_FAILED', 'from is in the future: only past periods can be reconciled', {
      field: 'from',
    });
  }
  if (from.getTime() >= to.getTime()) {
    throw new AppError('VALIDATION_FAILED', 'to must be after from', { field: 'to' });
  }
  if (to.getTime() > now.getTime()) {
    throw new AppError(
      'VALIDATION_FAILED',
      `to is in the future (now is ${now.toISOString()}): only past periods can be reconciled`,
      { field: 'to' },
    );
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw new AppError('VALIDATION_FAILED', `the period is longer than ${MAX_PERIOD_DAYS} days`, {
      field: 'to',
    });
  }
  checkStripeCurrency(request.currency);
  return { from: from.toISOString(), to: to.toISOString(), currency: request.currency };
}

/** An active ISO 4217 currency that a Stripe balance can hold; VALIDATION_FAILED (`currency`) if not. */
export function checkStripeCurrency(currency: string): void {
  currencyInfo(currency, 'currency');
  try {
    stripeExponent(currency);
  } catch (error) {
    if (error instanceof AppError) {
      throw new AppError('VALIDATION_FAILED', `${currency} is not a currency Stripe holds`, {
        field: 'currency',
      });
    }
    throw error;
  }
}

/** Where the processor's transactions are read: the period widened, never past `now`. */
export function processorWindow(
  period: { from: string; to: string },
  now: Date,
  lookbackMs = PROCESSOR_LOOKBACK_MS,
  lookaheadMs = PROCESSOR_LOOKAHEAD_MS,
): { from: string; to: string } {
  const from = Date.parse(period.from) - lookbackMs;
  const to = Math.min(Date.parse(period.to) + lookaheadMs, now.getTime());
  return {
    from: new Date(from).toISOString(),
    to: new Date(Math.max(to, Date.parse(period.to))).toISOString(),
  };
}
