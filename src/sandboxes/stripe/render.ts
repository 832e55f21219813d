import type {
  BalanceTransactionRecord,
  ChargeRecord,
  PaymentIntentRecord,
  RefundRecord,
  StripeState,
  TransferRecord,
  TransferReversalRecord,
} from './state';

/** Records → the JSON objects Stripe returns (the fields stripe-node's types describe). */
export type Json = Record<string, unknown>;

export function renderPaymentIntent(intent: PaymentIntentRecord): Json {
  return {
    id: intent.id,
    object: 'payment_intent',
    amount: intent.amount,
    amount_capturable: intent.amountCapturable,
    amount_details: { tip: {} },
    amount_received: intent.amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: intent.automaticPaymentMethods,
    canceled_at: intent.canceledAt,
    cancellation_reason: intent.cancellationReason,
    capture_method: intent.captureMethod,
    client_secret: intent.clientSecret,
    confirmation_method: 'automatic',
    created: intent.created,
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description,
    last_payment_error: intent.lastPaymentError
      ? {
          type: intent.lastPaymentError.type,
          code: intent.lastPaymentError.code,
          decline_code: intent.lastPaymentError.decline_code,
          message: intent.lastPaymentError.message,
          ...(intent.lastPaymentError.advice_code
            ? { advice_code: intent.lastPaymentError.advice_code }
            : {}),
          ...(intent.lastPaymentError.param ? { param: intent.lastPaymentError.param } : {}),
          charge: intent.lastPaymentError.charge,
          doc_url: `https://stripe.com/docs/error-codes/${intent.lastPaymentError.code.replace(/_/g, '-')}`,
          payment_method: {
            id: intent.lastPaymentError.payment_method_id,
            object: 'payment_method',
            type: 'card',
          },
        }
      : null,
    latest_charge: intent.latestCharge,
    livemode: false,
    metadata: { ...intent.metadata },
    next_action:
      intent.status === 'requires_action'
        ? { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } }
        : null,
    on_behalf_of: null,
    payment_method: intent.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: [...intent.paymentMethodTypes],
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: intent.status,
    transfer_data: null,
    transfer_group: intent.transferGroup,
  };
}

export function renderCharge(charge: ChargeRecord): Json {
  const declined = charge.status === 'failed';
  return {
    id: charge.id,
    object: 'charge',
    amount: charge.amount,
    amount_captured: charge.amountCaptured,
    amount_refunded: charge.amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: charge.balanceTransaction,
    billing_details: { address: null, email: null, name: null, phone: null },
    calculated_statement_descriptor: 'BORDERLINE',
    captured: charge.captured,
    created: charge.created,
    currency: charge.currency,
    customer: null,
    description: charge.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    fraud_details: {},
    livemode: false,
    metadata: { ...charge.metadata },
    on_behalf_of: null,
    outcome: {
      network_status: declined ? 'declined_by_network' : 'approved_by_network',
      reason: charge.declineCode,
      risk_level: 'normal',
      seller_message: declined
        ? 'The bank did not return any further details with this decline.'
        : 'Payment complete.',
      type: declined ? 'issuer_declined' : 'authorized',
    },
    paid: charge.status === 'succeeded',
    payment_intent: charge.paymentIntent,
    payment_method: charge.paymentMethod,
    payment_method_details: {
      card: {
        brand: charge.card.brand,
        ...(charge.captureBefore !== null ? { capture_before: charge.captureBefore } : {}),
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: charge.card.country,
        exp_month: 12,
        exp_year: new Date(charge.created * 1000).getUTCFullYear() + 3,
        funding: charge.card.funding,
        last4: charge.card.last4,
        network: charge.card.brand,
      },
      type: 'card',
    },
    receipt_email: null,
    receipt_url: null,
    refunded: charge.amountCaptured > 0 && charge.amountRefunded === charge.amountCaptured,
    review: null,
    shipping: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: charge.status,
    transfer_data: null,
    transfer_group: charge.transferGroup,
  };
}

export function renderRefund(refund: RefundRecord): Json {
  return {
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    balance_transaction: refund.balanceTransaction,
    charge: refund.charge,
    created: refund.created,
    currency: refund.currency,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: { ...refund.metadata },
    payment_intent: refund.paymentIntent,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
}

export function renderTransferReversal(reversal: TransferReversalRecord): Json {
  return {
    id: reversal.id,
    object: 'transfer_reversal',
    amount: reversal.amount,
    balance_transaction: reversal.balanceTransaction,
    created: reversal.created,
    currency: reversal.currency,
    destination_payment_refund: reversal.destinationPaymentRefund,
    metadata: { ...reversal.metadata },
    source_refund: null,
    transfer: reversal.transfer,
  };
}

export function renderTransfer(transfer: TransferRecord, state: StripeState): Json {
  const reversals = transfer.reversalIds
    .map((id) => state.transferReversals.get(id))
    .filter((reversal): reversal is TransferReversalRecord => reversal !== undefined)
    .reverse()
    .map(renderTransferReversal);
  return {
    id: transfer.id,
    object: 'transfer',
    amount: transfer.amount,
    amount_reversed: transfer.amountReversed,
    balance_transaction: transfer.balanceTransaction,
    created: transfer.created,
    currency: transfer.currency,
    description: transfer.description,
    destination: transfer.destination,
    destination_payment: transfer.destinationPayment,
    livemode: false,
    metadata: { ...transfer.metadata },
    reversals: {
      object: 'list',
      data: reversals,
      has_more: false,
      total_count: reversals.length,
      url: `/v1/transfers/${transfer.id}/reversals`,
    },
    reversed: transfer.amountReversed === transfer.amount,
    source_transaction: transfer.sourceTransaction,
    source_type: 'card',
    transfer_group: transfer.transferGroup,
  };
}

export function renderBalanceTransaction(transaction: BalanceTransactionRecord, nowSeconds: number): Json {
  return {
    id: transaction.id,
    object: 'balance_transaction',
    amount: transaction.amount,
    available_on: transaction.availableOn,
    balance_type: 'payments',
    created: transaction.created,
    currency: transaction.currency,
    description: transaction.description,
    exchange_rate: null,
    fee: transaction.fee,
    fee_details:
      transaction.fee === 0
        ? []
        : [
            {
              amount: transaction.fee,
              application: null,
              currency: transaction.currency,
              description: 'Stripe processing fees',
              type: 'stripe_fee',
            },
          ],
    net: transaction.amount - transaction.fee,
    reporting_category: transaction.reportingCategory,
    source: transaction.source,
    status: nowSeconds >= transaction.availableOn ? 'available' : 'pending',
    type: transaction.type,
  };
}

/** Any object by id, rendered; used by `expand`. */
export function renderById(state: StripeState, id: string, nowSeconds: number): Json | undefined {
  const prefix = id.slice(0, id.indexOf('_'));
  switch (prefix) {
    case 'pi': {
      const record = state.paymentIntents.get(id);
      return record && renderPaymentIntent(record);
    }
    case 'ch': {
      const record = state.charges.get(id);
      return record && renderCharge(record);
    }
    case 're': {
      const record = state.refunds.get(id);
      return record && renderRefund(record);
    }
    case 'tr': {
      const record = state.transfers.get(id);
      return record && renderTransfer(record, state);
    }
    case 'trr': {
      const record = state.transferReversals.get(id);
      return record && renderTransferReversal(record);
    }
    case 'txn': {
      const record = state.balanceTransaction(id);
      return record && renderBalanceTransaction(record, nowSeconds);
    }
    default:
      return undefined;
  }
}

/**
 * Stripe's `expand[]`: replaces ids by the objects they name, following dotted paths
 * (`latest_charge.balance_transaction`) and `data.` for lists and search results.
 */
export function expand(object: Json, paths: readonly string[], state: StripeState, nowSeconds: number): Json {
  for (const path of paths) expandPath(object, path.split('.'), state, nowSeconds);
  return object;
}

function expandPath(object: Json, segments: string[], state: StripeState, nowSeconds: number): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  if (
    head === 'data' &&
    (object.object === 'list' || object.object === 'search_result') &&
    Array.isArray(object.data)
  ) {
    for (const item of object.data as Json[]) expandPath(item, rest, state, nowSeconds);
    return;
  }
  let value = object[head];
  if (typeof value === 'string') {
    const rendered = renderById(state, value, nowSeconds);
    if (rendered) {
      object[head] = rendered;
      value = rendered;
    }
  }
  if (rest.length > 0 && value && typeof value === 'object' && !Array.isArray(value)) {
    expandPath(value as Json, rest, state, nowSeconds);
  }
}
