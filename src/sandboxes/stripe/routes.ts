import type { Handler } from './context';
import { listBalanceTransactions, retrieveBalanceTransaction } from './ledger';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  retrieveCharge,
  retrievePaymentIntent,
} from './payment-intents';
import { createRefund, listRefunds, retrieveRefund } from './refunds';
import { searchPaymentIntents } from './search';
import { createTransfer, createTransferReversal, listTransfers, retrieveTransfer } from './transfers';

/** The part of Stripe's API the sandbox implements: what Borderline's adapter calls. */
export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: Handler;
}

const ID = '([A-Za-z0-9_]+)';

export const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/v1\/payment_intents$/, handler: createPaymentIntent },
  // Before the retrieve route, whose id pattern `search` would match.
  { method: 'GET', pattern: /^\/v1\/payment_intents\/search$/, handler: searchPaymentIntents },
  { method: 'GET', pattern: new RegExp(`^/v1/payment_intents/${ID}$`), handler: retrievePaymentIntent },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/payment_intents/${ID}/confirm$`),
    handler: confirmPaymentIntent,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/payment_intents/${ID}/capture$`),
    handler: capturePaymentIntent,
  },
  { method: 'POST', pattern: new RegExp(`^/v1/payment_intents/${ID}/cancel$`), handler: cancelPaymentIntent },
  { method: 'GET', pattern: new RegExp(`^/v1/charges/${ID}$`), handler: retrieveCharge },
  { method: 'POST', pattern: /^\/v1\/refunds$/, handler: createRefund },
  { method: 'GET', pattern: /^\/v1\/refunds$/, handler: listRefunds },
  { method: 'GET', pattern: new RegExp(`^/v1/refunds/${ID}$`), handler: retrieveRefund },
  { method: 'POST', pattern: /^\/v1\/transfers$/, handler: createTransfer },
  { method: 'GET', pattern: /^\/v1\/transfers$/, handler: listTransfers },
  { method: 'GET', pattern: new RegExp(`^/v1/transfers/${ID}$`), handler: retrieveTransfer },
  { method: 'POST', pattern: new RegExp(`^/v1/transfers/${ID}/reversals$`), handler: createTransferReversal },
  {
    method: 'GET',
    pattern: /^\/v1\/balance_transactions$/,
    handler: (context, params) => listBalanceTransactions(context, params),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/balance_transactions/${ID}$`),
    handler: retrieveBalanceTransaction,
  },
];

export function findRoute(method: string, path: string): { route: Route; pathParams: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, pathParams: match.slice(1).map((part) => part ?? '') };
  }
  return undefined;
}

/** Stripe answers 404 for a path it does not know (and for a known path with another method). */
export function knownPath(path: string): boolean {
  return ROUTES.some((route) => route.pattern.test(path));
}
