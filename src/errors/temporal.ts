import { ApplicationFailure } from '@temporalio/common';
import { AppError, isErrorCode } from './app-error';

/**
 * Converts an AppError into the failure Temporal understands: the code becomes the failure
 * type and decides `nonRetryable`. Activities throw through this so that retry policies and
 * the API see the same decision.
 */
export function toApplicationFailure(error: AppError, attempt?: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.code,
    message: error.message,
    nonRetryable: !error.retryable,
    details: [
      { field: error.field ?? null, details: error.details ?? null, ...(attempt ? { attempt } : {}) },
    ],
    cause: error.cause instanceof Error ? error.cause : undefined,
  });
}

/** Rebuilds an AppError from a failure that crossed Temporal (update, workflow result). */
export function fromApplicationFailure(failure: ApplicationFailure): AppError {
  const code = isErrorCode(failure.type) ? failure.type : 'INTERNAL';
  const first = (failure.details?.[0] ?? {}) as {
    field?: string | null;
    details?: Record<string, unknown> | null;
  };
  return new AppError(code, failure.message, {
    field: first.field ?? undefined,
    details: first.details ?? undefined,
  });
}
