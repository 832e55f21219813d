import type { Client } from '@temporalio/client';
import { FX_IMPORT_SCHEDULE_ID, type FxImportInput } from '../../domain/money/fx-import';
import { ORDERS_TASK_QUEUE } from '../../domain/orders/temporal';
import { AppError } from '../../errors';
import { ensureDailySchedule, type ScheduleResult } from '../temporal/schedules';

export { FX_IMPORT_SCHEDULE_ID, type FxImportInput };

export interface DailyFxImportScheduleOptions {
  /** `HH:MM`, UTC; the ECB publishes at about 16:00 Frankfurt time (14:00 or 15:00 UTC). */
  readonly at: string;
  /** FX_ECB_DAILY_URL. */
  readonly url: string;
  /** Where the worker polls (ORDERS_TASK_QUEUE). */
  readonly taskQueue?: string;
}

/**
 * Creates the Temporal Schedule `fx-import-daily` that downloads and imports the day's reference
 * rates every day at `at` UTC (a weekend's run finds Friday's day already there), or brings an
 * existing one in line with these options.
 */
export async function ensureDailyFxImportSchedule(
  client: Client,
  options: DailyFxImportScheduleOptions,
): Promise<ScheduleResult> {
  if (!/^https?:\/\//.test(options.url)) {
    throw new AppError('VALIDATION_FAILED', `the rates URL must be http(s), not ${options.url}`, {
      field: 'url',
    });
  }
  const input: FxImportInput = { url: options.url };
  return ensureDailySchedule(client, {
    scheduleId: FX_IMPORT_SCHEDULE_ID,
    at: options.at,
    purpose: `daily import of the ECB reference rates at ${options.at} UTC`,
    action: {
      type: 'startWorkflow',
      workflowType: 'fxImportWorkflow',
      workflowId: FX_IMPORT_SCHEDULE_ID,
      taskQueue: options.taskQueue ?? ORDERS_TASK_QUEUE,
      args: [input],
    },
  });
}
