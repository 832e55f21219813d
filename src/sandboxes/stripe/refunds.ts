import type { ApiResult, RequestContext } from './context';
import { ok } from './context';
import { invalidRequest, notFound, refused } from './errors';
import type { ParamObject } from './form';
import {
  expandParam,
  metadataParam,
  optionalEnum,
  optionalInteger,
  optionalString,
  rejectUnknown,
} from './form';
import { newId } from './ids';
import { createdFilter, recordBalanceTransaction } from './ledger';
import { listAnswer } from './list';
import { expand, renderCharge, renderRefund } from './render';
import type { ChargeRecord, RefundRecord } from './state';

/**
 * Refunds of captured card payments: partial, several per charge, up to what was captured less
 * what was already refunded. Card refunds succeed at once. Refusals follow Stripe's test mode:
 * more than is left → 400 on param `amount` without a code; a fully refunded charge → 400
 * `charge_already_refunded`; an authorisation not captured → 400 without code or param, telling
 * the caller to cancel the PaymentIntent instead.
 */
const SYMBOLS: Record<string, string> = { usd: '$', eur: '€', gbp: '£', jpy: '¥' };
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** `1234 eur` → `€12.34`, as Stripe writes amounts in messages. */
export function formatAmount(amount: number, currency: string): string {
  const decimals = ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2;
  const major = (amount / 10 ** decimals).toFixed(decimals);
  const symbol = SYMBOLS[currency];
  return symbol ? `${symbol}${major}` : `${major} ${currency.toUpperCase()}`;
}

function chargeToRefund(context: RequestContext, params: ParamObject): ChargeRecord {
  const paymentIntentId = optionalString(params, 'payment_intent');
  const chargeId = optionalString(params, 'charge');
  if (!paymentIntentId && !chargeId) {
    throw invalidRequest(
      'One of the following params should be provided for this request: payment_intent or charge.',
      {
        code: 'parameter_missing',
      },
    );
  }
  if (chargeId) {
    const charge = context.state.charges.get(chargeId);
    if (!charge) throw notFound('charge', chargeId, 'charge');
    return charge;
  }
  const intent = context.state.paymentIntents.get(paymentIntentId ?? '');
  if (!intent) throw notFound('payment_intent', paymentIntentId ?? '', 'payment_intent');
  const charge = intent.latestCharge ? context.state.charges.get(intent.latestCharge) : undefined;
  if (intent.status === 'requires_capture' || (charge && charge.status === 'succeeded' && !charge.captured)) {
    throw refused(
      `This PaymentIntent (${intent.id}) has not been captured, so there is nothing to refund. ` +
        'Cancel the PaymentIntent instead to release the authorization.',
    );
  }
  if (!charge || charge.status !== 'succeeded') {
    throw refused(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`);
  }
  return charge;
}

export function createRefund(context: RequestContext, params: ParamObject): ApiResult {
  rejectUnknown(params, [
    'amount',
    'charge',
    'currency',
    'customer',
    'expand',
    'instructions_email',
    'metadata',
    'origin',
    'payment_intent',
    'reason',
    'refund_application_fee',
    'reverse_transfer',
  ]);
  const requested = optionalInteger(params, 'amount', { min: 1 });
  const reason = optionalEnum(params, 'reason', [
    'duplicate',
    'fraudulent',
    'requested_by_customer',
  ] as const);
  const metadata = metadataParam(params);
  const charge = chargeToRefund(context, params);
  if (!charge.captured) {
    throw refused(`Charge ${charge.id} has not been captured, so there is nothing to refund.`);
  }
  const remaining = charge.amountCaptured - charge.amountRefunded;
  if (remaining <= 0) {
    throw refused(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const amount = requested ?? remaining;
  if (amount > remaining) {
    throw refused(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge ` +
        `(${formatAmount(remaining, charge.currency)})`,
      { param: 'amount' },
    );
  }
  const refund: RefundRecord = {
    id: newId('re'),
    created: context.nowSeconds,
    amount,
    currency: charge.currency,
    charge: charge.id,
    paymentIntent: charge.paymentIntent,
    reason: reason ?? null,
    status: 'succeeded',
    balanceTransaction: '',
    metadata,
  };
  refund.balanceTransaction = recordBalanceTransaction(context, {
    type: 'refund',
    amount: -amount,
    currency: charge.currency,
    source: refund.id,
    description: 'REFUND FOR CHARGE',
  }).id;
  context.state.refunds.set(refund.id, refund);
  const previous = { amount_refunded: charge.amountRefunded };
  charge.amountRefunded += amount;
  charge.refundIds.push(refund.id);
  context.emit('charge.refunded', renderCharge(charge), previous);
  return ok(expand(renderRefund(refund), expandParam(params), context.state, context.nowSeconds));
}

export function retrieveRefund(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, ['expand']);
  const refund = id ? context.state.refunds.get(id) : undefined;
  if (!refund || !id) throw notFound('refund', id ?? '', 'refund');
  return ok(expand(renderRefund(refund), expandParam(params), context.state, context.nowSeconds));
}

/**
 * `GET /v1/refunds` (docs.stripe.com/api/refunds/list): the refunds, newest first, filtered by
 * `payment_intent`, `charge` and `created`, paged with `limit`, `starting_after` and
 * `ending_before`; answers Stripe's list object.
 */
export function listRefunds(context: RequestContext, params: ParamObject): ApiResult {
  rejectUnknown(params, [
    'charge',
    'created',
    'ending_before',
    'expand',
    'limit',
    'payment_intent',
    'starting_after',
  ]);
  const paymentIntent = optionalString(params, 'payment_intent');
  const charge = optionalString(params, 'charge');
  const createdMatches = createdFilter(params);
  // Insertion order is creation order.
  const newestFirst = [...context.state.refunds.values()]
    .reverse()
    .filter(
      (refund) =>
        createdMatches(refund.created) &&
        (paymentIntent === undefined || refund.paymentIntent === paymentIntent) &&
        (charge === undefined || refund.charge === charge),
    );
  return listAnswer(context, params, newestFirst, {
    objectName: 'refund',
    url: '/v1/refunds',
    render: renderRefund,
  });
}
