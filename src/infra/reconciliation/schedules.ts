import type { Client } from '@temporalio/client';
import { ORDERS_TASK_QUEUE } from '../../domain/orders/temporal';
import { checkStripeCurrency } from '../../domain/reconciliation/request';
import {
  dailyReconciliationScheduleId,
  type ScheduledReconciliationInput,
} from '../../domain/reconciliation/temporal';
import { AppError } from '../../errors';
import { ensureDailySchedule, type ScheduleResult } from '../temporal/schedules';

export interface DailyReconciliationScheduleOptions {
  /** ISO 4217: the Stripe balance currency the daily runs reconcile. */
  readonly currency: string;
  /** `HH:MM`, UTC: when each day's run starts (it reconciles the previous UTC day). */
  readonly at: string;
  /** Where the worker polls (ORDERS_TASK_QUEUE). */
  readonly taskQueue?: string;
  /** Balance transactions per page, 1..100; default 100. */
  readonly pageSize?: number;
}

/**
 * Creates the Temporal Schedule `reconciliation-daily-<CCY>` that starts a reconciliation run
 * every day at `at` UTC, or brings an existing one in line with these options: running it again
 * is harmless. Each run's workflow id is `reconciliation-daily-<CCY>-<scheduled time>`; it opens
 * its own run for the UTC day before that time, books Stripe's fees of that day and lists its
 * mismatches, as a run finance starts does (GET /v1/reconciliations shows it).
 */
export async function ensureDailyReconciliationSchedule(
  client: Client,
  options: DailyReconciliationScheduleOptions,
): Promise<ScheduleResult> {
  checkStripeCurrency(options.currency);
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new AppError('VALIDATION_FAILED', 'pageSize must be an integer from 1 to 100', {
      field: 'pageSize',
    });
  }
  const scheduleId = dailyReconciliationScheduleId(options.currency);
  const input: ScheduledReconciliationInput = {
    currency: options.currency,
    pageSize,
    requestedBy: `schedule:${scheduleId}`,
  };
  return ensureDailySchedule(client, {
    scheduleId,
    at: options.at,
    purpose: `daily reconciliation of ${options.currency} at ${options.at} UTC`,
    action: {
      type: 'startWorkflow',
      workflowType: 'reconciliationWorkflow',
      workflowId: scheduleId,
      taskQueue: options.taskQueue ?? ORDERS_TASK_QUEUE,
      args: [input],
    },
  });
}
