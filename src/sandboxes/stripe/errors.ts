/**
 * Errors shaped like Stripe's: `{ error: { type, code, decline_code, param, message, ... } }`
 * with Stripe's HTTP statuses (400 invalid_request_error, 402 card_error, 404 resource_missing,
 * 401 authentication, 429 rate limit, 5xx api_error).
 *
 * `persist` says whether the answer belongs to the endpoint's execution and is therefore saved
 * under the request's idempotency key. Stripe: "We save results only after the execution of an
 * endpoint begins. If incoming parameters fail validation, or the request conflicts with another
 * that's executing concurrently, no idempotent result is saved."
 */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  advice_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly persist: boolean,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }

  toResponse(): { error: StripeErrorBody } {
    return { error: this.body };
  }
}

function docUrl(code: string | undefined): { doc_url?: string } {
  return code ? { doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` } : {};
}

export interface InvalidRequestOptions {
  code?: string;
  param?: string;
  status?: number;
  /** True for refusals that happen while executing (saved under the idempotency key). */
  persist?: boolean;
}

export function invalidRequest(message: string, options: InvalidRequestOptions = {}): StripeApiError {
  return new StripeApiError(
    options.status ?? 400,
    {
      type: 'invalid_request_error',
      message,
      ...(options.code ? { code: options.code } : {}),
      ...(options.param ? { param: options.param } : {}),
      ...docUrl(options.code),
    },
    options.persist ?? false,
  );
}

/** A refusal decided by the state of an object (saved under the idempotency key). */
export function refused(
  message: string,
  options: Omit<InvalidRequestOptions, 'persist'> = {},
): StripeApiError {
  return invalidRequest(message, { ...options, persist: true });
}

export function notFound(objectName: string, id: string, param = 'id'): StripeApiError {
  return invalidRequest(`No such ${objectName}: '${id}'`, { status: 404, code: 'resource_missing', param });
}

export interface CardErrorOptions {
  code: string;
  declineCode: string;
  adviceCode?: string;
  param?: string;
  chargeId: string;
  paymentIntent: unknown;
}

export function cardError(message: string, options: CardErrorOptions): StripeApiError {
  return new StripeApiError(
    402,
    {
      type: 'card_error',
      message,
      code: options.code,
      decline_code: options.declineCode,
      ...(options.adviceCode ? { advice_code: options.adviceCode } : {}),
      ...(options.param ? { param: options.param } : {}),
      charge: options.chargeId,
      ...docUrl(options.code),
      payment_intent: options.paymentIntent,
    },
    true,
  );
}

export function apiError(status: number): StripeApiError {
  return new StripeApiError(
    status,
    {
      type: 'api_error',
      message:
        "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, " +
        'you can reach us at https://support.stripe.com/contact.',
    },
    false,
    // Nothing was executed, so a retry is safe and useful.
    { 'Stripe-Should-Retry': 'true' },
  );
}

export function rateLimited(): StripeApiError {
  return new StripeApiError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      ...docUrl('rate_limit'),
    },
    false,
    // Stripe names the limiter; it documents no Retry-After header.
    { 'Stripe-Rate-Limited-Reason': 'global-rate' },
  );
}
