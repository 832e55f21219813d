import type { ApiResult, RequestContext } from './context';
import { ok } from './context';
import { cardError, invalidRequest, notFound, refused } from './errors';
import type { ParamObject } from './form';
import {
  currencyParam,
  expandParam,
  metadataParam,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalString,
  rejectUnknown,
  requiredInteger,
} from './form';
import { newId, newSecret } from './ids';
import { cardFee, recordBalanceTransaction } from './ledger';
import type { Json } from './render';
import { expand, renderCharge, renderPaymentIntent } from './render';
import type { ChargeRecord, PaymentIntentRecord, PaymentIntentStatus, StripeState } from './state';
import { findTestCard, type TestCard } from './test-payment-methods';

/**
 * PaymentIntents: create (optionally confirming), confirm, capture (all or `amount_to_capture`),
 * cancel, retrieve; and the lapse of uncaptured card authorisations.
 *
 * Behaviour follows Stripe's API reference and its 2025-03-31.basil changes (which this API
 * version includes): a partial capture releases the rest without creating a Refund and records one
 * balance transaction for the captured amount; cancelling or expiry leaves the charge's
 * `amount_refunded` untouched; an expired authorisation is cancelled with reason `expired`.
 */
const CANCELABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const CONFIRMABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];
/** Stripe's limit for `amount`: up to 8 digits in the API reference. */
const MAX_AMOUNT = 99_999_999;

type Emit = (type: string, object: Json, previousAttributes?: Json) => void;

function findIntent(context: RequestContext, id: string | undefined): PaymentIntentRecord {
  const intent = id ? context.state.paymentIntents.get(id) : undefined;
  if (!intent || !id) throw notFound('payment_intent', id ?? '', 'intent');
  return intent;
}

function respond(context: RequestContext, intent: PaymentIntentRecord, params: ParamObject): ApiResult {
  return ok(expand(renderPaymentIntent(intent), expandParam(params), context.state, context.nowSeconds));
}

function paymentMethodParam(params: ParamObject): { id: string; card: TestCard } | undefined {
  const id = optionalString(params, 'payment_method');
  if (id === undefined) return undefined;
  const card = findTestCard(id);
  if (!card)
    throw invalidRequest(`No such PaymentMethod: '${id}'`, {
      code: 'resource_missing',
      param: 'payment_method',
    });
  return { id, card };
}

function newCharge(
  context: RequestContext,
  intent: PaymentIntentRecord,
  paymentMethod: string,
  card: TestCard,
): ChargeRecord {
  const charge: ChargeRecord = {
    id: newId('ch'),
    created: context.nowSeconds,
    amount: intent.amount,
    amountCaptured: 0,
    amountRefunded: 0,
    captured: false,
    currency: intent.currency,
    paymentIntent: intent.id,
    paymentMethod,
    card,
    status: 'succeeded',
    failureCode: null,
    failureMessage: null,
    declineCode: null,
    balanceTransaction: null,
    captureBefore: null,
    metadata: { ...intent.metadata },
    description: intent.description,
    transferGroup: intent.transferGroup,
    refundIds: [],
  };
  context.state.charges.set(charge.id, charge);
  intent.latestCharge = charge.id;
  return charge;
}

/** Moves `amount` of an authorised charge into the balance and marks the intent succeeded. */
function captureCharge(
  context: RequestContext,
  intent: PaymentIntentRecord,
  charge: ChargeRecord,
  amount: number,
): void {
  const transaction = recordBalanceTransaction(context, {
    type: 'charge',
    amount,
    fee: cardFee(amount, context.settings.fee),
    currency: charge.currency,
    source: charge.id,
    description: intent.description,
    availableAfterMs: context.settings.availabilityDelayMs,
  });
  charge.captured = true;
  charge.amountCaptured = amount;
  charge.balanceTransaction = transaction.id;
  intent.amountReceived = amount;
  intent.amountCapturable = 0;
  intent.status = 'succeeded';
}

/** Confirms with a test card: authorises, declines (402) or asks for authentication. */
function confirm(
  context: RequestContext,
  intent: PaymentIntentRecord,
  paymentMethod: { id: string; card: TestCard },
): void {
  const { card } = paymentMethod;
  intent.paymentMethod = paymentMethod.id;
  intent.lastPaymentError = null;
  if (card.outcome.kind === 'requires_action') {
    intent.status = 'requires_action';
    return;
  }
  const charge = newCharge(context, intent, paymentMethod.id, card);
  if (card.outcome.kind === 'decline') {
    const outcome = card.outcome;
    charge.status = 'failed';
    charge.failureCode = outcome.code;
    charge.failureMessage = outcome.message;
    charge.declineCode = outcome.declineCode;
    intent.status = 'requires_payment_method';
    intent.paymentMethod = null;
    intent.lastPaymentError = {
      type: 'card_error',
      code: outcome.code,
      decline_code: outcome.declineCode,
      message: outcome.message,
      ...(outcome.adviceCode ? { advice_code: outcome.adviceCode } : {}),
      ...(outcome.param ? { param: outcome.param } : {}),
      charge: charge.id,
      payment_method_id: paymentMethod.id,
    };
    const rendered = renderPaymentIntent(intent);
    context.emit('payment_intent.payment_failed', rendered);
    throw cardError(outcome.message, {
      code: outcome.code,
      declineCode: outcome.declineCode,
      ...(outcome.adviceCode ? { adviceCode: outcome.adviceCode } : {}),
      ...(outcome.param ? { param: outcome.param } : {}),
      chargeId: charge.id,
      paymentIntent: rendered,
    });
  }
  if (intent.captureMethod === 'manual') {
    charge.captureBefore = Math.floor((context.nowMs + context.settings.authorizationValidityMs) / 1000);
    intent.status = 'requires_capture';
    intent.amountCapturable = intent.amount;
    context.emit('payment_intent.amount_capturable_updated', renderPaymentIntent(intent), {
      amount_capturable: 0,
    });
  } else {
    captureCharge(context, intent, charge, intent.amount);
    context.emit('payment_intent.succeeded', renderPaymentIntent(intent), {
      status: 'requires_confirmation',
    });
  }
}

export function createPaymentIntent(context: RequestContext, params: ParamObject): ApiResult {
  rejectUnknown(params, [
    'amount',
    'currency',
    'allowed_payment_method_types',
    'automatic_payment_methods',
    'capture_method',
    'confirm',
    'customer',
    'description',
    'error_on_requires_action',
    'expand',
    'metadata',
    'off_session',
    'payment_method',
    'payment_method_types',
    'receipt_email',
    'return_url',
    'statement_descriptor',
    'statement_descriptor_suffix',
    'transfer_group',
  ]);
  const amount = requiredInteger(params, 'amount', { min: 1 });
  if (amount > MAX_AMOUNT) {
    throw invalidRequest('Amount must be no more than 99,999,999 in the smallest currency unit.', {
      code: 'amount_too_large',
      param: 'amount',
    });
  }
  const currency = currencyParam(params);
  const captureMethod = optionalEnum(params, 'capture_method', [
    'automatic',
    'automatic_async',
    'manual',
  ] as const);
  const shouldConfirm = optionalBoolean(params, 'confirm') ?? false;
  const paymentMethod = paymentMethodParam(params);
  if (shouldConfirm && !paymentMethod) {
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. " +
        'Update the PaymentIntent with a payment method and then confirm it again.',
      { code: 'payment_intent_unexpected_state', param: 'payment_method' },
    );
  }
  const automatic = params.automatic_payment_methods;
  const types = params.payment_method_types ?? params.allowed_payment_method_types;

  const intent: PaymentIntentRecord = {
    id: newId('pi'),
    created: context.nowSeconds,
    amount,
    currency,
    captureMethod: captureMethod ?? 'automatic_async',
    status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
    amountCapturable: 0,
    amountReceived: 0,
    paymentMethod: paymentMethod?.id ?? null,
    latestCharge: null,
    canceledAt: null,
    cancellationReason: null,
    lastPaymentError: null,
    metadata: metadataParam(params),
    description: optionalString(params, 'description') ?? null,
    transferGroup: optionalString(params, 'transfer_group') ?? null,
    clientSecret: '',
    paymentMethodTypes: Array.isArray(types)
      ? types.filter((type): type is string => typeof type === 'string')
      : ['card'],
    automaticPaymentMethods:
      automatic && typeof automatic === 'object' && !Array.isArray(automatic)
        ? {
            enabled: automatic.enabled === 'true',
            ...(typeof automatic.allow_redirects === 'string'
              ? { allow_redirects: automatic.allow_redirects }
              : {}),
          }
        : null,
    customer: optionalString(params, 'customer') ?? null,
  };
  intent.clientSecret = `${intent.id}_${newSecret('secret')}`;
  context.state.paymentIntents.set(intent.id, intent);
  if (shouldConfirm && paymentMethod) confirm(context, intent, paymentMethod);
  return respond(context, intent, params);
}

export function confirmPaymentIntent(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, [
    'error_on_requires_action',
    'expand',
    'off_session',
    'payment_method',
    'return_url',
  ]);
  const intent = findIntent(context, id);
  const paymentMethodParamValue = paymentMethodParam(params);
  if (!CONFIRMABLE.includes(intent.status)) {
    throw refused(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const chosen =
    paymentMethodParamValue ??
    (intent.paymentMethod
      ? { id: intent.paymentMethod, card: findTestCard(intent.paymentMethod) }
      : undefined);
  if (!chosen || !chosen.card) {
    throw refused(
      "You cannot confirm this PaymentIntent because it's missing a payment method. " +
        'Update the PaymentIntent with a payment method and then confirm it again.',
      { code: 'payment_intent_unexpected_state' },
    );
  }
  confirm(context, intent, { id: chosen.id, card: chosen.card });
  return respond(context, intent, params);
}

export function capturePaymentIntent(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, [
    'amount_to_capture',
    'application_fee_amount',
    'expand',
    'final_capture',
    'metadata',
    'statement_descriptor',
    'statement_descriptor_suffix',
  ]);
  const intent = findIntent(context, id);
  const amountToCapture = optionalInteger(params, 'amount_to_capture', { min: 1 });
  const metadata = metadataParam(params);
  if (intent.status !== 'requires_capture') {
    throw refused(
      `This PaymentIntent could not be captured because it has a status of ${intent.status}. ` +
        'Only a PaymentIntent with one of the following statuses may be captured: requires_capture.',
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const charge = intent.latestCharge ? context.state.charges.get(intent.latestCharge) : undefined;
  if (!charge) throw new Error(`sandbox invariant: ${intent.id} requires capture but has no charge`);
  const amount = amountToCapture ?? intent.amountCapturable;
  if (amount > intent.amountCapturable) {
    throw refused(
      'The payment could not be captured because the requested capture amount is greater than the amount you can ' +
        'capture for this charge.',
      { code: 'amount_too_large', param: 'amount_to_capture' },
    );
  }
  const previous = { status: intent.status, amount_capturable: intent.amountCapturable, amount_received: 0 };
  Object.assign(intent.metadata, metadata);
  captureCharge(context, intent, charge, amount);
  context.emit('payment_intent.succeeded', renderPaymentIntent(intent), previous);
  return respond(context, intent, params);
}

export function cancelPaymentIntent(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, ['cancellation_reason', 'expand']);
  const intent = findIntent(context, id);
  const reason = optionalEnum(params, 'cancellation_reason', [
    'abandoned',
    'duplicate',
    'fraudulent',
    'requested_by_customer',
  ] as const);
  if (!CANCELABLE.includes(intent.status)) {
    throw refused(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const previous = { status: intent.status, amount_capturable: intent.amountCapturable };
  intent.status = 'canceled';
  intent.canceledAt = context.nowSeconds;
  intent.cancellationReason = reason ?? null;
  intent.amountCapturable = 0;
  context.emit('payment_intent.canceled', renderPaymentIntent(intent), previous);
  return respond(context, intent, params);
}

export function retrievePaymentIntent(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, ['client_secret', 'expand']);
  return respond(context, findIntent(context, id), params);
}

export function retrieveCharge(
  context: RequestContext,
  params: ParamObject,
  [id]: readonly string[],
): ApiResult {
  rejectUnknown(params, ['expand']);
  const charge = id ? context.state.charges.get(id) : undefined;
  if (!charge || !id) throw notFound('charge', id ?? '', 'charge');
  return ok(expand(renderCharge(charge), expandParam(params), context.state, context.nowSeconds));
}

/**
 * Cancels every authorisation whose `capture_before` has passed, as Stripe does when an
 * uncaptured card payment lapses (reason `expired`; events `payment_intent.canceled` and
 * `charge.expired`). Returns the ids of the PaymentIntents it cancelled.
 */
export function expireAuthorizations(state: StripeState, nowMs: number, emit: Emit): string[] {
  const nowSeconds = Math.floor(nowMs / 1000);
  const expired: string[] = [];
  for (const intent of state.paymentIntents.values()) {
    if (intent.status !== 'requires_capture' || !intent.latestCharge) continue;
    const charge = state.charges.get(intent.latestCharge);
    if (!charge || charge.captureBefore === null || charge.captureBefore > nowSeconds) continue;
    const previous = { status: intent.status, amount_capturable: intent.amountCapturable };
    intent.status = 'canceled';
    intent.canceledAt = nowSeconds;
    intent.cancellationReason = 'expired';
    intent.amountCapturable = 0;
    emit('payment_intent.canceled', renderPaymentIntent(intent), previous);
    emit('charge.expired', renderCharge(charge));
    expired.push(intent.id);
  }
  return expired;
}
