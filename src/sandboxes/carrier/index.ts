import type { CarrierShipment } from '../../domain/shipping/carrier-port';
import type { TrackingEvent } from '../../domain/shipping/tracking';
import type { RateCard, ZoneChart } from '../../domain/shipping/types';
import { systemClock, type SandboxClock } from '../shared/clock';
import { listenKeepingState, type SnapshotFileOptions } from '../shared/snapshot';
import { JsonApiServer, type RequestLogEntry } from '../shared/json-api';
import { SeededIds } from '../shared/seeded-ids';
import type { FaultPlan } from '../stripe/faults';
import { handleCarrierAdmin } from './admin';
import { carrierRoutes } from './routes';
import { CarrierState, type AdvanceStep, type AutoProgression, type ChargeRecord } from './state';
import { CarrierWebhookDispatcher } from './webhooks';

export type { FaultKind, FaultSpec } from '../stripe/faults';
export { ManualClock, systemClock, type SandboxClock } from '../shared/clock';
export type { RequestLogEntry } from '../shared/json-api';
export { ADVANCE_STEPS, type AdvanceStep, type AutoProgression, type ChargeRecord } from './state';
export {
  renderWebhookBody,
  SIGNATURE_HEADER,
  SIGNATURE_PREFIX,
  signWebhookBody,
  type CarrierWebhookDispatcher,
  type CarrierWebhookSettings,
  type DeliveryAttempt,
  type ReleaseOrder,
} from './webhooks';

/** CARRIER_API_KEY's and CARRIER_WEBHOOK_SECRET's defaults. */
export const DEFAULT_CARRIER_API_KEY = 'ck_test_borderline_sandbox';
export const DEFAULT_CARRIER_WEBHOOK_SECRET = 'carrier_whsec_borderline_sandbox';

/** `npm run dev`'s automatic life of a label: handed over 20 s after purchase, delivered 40 s later. */
export const DEV_PROGRESSION: AutoProgression = {
  handoverAfterMs: 20_000,
  outForDeliveryAfterMs: 30_000,
  deliverAfterMs: 10_000,
};

/**
 * A local stand-in for a carrier aggregator (EasyPost-shaped, see README.md): shipments with live
 * rates from the sample rate cards, labels bought once, voided only until handover, tracking
 * events as signed webhooks, delivered twice and out of order when asked to.
 */
export interface CarrierSandboxOptions extends SnapshotFileOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** Keys accepted (Basic auth with the key as user name, or Bearer); default [DEFAULT_CARRIER_API_KEY]. */
  apiKeys?: string[];
  /** Where tracking events are POSTed; also later with `sandbox.webhooks.configure({ url })`. */
  webhookUrl?: string;
  /** Default DEFAULT_CARRIER_WEBHOOK_SECRET. */
  webhookSecret?: string;
  /** Deliver every event twice (default false). */
  duplicates?: boolean;
  /** Default 1000 ms. */
  duplicateDelayMs?: number;
  /** Hold each event until the shipment's next one and send them swapped (default false). */
  outOfOrder?: boolean;
  /** Longest an event is held for reordering. Default 5000 ms. */
  outOfOrderHoldMs?: number;
  /** Default [1 s, 5 s, 30 s, 2 min]. */
  webhookRetryDelaysMs?: number[];
  /** Default 5000 ms. */
  webhookTimeoutMs?: number;
  /** Automatic progression of bought labels; default none (tests advance shipments themselves). */
  progression?: AutoProgression | null;
  clock?: SandboxClock;
  /** Seed of ids, rate ids and tracking numbers. Default: random. */
  seed?: string;
  rateCards?: readonly RateCard[];
  zones?: ZoneChart;
}

export interface CarrierSandbox {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly apiKey: string;
  readonly webhookSecret: string;
  readonly clock: SandboxClock;
  readonly faults: FaultPlan;
  readonly requests: readonly RequestLogEntry[];
  readonly webhooks: CarrierWebhookDispatcher;
  /** Labels charged and refunded, oldest first. */
  readonly charges: readonly ChargeRecord[];
  shipments(): CarrierShipment[];
  shipment(shipmentId: string): CarrierShipment;
  findByReference(reference: string): CarrierShipment | undefined;
  /** Tracking events emitted (for one shipment, or all), oldest first. */
  events(shipmentId?: string): TrackingEvent[];
  /** Moves a shipment one step; throws when the step does not apply to its status. */
  advance(
    shipmentId: string,
    step: AdvanceStep,
    detail?: { description?: string; location?: string },
  ): CarrierShipment;
  /** Automatic progression of labels bought from now on (null: off). */
  setProgression(progression: AutoProgression | null): void;
  /** Forgets shipments, charges, events, deliveries, keys, faults and logged requests. */
  reset(): void;
  close(): Promise<void>;
}

export async function startCarrierSandbox(options: CarrierSandboxOptions = {}): Promise<CarrierSandbox> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const apiKeys = options.apiKeys ?? [DEFAULT_CARRIER_API_KEY];
  const ids = new SeededIds(options.seed);
  const webhooks = new CarrierWebhookDispatcher(
    {
      url: options.webhookUrl ?? null,
      secret: options.webhookSecret ?? DEFAULT_CARRIER_WEBHOOK_SECRET,
      duplicates: options.duplicates ?? false,
      duplicateDelayMs: options.duplicateDelayMs ?? 1_000,
      outOfOrder: options.outOfOrder ?? false,
      outOfOrderHoldMs: options.outOfOrderHoldMs ?? 5_000,
      retryDelaysMs: options.webhookRetryDelaysMs ?? [1_000, 5_000, 30_000, 120_000],
      timeoutMs: options.webhookTimeoutMs ?? 5_000,
    },
    clock,
  );
  let baseUrl = '';
  const state = new CarrierState(ids, clock, (event) => webhooks.enqueue(event), {
    labelBaseUrl: () => baseUrl,
    ...(options.rateCards ? { rateCards: options.rateCards } : {}),
    ...(options.zones ? { zones: options.zones } : {}),
  });
  state.configureProgression(options.progression ?? null);
  const reset = () => {
    state.reset();
    webhooks.reset();
    api.reset();
  };
  const api: JsonApiServer = new JsonApiServer({
    name: 'the carrier sandbox',
    clock,
    routes: carrierRoutes(state),
    acceptsKey: (key) => apiKeys.includes(key),
    admin: (req, res, url) => handleCarrierAdmin({ api, state, webhooks, clock, reset }, req, res, url),
  });
  const { port, close } = await listenKeepingState(
    api.server,
    { port: options.port ?? 0, host },
    { state, idempotency: api.idempotency },
    options,
  );
  baseUrl = `http://${host}:${port}`;
  const record = (id: string) => {
    const found = state.shipments.get(id);
    if (!found) throw new Error(`no shipment ${id}`);
    return found;
  };

  return {
    url: baseUrl,
    host,
    port,
    apiKey: apiKeys[0] ?? DEFAULT_CARRIER_API_KEY,
    get webhookSecret() {
      return webhooks.secret;
    },
    clock,
    faults: api.faults,
    requests: api.requests,
    webhooks,
    charges: state.charges,
    shipments: () => [...state.shipments.values()].map((item) => state.view(item)),
    shipment: (shipmentId) => state.view(record(shipmentId)),
    findByReference: (reference) => {
      const found = state.findByReference(reference);
      return found && state.view(found);
    },
    events: (shipmentId) =>
      webhooks.events
        .map((recorded) => recorded.event)
        .filter((event) => shipmentId === undefined || event.shipmentId === shipmentId),
    advance: (shipmentId, step, detail) => {
      const found = record(shipmentId);
      state.advance(found, step, clock.now(), detail);
      return state.view(found);
    },
    setProgression: (progression) => state.configureProgression(progression),
    reset,
    close: async () => {
      state.stopTimers();
      webhooks.close();
      await close();
    },
  };
}
