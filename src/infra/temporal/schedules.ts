import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';
import { AppError } from '../../errors';

/** Parses `HH:MM` (00:00 to 23:59), a UTC time of day. */
export function parseTimeOfDay(at: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (!match) {
    throw new AppError(
      'VALIDATION_FAILED',
      `--at must be a UTC time of day HH:MM (00:00 to 23:59), not ${at}`,
      { field: 'at' },
    );
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export interface DailyScheduleOptions {
  readonly scheduleId: string;
  /** `HH:MM`, UTC. */
  readonly at: string;
  /** What the schedule is for, in words (its calendar's comment and its memo). */
  readonly purpose: string;
  /** The workflow each day starts; its id gets `-<scheduled time>` appended by Temporal. */
  readonly action: Extract<ScheduleOptions['action'], { type: 'startWorkflow' }>;
}

export interface ScheduleResult {
  readonly scheduleId: string;
  /** `created`, or `updated` when it existed (its spec and action are set to these options). */
  readonly outcome: 'created' | 'updated';
}

/**
 * Creates a Temporal Schedule that starts `action` every day at `at` UTC, or brings an existing
 * one in line with these options: running it again is harmless. A run still going when the next
 * is due makes the next wait (overlap BUFFER_ONE); missed runs within a day are caught up.
 */
export async function ensureDailySchedule(
  client: Client,
  options: DailyScheduleOptions,
): Promise<ScheduleResult> {
  const { hour, minute } = parseTimeOfDay(options.at);
  const { scheduleId, action } = options;
  const spec: ScheduleOptions['spec'] = { calendars: [{ hour, minute, comment: options.purpose }] };
  const policies = { overlap: 'BUFFER_ONE', catchupWindow: '1 day' } as const;
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, memo: { purpose: options.purpose } });
    return { scheduleId, outcome: 'created' };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({
    ...previous,
    spec,
    action,
    policies: { ...previous.policies, ...policies },
  }));
  return { scheduleId, outcome: 'updated' };
}
