import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';
import { currencyInfo } from '../../domain/money';
import {
  dailyScheduleId,
  SETTLEMENT_TASK_QUEUE,
  type SettlementWorkflowInput,
} from '../../domain/settlement';
import { AppError } from '../../errors';

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

export interface ScheduleResult {
  readonly scheduleId: string;
  /** `created`, or `updated` when it existed (its spec and action are set to these options). */
  readonly outcome: 'created' | 'updated';
}

/** Parses `HH:MM` (00:00 to 23:59). */
export function parseTimeOfDay(at: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (!match) {
    throw new AppError(
      'VALIDATION_FAILED',
      `--at must be a UTC time of day HH:MM (00:00 to 23:59), not ${at}`,
      {
        field: 'at',
      },
    );
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
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
  const { hour, minute } = parseTimeOfDay(options.at);
  const scheduleId = dailyScheduleId(options.currency);
  const input: SettlementWorkflowInput = {
    currency: options.currency,
    merchantIds: options.merchantIds ? [...options.merchantIds] : null,
    requestedBy: `schedule:${scheduleId}`,
    ...(options.payoutBatchSize ? { payoutBatchSize: options.payoutBatchSize } : {}),
  };
  const spec: ScheduleOptions['spec'] = {
    calendars: [{ hour, minute, comment: `daily settlement of ${options.currency} at ${options.at} UTC` }],
  };
  const action: ScheduleOptions['action'] = {
    type: 'startWorkflow',
    workflowType: 'settlementWorkflow',
    workflowId: scheduleId,
    taskQueue: options.taskQueue ?? SETTLEMENT_TASK_QUEUE,
    args: [input],
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: 'BUFFER_ONE', catchupWindow: '1 day' },
      memo: { purpose: `daily settlement run of ${options.currency}` },
    });
    return { scheduleId, outcome: 'created' };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({
    ...previous,
    spec,
    action,
    policies: { ...previous.policies, overlap: 'BUFFER_ONE', catchupWindow: '1 day' },
  }));
  return { scheduleId, outcome: 'updated' };
}
