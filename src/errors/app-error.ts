/**
 * The one error type of Borderline. Its code decides the HTTP status an API caller sees and
 * whether Temporal retries the activity that threw it. Contexts add their codes to ERROR_CODES
 * rather than inventing their own error classes.
 */
export interface ErrorCodeSpec {
  /** HTTP status returned to API callers. */
  readonly status: number;
  /** Whether a Temporal activity failing with this code should be retried. */
  readonly retryable: boolean;
}

export const ERROR_CODES = {
  // Caller mistakes: never retried.
  VALIDATION_FAILED: { status: 400, retryable: false },
  MALFORMED_JSON: { status: 400, retryable: false },
  UNSUPPORTED_CONTENT_TYPE: { status: 400, retryable: false },
  UNAUTHENTICATED: { status: 401, retryable: false },
  FORBIDDEN: { status: 403, retryable: false },
  NOT_FOUND: { status: 404, retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false },
  CONFLICT: { status: 409, retryable: false },
  IDEMPOTENCY_KEY_REUSED: { status: 409, retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  BUSINESS_RULE_VIOLATION: { status: 422, retryable: false },
  // A quote past its expiry (or locked by another order) cannot be ordered.
  QUOTE_EXPIRED: { status: 409, retryable: false },
  // Payments: the card issuer declined; the provider refused the request (capture above what is
  // capturable, refund above what is left, cancel after capture).
  PAYMENT_DECLINED: { status: 402, retryable: false },
  PAYMENT_REJECTED: { status: 422, retryable: false },
  // Transient conditions: the same request may succeed later.
  RATE_LIMITED: { status: 429, retryable: true },
  DEPENDENCY_UNAVAILABLE: { status: 503, retryable: true },
  TIMEOUT: { status: 504, retryable: true },
  // The payment provider failed (5xx, connection lost, timeout): the outcome may be unknown, and
  // retrying with the same idempotency key is safe.
  PAYMENT_PROVIDER_ERROR: { status: 502, retryable: true },
  // Our fault. Retried by Temporal (a bug fixed by a deploy lets the saga continue).
  INTERNAL: { status: 500, retryable: true },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  /** The offending input, as a dotted path (`body.lines.0.quantity`) or a variable name. */
  field?: string;
  /** Extra machine-readable facts safe to show the caller (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
  /**
   * What an API caller may be told when the status is 5xx. Those answers otherwise carry a
   * generic message, as the message of a failure inside may name internals; the message itself
   * always goes to the log.
   */
  publicMessage?: string;
  /** How long a caller should wait before trying again (Retry-After), when not the default. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly publicMessage: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.details = options.details;
    this.publicMessage = options.publicMessage;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }

  static isAppError(value: unknown): value is AppError {
    return value instanceof AppError;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
