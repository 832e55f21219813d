import { AppError } from '../../errors';
import { parseInstant } from '../time/instant';
import type { SettlementPeriod } from './types';

export { parseInstant };

/**
 * Periods and run ids. Pure and clock-free (the caller passes `now`), so the workflow can use
 * them: a scheduled run derives its id and its period from its workflow id.
 */

const DAY_MS = 86_400_000;

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

/** The UTC day before `at`'s day: what a daily run scheduled at `at` settles. */
export function dailyPeriod(at: Date): SettlementPeriod {
  const to = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  return { from: new Date(to - DAY_MS).toISOString(), to: new Date(to).toISOString() };
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
 * A Temporal Schedule starts workflows with its action's id followed by `-<scheduled time>`
 * (`settlement-daily-EUR-2026-11-26T02:00:00Z`): that time, if the id ends with one.
 */
export function scheduledTimeOf(workflowId: string): Date | null {
  const match = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/.exec(workflowId);
  if (!match) return null;
  const at = new Date(match[1]!);
  return Number.isNaN(at.getTime()) ? null : at;
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
