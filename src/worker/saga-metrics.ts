import type { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure, type MetricCounter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { AppError } from '../errors';

/** Names of the saga step counters (on the worker's Prometheus endpoint, TEMPORAL_METRICS_PORT). */
export const SAGA_METRICS = {
  started: 'borderline_saga_steps_started',
  completed: 'borderline_saga_steps_completed',
  failed: 'borderline_saga_steps_failed',
  compensations: 'borderline_saga_compensations',
} as const;

export interface SagaMetricsOptions {
  /** Activity types that undo a step (ORDER_COMPENSATION_ACTIVITIES): also counted as compensations. */
  compensations: ReadonlySet<string>;
}

/**
 * Counts every activity execution (a saga step attempt) through the SDK's metric meter, so the
 * counters sit beside the SDK's own metrics on the worker's Prometheus endpoint:
 *
 * - `borderline_saga_steps_started{step}`, `…_completed{step}`, `…_failed{step,retryable,code}`:
 *   per attempt, so a step retried twice counts three starts. `retryable` is what Temporal was
 *   told (an AppError's code decides, see activities/activity.ts); `code` is the failure type
 *   (an AppError code, INTERNAL, or CANCELLED).
 * - `borderline_saga_compensations{step,outcome}` (outcome `completed` or `failed`) for the
 *   compensating activities.
 *
 * The SDK's meter adds `namespace`, `taskQueue` and `activityType` to each. With no metrics
 * exporter installed (tests, replay) the meter is a no-op.
 */
export function sagaMetricsInterceptor(options: SagaMetricsOptions): ActivityInterceptorsFactory {
  return (ctx: Context) => {
    const step = ctx.info.activityType;
    const meter = ctx.metricMeter;
    const counter = (name: string, description: string): MetricCounter =>
      meter.createCounter(name, undefined, description);
    const isCompensation = options.compensations.has(step);
    return {
      inbound: {
        async execute(input, next) {
          counter(SAGA_METRICS.started, 'Saga steps (activity attempts) started, by step.').add(1, { step });
          const compensations = () =>
            counter(
              SAGA_METRICS.compensations,
              'Compensating activities (void, cancel, refund) run, by step and outcome.',
            );
          try {
            const result = await next(input);
            counter(SAGA_METRICS.completed, 'Saga steps (activity attempts) completed, by step.').add(1, {
              step,
            });
            if (isCompensation) compensations().add(1, { step, outcome: 'completed' });
            return result;
          } catch (error) {
            const { retryable, code } = classify(error);
            counter(
              SAGA_METRICS.failed,
              'Saga steps (activity attempts) that threw, by step, retryability and failure type.',
            ).add(1, { step, retryable: String(retryable), code });
            if (isCompensation) compensations().add(1, { step, outcome: 'failed' });
            throw error;
          }
        },
      },
    };
  };
}

/** What Temporal will make of an activity's error: retried or not, and its type. */
export function classify(error: unknown): { retryable: boolean; code: string } {
  if (error instanceof ApplicationFailure) {
    return { retryable: !error.nonRetryable, code: error.type ?? 'Error' };
  }
  if (error instanceof CancelledFailure) return { retryable: false, code: 'CANCELLED' };
  if (error instanceof AppError) return { retryable: error.retryable, code: error.code };
  return { retryable: true, code: 'INTERNAL' };
}
