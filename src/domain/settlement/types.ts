/**
 * Settlement runs: the shapes shared by the workflow, its activities, the API and the report.
 * Every amount is a safe integer of minor units; JSON-safe (they travel in Temporal payloads).
 */

/** A run settles the unsettled merchant lines that occurred before `to` (ISO 8601 instants). */
export interface SettlementPeriod {
  readonly from: string;
  readonly to: string;
}

export interface SettlementWorkflowInput {
  /** Given by the API (`stl_...`); a scheduled run derives it from its workflow id. */
  readonly runId?: string;
  /** ISO 4217: the ledger currency of the merchant accounts settled. */
  readonly currency: string;
  /** Given by the API; a scheduled run settles the UTC day before its scheduled time. */
  readonly period?: SettlementPeriod;
  /** Merchants of the run; null: every merchant with lines in the currency. */
  readonly merchantIds: readonly string[] | null;
  /** Who asked: an API key's name, or `schedule:<scheduleId>`. */
  readonly requestedBy: string;
  /** Merchants paid per activity (default DEFAULT_PAYOUT_BATCH_SIZE). */
  readonly payoutBatchSize?: number;
}

export const DEFAULT_PAYOUT_BATCH_SIZE = 25;
export const MAX_PAYOUT_BATCH_SIZE = 500;

/**
 * What a merchant's line in a run is:
 * - `pending`: to be paid (net > 0, connected account known); becomes `paid` or `failed`;
 * - `held`: owed but the merchant has no connected account: carried forward;
 * - `carried_forward`: negative (or below one minor unit once converted): carried forward;
 * - `nothing_due`: the lines settled add up to zero;
 * - `failed`: the provider refused the transfer for good: carried forward.
 */
export const PAYOUT_STATUSES = [
  'pending',
  'paid',
  'held',
  'carried_forward',
  'nothing_due',
  'failed',
] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/**
 * How a merchant's net is made up, in minor units of the run currency, each positive in its
 * natural sense (fees charged are positive; a refund given is positive). Always:
 * net = gross − refunds − fees − dutiesTaxes − carrier − reserveHeld + reserveReleased
 *       + broughtForward + other.
 */
export interface SettlementComponents {
  /** Captured from buyers (processor clearing debits of the merchant's entries). */
  readonly gross: number;
  /** Given back to buyers (processor clearing credits). */
  readonly refunds: number;
  /** Platform fees, percentage and fixed, net of fees refunded. */
  readonly fees: number;
  /** Duties, customs fees and taxes collected for (and remitted to) authorities, net of refunds. */
  readonly dutiesTaxes: number;
  /** Labels bought for the merchant (in the run currency). */
  readonly carrier: number;
  /** Proceeds put in the rolling reserve. */
  readonly reserveHeld: number;
  /** Reserve released by this run (held at least reserve_days before the cut-off). */
  readonly reserveReleased: number;
  /** Carried forward by an earlier run (negative: the merchant owed it). */
  readonly broughtForward: number;
  /** Anything else on the merchant's payable (adjustments, absorbed losses, ...). */
  readonly other: number;
}

export const COMPONENT_NAMES = [
  'gross',
  'refunds',
  'fees',
  'dutiesTaxes',
  'carrier',
  'reserveHeld',
  'reserveReleased',
  'broughtForward',
  'other',
] as const satisfies readonly (keyof SettlementComponents)[];

/** One merchant's row of a run: the report's line. */
export interface SettlementRow extends SettlementComponents {
  readonly merchantId: string;
  /** The run currency. */
  readonly currency: string;
  readonly lines: number;
  readonly net: number;
  readonly carriedForward: number;
  readonly status: PayoutStatus;
  readonly payoutCurrency: string | null;
  readonly payoutAmount: number | null;
  readonly fxRate: string | null;
  readonly fxInverted: boolean | null;
  readonly fxSource: string | null;
  readonly fxAsOf: string | null;
  readonly transferId: string | null;
  readonly note: string | null;
}

export type RunStatus = 'starting' | 'running' | 'completed' | 'refused';
export type RunPhase = 'opening' | 'claiming' | 'paying' | 'finishing' | 'done';

/** What the run's workflow reports while it runs (query) and returns at the end. */
export interface SettlementProgress {
  readonly runId: string;
  readonly workflowId: string;
  status: RunStatus;
  phase: RunPhase;
  readonly currency: string;
  readonly period: SettlementPeriod;
  readonly merchantIds: readonly string[] | null;
  readonly requestedBy: string;
  /** Known once lines are claimed. */
  merchantsTotal: number | null;
  /** Merchants whose outcome is final (paid, held, carried forward, nothing due, failed). */
  merchantsDone: number;
  linesSettled: number | null;
  /** Why a run was refused (it overlaps a completed run). */
  refusal?: { code: string; message: string };
}
