import { listAnswer } from './list';
import type { ApiResult, RequestContext } from './context';
import { ok } from './context';
import { invalidRequest, notFound } from './errors';
import type { ParamObject } from './form';
import { expandParam, optionalInteger, optionalString, rejectUnknown } from './form';
import { newId } from './ids';
import { expand, renderBalanceTransaction } from './render';
import type { BalanceTransactionRecord, BalanceTransactionType } from './state';

/**
 * Balance transactions: every movement of money on the account, the record finance reconciles
 * against. A captured charge adds its amount less Stripe's fee; refunds and transfers take money
 * out; transfer reversals bring it back (type `transfer_refund`, reporting category
 * `transfer_reversal`). Refunds carry no fee (Stripe no longer returns fees on refunds).
 */
const REPORTING_CATEGORY: Record<BalanceTransactionType, string> = {
  charge: 'charge',
  refund: 'refund',
  transfer: 'transfer',
  transfer_refund: 'transfer_reversal',
};

export interface NewBalanceTransaction {
  type: BalanceTransactionType;
  amount: number;
  fee?: number;
  currency: string;
  source: string;
  description?: string | null;
  availableAfterMs?: number;
}

export function recordBalanceTransaction(
  context: RequestContext,
  entry: NewBalanceTransaction,
): BalanceTransactionRecord {
  const record: BalanceTransactionRecord = {
    id: newId('txn'),
    created: context.nowSeconds,
    availableOn: Math.floor((context.nowMs + (entry.availableAfterMs ?? 0)) / 1000),
    amount: entry.amount,
    fee: entry.fee ?? 0,
    currency: entry.currency,
    type: entry.type,
    reportingCategory: REPORTING_CATEGORY[entry.type],
    source: entry.source,
    description: entry.description ?? null,
  };
  context.state.balanceTransactions.push(record);
  return record;
}

/** Stripe's card fee for a captured amount, rounded half up, in integer arithmetic. */
export function cardFee(amount: number, fee: { percentBps: number; fixed: number }): number {
  const scaled = amount * fee.percentBps;
  const percent = (scaled - (scaled % 10_000)) / 10_000 + (scaled % 10_000 >= 5_000 ? 1 : 0);
  return percent + fee.fixed;
}

export function retrieveBalanceTransaction(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, ['expand']);
  const record = id ? context.state.balanceTransaction(id) : undefined;
  if (!record || !id) throw notFound('balance transaction', id ?? '');
  return ok(
    expand(
      renderBalanceTransaction(record, context.nowSeconds),
      expandParam(params),
      context.state,
      context.nowSeconds,
    ),
  );
}

export function createdFilter(params: ParamObject): (created: number) => boolean {
  const value = params.created;
  if (value === undefined) return () => true;
  if (typeof value === 'string') {
    const exact = optionalInteger(params, 'created');
    return (created) => created === exact;
  }
  if (Array.isArray(value)) throw invalidRequest('Invalid created', { param: 'created' });
  rejectUnknownRange(value);
  const bound = (name: string) => optionalInteger(value, name);
  const gt = bound('gt');
  const gte = bound('gte');
  const lt = bound('lt');
  const lte = bound('lte');
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}

function rejectUnknownRange(range: ParamObject): void {
  for (const key of Object.keys(range)) {
    if (!['gt', 'gte', 'lt', 'lte'].includes(key)) {
      throw invalidRequest(`Received unknown parameter: created[${key}]`, {
        code: 'parameter_unknown',
        param: `created[${key}]`,
      });
    }
  }
}

/** `GET /v1/balance_transactions`: newest first, cursor pagination with `starting_after`/`ending_before`. */
export function listBalanceTransactions(context: RequestContext, params: ParamObject): ApiResult {
  rejectUnknown(params, [
    'created',
    'currency',
    'ending_before',
    'expand',
    'limit',
    'payout',
    'source',
    'starting_after',
    'type',
  ]);
  const type = optionalString(params, 'type');
  const currency = optionalString(params, 'currency')?.toLowerCase();
  const source = optionalString(params, 'source');
  const createdMatches = createdFilter(params);

  const newestFirst = [...context.state.balanceTransactions]
    .reverse()
    .filter(
      (transaction) =>
        createdMatches(transaction.created) &&
        (type === undefined || transaction.type === type) &&
        (currency === undefined || transaction.currency === currency) &&
        (source === undefined || transaction.source === source),
    );

  return listAnswer(context, params, newestFirst, {
    objectName: 'balance transaction',
    url: '/v1/balance_transactions',
    render: (transaction) => renderBalanceTransaction(transaction, context.nowSeconds),
  });
}
