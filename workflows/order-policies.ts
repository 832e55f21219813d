// Timeouts, heartbeats and retry policies of the order saga's activities, in one place. Errors an activity
// marks non-retryable (AppError codes that are the caller's or the business's: declines,
// validation, refusals) stop the retries at once; everything else is retried with backoff.
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/** Activities heartbeat every 2 s (activities/activity.ts): a dead worker is noticed in 10 s. */
const HEARTBEAT = { heartbeatTimeout: '10 seconds' } as const;

/** Reads and writes of our own database: quick, retried for as long as it takes. */
export const DATABASE_STEP: ActivityOptions = {
  ...HEARTBEAT,
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * The order's projection row (recordOrder), written at every status change: a local activity, run
 * by the worker that runs the workflow, so the write costs no task queue round trip and its input
 * (the whole view and timeline) is not copied into the history. Retried for as long as it takes,
 * like any database step; the backoff stays under `localRetryThreshold`, so the worker retries it
 * itself while keeping the workflow task alive, and another worker takes over if this one dies.
 */
export const PROJECTION_WRITE: LocalActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: DATABASE_STEP.retry,
  localRetryThreshold: '1 minute',
};

/** Calls to the payment provider: the adapter's own timeout is 30 s; the key makes retries safe. */
export const PAYMENT_STEP: ActivityOptions = {
  ...HEARTBEAT,
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Calls to the customs broker and the carrier. */
export const PARTNER_STEP: ActivityOptions = {
  ...HEARTBEAT,
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Reading the carrier's tracking list when its webhooks have been silent: a few attempts, then
 * the order goes on waiting (webhooks, or the next read); it is never a reason to fail an order.
 */
export const TRACKING_READ: ActivityOptions = {
  ...PARTNER_STEP,
  retry: { ...PARTNER_STEP.retry, maximumAttempts: 3 },
};

/** How long tracking webhooks may be silent before the list is read, for orders started without it. */
export const DEFAULT_TRACKING_POLL_MS = 6 * 3600_000;

/**
 * Compensations are retried a bounded number of times; one that still fails puts the order in
 * `needs_attention` (never swallowed) until support fixes the cause and asks for a retry.
 */
export function compensationStep(maximumAttempts: number): ActivityOptions {
  return {
    ...HEARTBEAT,
    startToCloseTimeout: '45 seconds',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts,
    },
  };
}
