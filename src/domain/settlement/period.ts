import { AppError } from '../../errors';
import { parseInstant } from '../time/instant';
import type { SettlementPeriod } from './types';

export { parseInstant };
export { dailyPeriod, scheduledTimeOf } from '../time/daily';

/**
 * Periods and run ids. Pure and clock-free (the caller passes `now`), so the workflow can use
 * them: a scheduled run derives its id and its period from its workflow id.
 */

/**
 * Checks a requested period: `from` before `to`, and `to` not after `now` (a run cannot settle
 * what has not happened yet). Answers the period as ISO instants (milliseconds, UTC).
 */
export function checkPeriod(input: { from: unknown; to: unknown }, now: Date): SettlementPeriod {
  const from = parseInstant(input.from, 'from');
  const to = parseInstant(input.to, 'to');
  if (from.getTime() >= to.getTime()) {
    throw new AppError(
      'VALIDATION_FAILED',
      `the period is empty: from (${from.toISOString()}) must be before to (${to.toISOString()})`,
      { field: 'from' },
    );
  }
  if (to.getTime() > now.getTime()) {
    throw new AppError(
      'VALIDATION_FAILED',
      `the period ends in the future: to (${to.toISOString()}) is after now (${now.toISOString()})`,
      { field: 'to' },
    );
  }
  return { from: from.toISOString(), to: to.toISOString() };
}

/** `settlement-<runId>`. */
export function settlementWorkflowId(runId: string): string {
  return `settlement-${runId}`;
}

/** The id of a daily schedule of one currency; its runs are `settlement-daily-<CCY>-<time>`. */
export function dailyScheduleId(currency: string): string {
  return `settlement-daily-${currency}`;
}

/**
 * The run id of a workflow started without one (by a schedule): its workflow id without the
 * `settlement-` prefix, with the characters business keys do not allow (`:`) removed, e.g.
 * `daily-EUR-2026-11-26T020000Z`.
 */
export function runIdFromWorkflowId(workflowId: string): string {
  const id = workflowId
    .replace(/^settlement-/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .slice(-64);
  if (id.length === 0) throw new AppError('VALIDATION_FAILED', `no run id in workflow id ${workflowId}`);
  return id;
}
