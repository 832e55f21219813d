import { systemClock, type SandboxClock } from '../shared/clock';
import { listenKeepingState, type SnapshotFileOptions } from '../shared/snapshot';
import type { SandboxSettings } from './context';
import type { FaultPlan } from './faults';
import { newSecret } from './ids';
import { StripeSandboxServer, type RequestLogEntry } from './server';
import type { StripeState } from './state';
import { WebhookDispatcher } from './webhooks';

export type { FaultKind, FaultSpec } from './faults';
export { ManualClock, systemClock, type SandboxClock } from '../shared/clock';
export type { RequestLogEntry } from './server';
export type { DeliveryAttempt } from './webhooks';
export { signPayload } from './webhooks';
export { TEST_CARDS } from './test-payment-methods';

/**
 * A local stand-in for Stripe's API with state: PaymentIntents (manual capture, partial capture,
 * cancel, authorisation expiry), refunds, transfers to connected accounts and their reversals,
 * balance transactions, Stripe-style idempotency and errors, signed webhooks, and faults a test
 * can switch on. Point the official `stripe` package at it with `{ host, port, protocol: 'http' }`.
 */
export interface StripeSandboxOptions extends SnapshotFileOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** Where to POST events; can also be set later with `sandbox.webhooks.configure({ url })`. */
  webhookUrl?: string;
  /** Endpoint secret (`whsec_…`); a random one by default. */
  webhookSecret?: string;
  /** Default: the system clock. Pass a `ManualClock` to move time (authorisation expiry). */
  clock?: SandboxClock;
  /** Secret keys accepted; default any `sk_test_…` / `rk_test_…` key. */
  apiKeys?: string[];
  /** Default 7 days. */
  authorizationValidityMs?: number;
  /** Default 2.9 % + 30. */
  fee?: { percentBps: number; fixed: number };
  /** Default 2 days. */
  availabilityDelayMs?: number;
  /** Connected accounts that exist; default any `acct_…` id. */
  connectedAccounts?: string[];
  /** Default [1 s, 5 s, 30 s, 2 min]. */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  /** How often lapsed authorisations are cancelled without waiting for a request; 0 turns it off. */
  expirySweepIntervalMs?: number;
  defaultApiVersion?: string;
}

export interface StripeSandbox {
  /** `http://host:port` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** A secret key the sandbox accepts. */
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly clock: SandboxClock;
  readonly state: StripeState;
  readonly faults: FaultPlan;
  readonly webhooks: WebhookDispatcher;
  readonly requests: readonly RequestLogEntry[];
  /** Cancels lapsed authorisations now; returns the PaymentIntent ids. */
  expireAuthorizations(): string[];
  /** Forgets every object, idempotency key, fault and logged request. */
  reset(): void;
  close(): Promise<void>;
}

const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]+$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function startStripeSandbox(options: StripeSandboxOptions = {}): Promise<StripeSandbox> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const settings: SandboxSettings = {
    authorizationValidityMs: options.authorizationValidityMs ?? 7 * DAY_MS,
    fee: options.fee ?? { percentBps: 290, fixed: 30 },
    availabilityDelayMs: options.availabilityDelayMs ?? 2 * DAY_MS,
    connectedAccounts: options.connectedAccounts ? new Set(options.connectedAccounts) : null,
    defaultApiVersion: options.defaultApiVersion ?? '2026-10-28.endive',
  };
  const webhooks = new WebhookDispatcher({
    url: options.webhookUrl ?? null,
    secret: options.webhookSecret ?? newSecret('whsec'),
    retryDelaysMs: options.webhookRetryDelaysMs ?? [1_000, 5_000, 30_000, 120_000],
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
  });
  const apiKeys = options.apiKeys;
  const acceptsKey = apiKeys ? (key: string) => apiKeys.includes(key) : (key: string) => TEST_KEY.test(key);
  const sandbox = new StripeSandboxServer(clock, settings, webhooks, acceptsKey);
  const { port, close } = await listenKeepingState(
    sandbox.server,
    { port: options.port ?? 0, host },
    sandbox.snapshotParts(),
    options,
  );

  const sweepEvery = options.expirySweepIntervalMs ?? 1_000;
  const sweep = sweepEvery > 0 ? setInterval(() => sandbox.expireAuthorizations(), sweepEvery) : null;
  sweep?.unref();

  return {
    url: `http://${host}:${port}`,
    host,
    port,
    secretKey: apiKeys?.[0] ?? 'sk_test_borderline_sandbox',
    get webhookSecret() {
      return webhooks.secret;
    },
    clock,
    state: sandbox.state,
    faults: sandbox.faults,
    webhooks,
    requests: sandbox.requests,
    expireAuthorizations: () => sandbox.expireAuthorizations(),
    reset: () => sandbox.reset(),
    close: async () => {
      if (sweep) clearInterval(sweep);
      webhooks.close();
      await close();
    },
  };
}
