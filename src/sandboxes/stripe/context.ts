import type { ParamObject } from './form';
import type { Json } from './render';
import type { StripeState } from './state';

/** How the simulated account behaves; every part can be set from `startStripeSandbox`. */
export interface SandboxSettings {
  /** How long a card authorisation can be captured (Stripe: 7 days for online card payments). */
  authorizationValidityMs: number;
  /** Stripe's fee on a captured card charge: `amount × percentBps / 10 000 + fixed`. */
  fee: { percentBps: number; fixed: number };
  /** Delay before a charge's funds become available (balance transaction `available_on`). */
  availabilityDelayMs: number;
  /** Connected accounts transfers may go to; `null` accepts any well-formed `acct_…` id. */
  connectedAccounts: ReadonlySet<string> | null;
  /** `Stripe-Version` used when a request sends none. */
  defaultApiVersion: string;
}

export interface RequestContext {
  state: StripeState;
  settings: SandboxSettings;
  nowMs: number;
  nowSeconds: number;
  requestId: string;
  idempotencyKey: string | null;
  apiVersion: string;
  /** Records an event; webhooks deliver it after the response is committed. */
  emit(type: string, object: Json, previousAttributes?: Json): void;
}

export interface ApiResult {
  status: number;
  body: Json;
}

export type Handler = (
  context: RequestContext,
  params: ParamObject,
  pathParams: readonly string[],
) => ApiResult;

export function ok(body: Json): ApiResult {
  return { status: 200, body };
}
