import type { ApiResult, RequestContext } from './context';
import { ok } from './context';
import { invalidRequest } from './errors';
import type { ParamObject } from './form';
import { expandParam, optionalInteger, rejectUnknown, requiredString } from './form';
import { expand, renderPaymentIntent } from './render';
import type { PaymentIntentRecord } from './state';

/**
 * `GET /v1/payment_intents/search` (docs.stripe.com/api/payment_intents/search), with the part of
 * Stripe's search query language Borderline uses: one or more `metadata['key']:'value'` clauses
 * (exact match; quotes and backslashes inside a value escaped with a backslash) joined by `AND`.
 * Any other query is refused with a 400 `invalid_request_error` on param `query`, so a test never
 * passes on a query the sandbox silently misread.
 *
 * Answers Stripe's search result (`object: 'search_result'`, `data`, `has_more`, `next_page`,
 * `url`), newest first, `limit` 1..100 (default 10), paged by the opaque `page` cursor of the
 * previous answer's `next_page`. Real Stripe's search lags writes by up to a minute; the
 * sandbox's does not.
 */
export function searchPaymentIntents(context: RequestContext, params: ParamObject): ApiResult {
  rejectUnknown(params, ['expand', 'limit', 'page', 'query']);
  const clauses = parseQuery(requiredString(params, 'query'));
  const limit = optionalInteger(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest('This value must be greater than or equal to 1 and less than or equal to 100.', {
      code: 'parameter_invalid_integer',
      param: 'limit',
    });
  }
  const start = pageStart(params);
  // Insertion order is creation order.
  const matches = [...context.state.paymentIntents.values()]
    .reverse()
    .filter((intent) => clauses.every((clause) => matchesClause(intent, clause)));
  const page = matches.slice(start, start + limit);
  const hasMore = start + limit < matches.length;
  const result = {
    object: 'search_result',
    data: page.map(renderPaymentIntent),
    has_more: hasMore,
    next_page: hasMore ? encodePage(start + limit) : null,
    url: '/v1/payment_intents/search',
  };
  return ok(expand(result, expandParam(params), context.state, context.nowSeconds));
}

interface MetadataClause {
  key: string;
  value: string;
}

const QUOTED = String.raw`'((?:[^'\\]|\\.)*)'`;
const METADATA_CLAUSE = new RegExp(String.raw`^metadata\[${QUOTED}\]:${QUOTED}$`);

/** `metadata['k']:'v' AND metadata['k2']:'v2'` → clauses; anything else is refused. */
export function parseQuery(query: string): MetadataClause[] {
  const parts = splitOnAnd(query.trim());
  return parts.map((part) => {
    const match = METADATA_CLAUSE.exec(part.trim());
    if (!match) {
      throw invalidRequest(
        `The search query \`${query}\` is not supported by the sandbox: it understands only ` +
          "`metadata['key']:'value'` clauses joined by AND.",
        { param: 'query' },
      );
    }
    return { key: unescape(match[1]!), value: unescape(match[2]!) };
  });
}

/** Splits on ` AND ` outside quoted strings. */
function splitOnAnd(query: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < query.length; i += 1) {
    const char = query[i]!;
    if (quoted && char === '\\') {
      current += char + (query[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (char === "'") quoted = !quoted;
    if (!quoted && query.startsWith(' AND ', i)) {
      parts.push(current);
      current = '';
      i += ' AND '.length - 1;
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function matchesClause(intent: PaymentIntentRecord, clause: MetadataClause): boolean {
  return intent.metadata[clause.key] === clause.value;
}

function encodePage(offset: number): string {
  return `page_${Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url')}`;
}

function pageStart(params: ParamObject): number {
  const page = params.page;
  if (page === undefined || page === '') return 0;
  const invalid = () =>
    invalidRequest('Invalid page: must be the next_page of a previous search result.', { param: 'page' });
  if (typeof page !== 'string' || !page.startsWith('page_')) throw invalid();
  try {
    const { offset } = JSON.parse(Buffer.from(page.slice('page_'.length), 'base64url').toString('utf8')) as {
      offset?: unknown;
    };
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw invalid();
    return offset;
  } catch {
    throw invalid();
  }
}
