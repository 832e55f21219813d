import type { Client } from '@temporalio/client';
import { currencyInfo } from '../../domain/money';
import {
  dailyScheduleId,
  SETTLEMENT_TASK_QUEUE,
  type SettlementWorkflowInput,
} from '../../domain/settlement';
import { ensureDailySchedule, parseTimeOfDay, type ScheduleResult } from '../temporal/schedules';

export { parseTimeOfDay, type ScheduleResult };

export interface DailySettlementScheduleOptions {
  /** ISO 4217: the ledger currency the daily runs settle. */
  readonly currency: string;
  /** `HH:MM`, UTC: when each day's run starts (it settles the previous UTC day). */
  readonly at: string;
  /** Where the worker polls (ORDERS_TASK_QUEUE). */
  readonly taskQueue?: string;
  /** Only these merchants; default every merchant. */
  readonly merchantIds?: readonly string[] | null;
  readonly payoutBatchSize?: number;
}

/**
 * Creates the Temporal Schedule `settlement-daily-<CCY>` that starts a settlement run every day
 * at `at` UTC, or brings an existing one in line with these options: running it again is
 * harmless. Each run's workflow id is `settlement-daily-<CCY>-<scheduled time>`; the run settles
 * the UTC day before that time. A run still going when the next is due makes the next wait
 * (overlap BUFFER_ONE); missed runs within a day are caught up.
 */
export async function ensureDailySettlementSchedule(
  client: Client,
  options: DailySettlementScheduleOptions,
): Promise<ScheduleResult> {
  currencyInfo(options.currency, 'currency');
  const scheduleId = dailyScheduleId(options.currency);
  const input: SettlementWorkflowInput = {
    currency: options.currency,
    merchantIds: options.merchantIds ? [...options.merchantIds] : null,
    requestedBy: `schedule:${scheduleId}`,
    ...(options.payoutBatchSize ? { payoutBatchSize: options.payoutBatchSize } : {}),
  };
  return ensureDailySchedule(client, {
    scheduleId,
    at: options.at,
    purpose: `daily settlement run of ${options.currency} at ${options.at} UTC`,
    action: {
      type: 'startWorkflow',
      workflowType: 'settlementWorkflow',
      workflowId: scheduleId,
      taskQueue: options.taskQueue ?? SETTLEMENT_TASK_QUEUE,
      args: [input],
    },
  });
}
