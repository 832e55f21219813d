import { AppError } from '../../errors';

/**
 * The domain functions a quote calls name their inputs in their own words (`parties.0.name`,
 * `destinationCountry`, `origin`). A caller of POST /v1/quotes must see the fields of the request
 * it sent (`buyer.name`, `shipTo.country`), so errors are translated on the way out.
 */
const PARTY_ROLES = ['buyer', 'consignee'] as const;
const REQUEST_FIELD = /^(merchantId|currency|incoterm|lines|shipFrom|shipTo|buyer|consignee|shipping)(\.|$)/;
const SAME_AS: Readonly<Record<string, string>> = {
  destinationCountry: 'shipTo.country',
  destination: 'shipTo.country',
  origin: 'shipFrom.country',
};

/** The request field a domain field stands for, or undefined when it is not the caller's input. */
export function requestFieldOf(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const party = /^parties\.(\d+)(\..*)?$/.exec(field);
  if (party) {
    const role = PARTY_ROLES[Number(party[1])];
    return role === undefined ? undefined : `${role}${party[2] ?? ''}`;
  }
  if (SAME_AS[field] !== undefined) return SAME_AS[field];
  return REQUEST_FIELD.test(field) ? field : undefined;
}

const OVERFLOW = /exceeds the largest safe integer/;

/**
 * Runs `fn` and rewrites its validation errors in request terms. A validation error about
 * something the caller did not send is either an amount overflowing exact arithmetic (the cart is
 * too large to quote: a 400 on `lines`), a date no rule covers (422), or a fault of ours (500).
 */
export function inRequestTerms<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toRequestError(error);
  }
}

export function toRequestError(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') return error;
  const field = requestFieldOf(error.field);
  if (field !== undefined) {
    if (field === error.field) return error;
    return new AppError('VALIDATION_FAILED', error.message, { field, details: error.details, cause: error });
  }
  if (OVERFLOW.test(error.message)) {
    return new AppError(
      'VALIDATION_FAILED',
      `the cart's amounts are too large to quote exactly (${error.message}); nothing is rounded`,
      { field: 'lines', details: error.details, cause: error },
    );
  }
  if (error.field === 'quoteTime') {
    return new AppError('BUSINESS_RULE_VIOLATION', `cannot quote at this time: ${error.message}`, {
      cause: error,
    });
  }
  return new AppError('INTERNAL', `quote computation failed on ${error.field ?? 'an input'}`, {
    cause: error,
  });
}
