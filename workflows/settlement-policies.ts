// Timeouts, heartbeats and retries of the settlement run's activities. Activities heartbeat every
// 2 s (activities/activity.ts), so a killed worker is noticed within the heartbeat timeout and
// the step runs again elsewhere; every step is idempotent by run id.
import type { ActivityOptions } from '@temporalio/workflow';

const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

/** Opening and finishing a run: small transactions. */
export const RUN_RECORD_STEP: ActivityOptions = {
  heartbeatTimeout: '10 seconds',
  startToCloseTimeout: '1 minute',
  retry: RETRY,
};

/** Claim + aggregate + decide: one transaction over every line of the run (a million in the bench). */
export const PREPARE_STEP: ActivityOptions = {
  heartbeatTimeout: '20 seconds',
  startToCloseTimeout: '30 minutes',
  retry: RETRY,
};

/** A batch of transfers (each up to the adapter's 30 s timeout) and one posting transaction. */
export function payoutStep(batchSize: number): ActivityOptions {
  return {
    heartbeatTimeout: '10 seconds',
    startToCloseTimeout: `${Math.max(2, batchSize) * 45} seconds`,
    retry: RETRY,
  };
}
