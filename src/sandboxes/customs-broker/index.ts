import type { Declaration } from '../../domain/customs/port';
import { systemClock, type SandboxClock } from '../shared/clock';
import { listenKeepingState, type SnapshotFileOptions } from '../shared/snapshot';
import { JsonApiServer, type RequestLogEntry } from '../shared/json-api';
import type { FaultPlan } from '../stripe/faults';
import { handleCustomsAdmin } from './admin';
import { SeededIds } from '../shared/seeded-ids';
import { customsRoutes } from './routes';
import {
  CustomsBrokerState,
  OutcomeControls,
  type DecidedStatus,
  type ForcedOutcome,
  type ProcessingDelay,
} from './state';

export type { FaultKind, FaultSpec } from '../stripe/faults';
export { ManualClock, systemClock, type SandboxClock } from '../shared/clock';
export type { RequestLogEntry } from '../shared/json-api';
export type { DecidedStatus, ForcedOutcome, ForcedStatus, ProcessingDelay } from './state';

/** The key `npm run dev` and the tests use unless told otherwise (CUSTOMS_BROKER_API_KEY's default). */
export const DEFAULT_CUSTOMS_API_KEY = 'cb_test_borderline_sandbox';

/**
 * A local stand-in for a customs broker's declaration API (see README.md): declarations are
 * `pending` for a processing delay, then `accepted` (with an MRN-like movement reference),
 * `rejected` or `correction_requested` by the pure rules of src/domain/customs/rules.ts, unless a
 * test forces the outcome. Idempotent by reference and by `Idempotency-Key`; faults as in the
 * Stripe sandbox.
 */
export interface CustomsBrokerSandboxOptions extends SnapshotFileOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** Keys accepted as `Authorization: Bearer <key>`; default [DEFAULT_CUSTOMS_API_KEY]. */
  apiKeys?: string[];
  /**
   * How long customs takes to answer: a fixed delay, or a range from which each reference gets
   * its own delay (deterministically, from a hash of the reference). Default 1000 ms.
   */
  processingDelayMs?: ProcessingDelay;
  /** Default: the system clock. A ManualClock makes "pending until" explicit in tests. */
  clock?: SandboxClock;
  /** Seed of ids and movement references; same seed, same ids. Default: random. */
  seed?: string;
}

export interface CustomsBrokerSandbox {
  /** `http://host:port` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** A key the sandbox accepts. */
  readonly apiKey: string;
  readonly clock: SandboxClock;
  readonly faults: FaultPlan;
  readonly requests: readonly RequestLogEntry[];
  /** Force customs' answer for the next declaration or for a reference. */
  readonly outcomes: OutcomeControls;
  /** Every declaration, as the port sees it now. */
  declarations(): Declaration[];
  findByReference(reference: string): Declaration | undefined;
  /** The goods cleared customs: voiding is refused from now on. Only for an accepted declaration. */
  markCleared(declarationId: string): Declaration;
  /** Customs answers a pending declaration now. */
  decide(
    declarationId: string,
    outcome: { status: DecidedStatus; issues?: ForcedOutcome['issues'] },
  ): Declaration;
  /** Forgets every declaration, key, fault, forced outcome and logged request. */
  reset(): void;
  close(): Promise<void>;
}

export async function startCustomsBrokerSandbox(
  options: CustomsBrokerSandboxOptions = {},
): Promise<CustomsBrokerSandbox> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const apiKeys = options.apiKeys ?? [DEFAULT_CUSTOMS_API_KEY];
  const ids = new SeededIds(options.seed);
  const state = new CustomsBrokerState(ids, options.processingDelayMs ?? 1_000);
  const outcomes = new OutcomeControls();
  const reset = () => {
    state.reset();
    outcomes.clear();
    api.reset();
  };
  const api: JsonApiServer = new JsonApiServer({
    name: 'the customs broker sandbox',
    clock,
    routes: customsRoutes(state, outcomes),
    acceptsKey: (key) => apiKeys.includes(key),
    admin: (req, res, url) => handleCustomsAdmin({ api, state, outcomes, clock, reset }, req, res, url),
  });
  const { port, close } = await listenKeepingState(
    api.server,
    { port: options.port ?? 0, host },
    { state, idempotency: api.idempotency },
    options,
  );
  const record = (id: string) => {
    const found = state.declarations.get(id);
    if (!found) throw new Error(`no declaration ${id}`);
    return found;
  };

  return {
    url: `http://${host}:${port}`,
    host,
    port,
    apiKey: apiKeys[0] ?? DEFAULT_CUSTOMS_API_KEY,
    clock,
    faults: api.faults,
    requests: api.requests,
    outcomes,
    declarations: () => [...state.declarations.values()].map((item) => state.view(item, clock.now())),
    findByReference: (reference) => {
      const found = state.findByReference(reference);
      return found && state.view(found, clock.now());
    },
    markCleared: (declarationId) => {
      const found = record(declarationId);
      state.markCleared(found, clock.now());
      return state.view(found, clock.now());
    },
    decide: (declarationId, outcome) => {
      const found = record(declarationId);
      state.decide(found, outcome, clock.now());
      return state.view(found, clock.now());
    },
    reset,
    close,
  };
}
