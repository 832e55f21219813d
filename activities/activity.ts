import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { idempotencyKeyMayHaveExpired } from '../src/domain/payments';
import { AppError, toApplicationFailure } from '../src/errors';

/**
 * Wraps an activity so that Temporal and the workflow see what the project's error type means:
 * an AppError becomes an ApplicationFailure whose type is the code and whose `nonRetryable`
 * follows the code; anything else is an INTERNAL failure, retried. The result (and the failure's
 * details) carry the attempt number, so the order timeline can show how many tries a step took.
 *
 * While it runs, the activity heartbeats every couple of seconds: if its worker dies, Temporal
 * notices within the heartbeat timeout (order-policies.ts) and retries it on another worker,
 * instead of waiting for the whole start-to-close timeout. A local activity (the projection write)
 * does not: its workflow task carries it.
 */
export function activity<A extends unknown[], R extends object>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R & { attempt: number }> {
  return async (...args: A) => {
    const attempt = currentAttempt();
    const beat = heartbeat();
    try {
      return { ...(await fn(...args)), attempt };
    } catch (error) {
      if (error instanceof ApplicationFailure) throw error;
      if (error instanceof AppError) throw toApplicationFailure(error, attempt);
      throw ApplicationFailure.create({
        type: 'INTERNAL',
        message: error instanceof Error ? error.message : String(error),
        nonRetryable: false,
        cause: error instanceof Error ? error : undefined,
        details: [{ field: null, details: null, attempt }],
      });
    } finally {
      beat.stop();
    }
  };
}

const HEARTBEAT_EVERY_MS = 2_000;

function heartbeat(): { stop(): void } {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return { stop: () => undefined }; // called outside an activity (unit tests)
  }
  // A local activity has no heartbeat: the workflow task it runs in is kept alive by the worker.
  if (context.info.isLocal) return { stop: () => undefined };
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1; // called outside an activity (unit tests)
  }
}

/**
 * True when this activity was first scheduled so long ago (IDEMPOTENCY_KEY_TRUST_MS) that the
 * payment provider may have forgotten the idempotency key of its first attempt: a retry must then
 * look up what an earlier attempt did before acting again. Temporal's `scheduledTimestampMs` is the
 * first attempt's (retries keep it). Outside an activity (unit tests) the call is fresh: false.
 */
export function providerKeyMayHaveExpired(nowMs: number = Date.now()): boolean {
  let scheduledMs: number;
  try {
    scheduledMs = Context.current().info.scheduledTimestampMs;
  } catch {
    return false; // called outside an activity (unit tests)
  }
  return idempotencyKeyMayHaveExpired(scheduledMs, nowMs);
}

const COMPENSATION = Symbol.for('borderline.compensation');

/**
 * Marks an activity as a compensation: it undoes a saga step (void, cancel, refund). Behaviour
 * is unchanged; the mark lets the worker's saga metrics tell compensations from actions.
 */
export function compensation<F extends (...args: never[]) => Promise<unknown>>(fn: F): F {
  Object.defineProperty(fn, COMPENSATION, { value: true });
  return fn;
}

export function isCompensation(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[COMPENSATION] === true;
}

/** The names (activity types) of the compensations among `activities`. */
export function compensationNames<T extends object>(activities: T): (keyof T & string)[] {
  return (Object.keys(activities) as (keyof T & string)[]).filter((name) => isCompensation(activities[name]));
}
