import type { ApiResult, RequestContext } from './context';
import { ok } from './context';
import { invalidRequest, notFound, refused } from './errors';
import type { ParamObject } from './form';
import {
  currencyParam,
  expandParam,
  metadataParam,
  optionalInteger,
  optionalString,
  rejectUnknown,
  requiredInteger,
  requiredString,
} from './form';
import { newId } from './ids';
import { createdFilter, recordBalanceTransaction } from './ledger';
import { listAnswer } from './list';
import { formatAmount } from './refunds';
import { expand, renderTransfer, renderTransferReversal } from './render';
import type { TransferRecord, TransferReversalRecord } from './state';

/**
 * Transfers to connected accounts (`destination: acct_…`) and their reversals, partial or full.
 * A fully reversed transfer refuses further reversals with "The transfer … is already fully
 * reversed" and no error code (as reported in stripe/stripe-ruby#1058).
 */
const ACCOUNT_ID = /^acct_[A-Za-z0-9]+$/;

function findTransfer(context: RequestContext, id: string | undefined): TransferRecord {
  const transfer = id ? context.state.transfers.get(id) : undefined;
  if (!transfer || !id) throw notFound('transfer', id ?? '', 'id');
  return transfer;
}

export function createTransfer(context: RequestContext, params: ParamObject): ApiResult {
  rejectUnknown(params, [
    'amount',
    'currency',
    'description',
    'destination',
    'expand',
    'metadata',
    'source_transaction',
    'source_type',
    'transfer_group',
  ]);
  const amount = requiredInteger(params, 'amount', { min: 1 });
  const currency = currencyParam(params);
  const destination = requiredString(params, 'destination');
  const known = context.settings.connectedAccounts;
  if (!ACCOUNT_ID.test(destination) || (known !== null && !known.has(destination))) {
    throw invalidRequest(`No such destination: '${destination}'`, {
      code: 'resource_missing',
      param: 'destination',
    });
  }
  const transfer: TransferRecord = {
    id: newId('tr'),
    created: context.nowSeconds,
    amount,
    amountReversed: 0,
    currency,
    destination,
    destinationPayment: newId('py'),
    transferGroup: optionalString(params, 'transfer_group') ?? null,
    description: optionalString(params, 'description') ?? null,
    sourceTransaction: optionalString(params, 'source_transaction') ?? null,
    metadata: metadataParam(params),
    balanceTransaction: '',
    reversalIds: [],
  };
  transfer.balanceTransaction = recordBalanceTransaction(context, {
    type: 'transfer',
    amount: -amount,
    currency,
    source: transfer.id,
    description: transfer.description,
  }).id;
  context.state.transfers.set(transfer.id, transfer);
  context.emit('transfer.created', renderTransfer(transfer, context.state));
  return ok(
    expand(renderTransfer(transfer, context.state), expandParam(params), context.state, context.nowSeconds),
  );
}

export function retrieveTransfer(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, ['expand']);
  const transfer = findTransfer(context, id);
  return ok(
    expand(renderTransfer(transfer, context.state), expandParam(params), context.state, context.nowSeconds),
  );
}

/**
 * `GET /v1/transfers` (docs.stripe.com/api/transfers/list): the transfers sent to connected
 * accounts, "the most recently created transfers appearing first", filtered by `transfer_group`,
 * `destination` and `created`, paged with `limit`, `starting_after` and `ending_before`; answers
 * Stripe's list object (`object: 'list'`, `data`, `has_more`, `url`).
 */
export function listTransfers(context: RequestContext, params: ParamObject): ApiResult {
  rejectUnknown(params, [
    'created',
    'destination',
    'ending_before',
    'expand',
    'limit',
    'starting_after',
    'transfer_group',
  ]);
  const transferGroup = optionalString(params, 'transfer_group');
  const destination = optionalString(params, 'destination');
  const createdMatches = createdFilter(params);
  // Insertion order is creation order (`created` is in seconds, so it ties within a second).
  const newestFirst = [...context.state.transfers.values()]
    .reverse()
    .filter(
      (transfer) =>
        createdMatches(transfer.created) &&
        (transferGroup === undefined || transfer.transferGroup === transferGroup) &&
        (destination === undefined || transfer.destination === destination),
    );
  return listAnswer(context, params, newestFirst, {
    objectName: 'transfer',
    url: '/v1/transfers',
    render: (transfer) => renderTransfer(transfer, context.state),
  });
}

export function createTransferReversal(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, ['amount', 'description', 'expand', 'metadata', 'refund_application_fee']);
  const requested = optionalInteger(params, 'amount', { min: 1 });
  const metadata = metadataParam(params);
  const transfer = findTransfer(context, id);
  const remaining = transfer.amount - transfer.amountReversed;
  if (remaining <= 0) throw refused(`The transfer ${transfer.id} is already fully reversed.`);
  const amount = requested ?? remaining;
  if (amount > remaining) {
    throw refused(
      `Reversal amount (${formatAmount(amount, transfer.currency)}) is greater than the amount that can be reversed ` +
        `on this transfer (${formatAmount(remaining, transfer.currency)}).`,
      { param: 'amount' },
    );
  }
  const reversal: TransferReversalRecord = {
    id: newId('trr'),
    created: context.nowSeconds,
    amount,
    currency: transfer.currency,
    transfer: transfer.id,
    destinationPaymentRefund: newId('pyr'),
    balanceTransaction: '',
    metadata,
  };
  reversal.balanceTransaction = recordBalanceTransaction(context, {
    type: 'transfer_refund',
    amount,
    currency: transfer.currency,
    source: reversal.id,
  }).id;
  context.state.transferReversals.set(reversal.id, reversal);
  const previous = { amount_reversed: transfer.amountReversed, reversed: false };
  transfer.amountReversed += amount;
  transfer.reversalIds.push(reversal.id);
  context.emit('transfer.reversed', renderTransfer(transfer, context.state), previous);
  return ok(expand(renderTransferReversal(reversal), expandParam(params), context.state, context.nowSeconds));
}
