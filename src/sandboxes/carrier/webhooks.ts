import { createHmac } from 'node:crypto';
import type { TrackingEvent } from '../../domain/shipping/tracking';
import type { SandboxClock } from '../shared/clock';

/**
 * Tracking webhooks, the way EasyPost sends them (https://docs.easypost.com/guides/webhooks-guide):
 * an Event POSTed as JSON with `X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256 of the raw
 * body, keyed by the webhook secret (NFKD-normalised, UTF-8)>` — the scheme easypost-node's
 * `validateWebhook` checks. EasyPost's signature has no timestamp, so the sandbox puts one in the
 * signed body: `signed_at`, the moment this delivery attempt was signed (every attempt and every
 * duplicate is signed afresh). verifyCarrierWebhook (src/infra/carrier) refuses a delivery whose
 * `signed_at` is more than the tolerance (300 s) away from now.
 *
 *   { "id": "evt_…", "object": "Event", "mode": "test", "description": "tracker.updated",
 *     "created_at": "<when the event was recorded>", "signed_at": "<when this attempt was signed>",
 *     "result": { eventId, shipmentId, reference, trackingNumber, status, occurredAt, description, location? } }
 *
 * Like a real carrier's, deliveries are unreliable on purpose (switchable):
 * - `duplicates`: every event is delivered a second time, `duplicateDelayMs` after the first;
 * - `outOfOrder`: a shipment's event is held until its next event is emitted (or
 *   `outOfOrderHoldMs` passes), then the newer one is sent first;
 * - failed deliveries (non-2xx, unreachable) are retried after `retryDelaysMs`, then given up;
 *   nothing is thrown or printed;
 * - tests can `hold()` deliveries and `release({ order, duplicate })` them in a chosen order, or
 *   `redeliver(eventId)`.
 */
export const SIGNATURE_HEADER = 'X-Hmac-Signature';
export const SIGNATURE_PREFIX = 'hmac-sha256-hex=';

export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  const key = Buffer.from(secret.normalize('NFKD'), 'utf8');
  return `${SIGNATURE_PREFIX}${createHmac('sha256', key).update(rawBody).digest('hex')}`;
}

export interface RecordedEvent {
  event: TrackingEvent;
  createdAtMs: number;
}

export function renderWebhookBody(recorded: RecordedEvent, signedAtMs: number): string {
  return JSON.stringify({
    id: recorded.event.eventId,
    object: 'Event',
    mode: 'test',
    description: 'tracker.updated',
    created_at: new Date(recorded.createdAtMs).toISOString(),
    signed_at: new Date(signedAtMs).toISOString(),
    result: recorded.event,
  });
}

export interface CarrierWebhookSettings {
  url: string | null;
  secret: string;
  duplicates: boolean;
  duplicateDelayMs: number;
  outOfOrder: boolean;
  outOfOrderHoldMs: number;
  /** Delay before each retry; after the last one the delivery is given up. */
  retryDelaysMs: readonly number[];
  timeoutMs: number;
}

export interface DeliveryAttempt {
  eventId: string;
  status: TrackingEvent['status'];
  shipmentId: string;
  /** 1 for the first delivery of an event, 2 for its duplicate, … */
  copy: number;
  attempt: number;
  /** HTTP status, or null when the endpoint could not be reached. */
  httpStatus: number | null;
  error: string | null;
  delivered: boolean;
  at: string;
}

export type ReleaseOrder = 'emitted' | 'reverse' | readonly string[];

export class CarrierWebhookDispatcher {
  readonly deliveries: DeliveryAttempt[] = [];
  /** Every event recorded, oldest first. */
  readonly events: RecordedEvent[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly heldForReorder = new Map<string, { recorded: RecordedEvent; timer: NodeJS.Timeout }>();
  private manualHold: RecordedEvent[] | null = null;
  private copies = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private closed = false;
  /** Bumped by reset(): attempts of an earlier generation are dropped. */
  private generation = 0;

  constructor(
    private settings: CarrierWebhookSettings,
    private readonly clock: SandboxClock,
  ) {}

  get url(): string | null {
    return this.settings.url;
  }

  get secret(): string {
    return this.settings.secret;
  }

  current(): Readonly<CarrierWebhookSettings> {
    return { ...this.settings };
  }

  configure(update: Partial<CarrierWebhookSettings>): void {
    const next = { ...this.settings };
    for (const [key, value] of Object.entries(update) as [keyof CarrierWebhookSettings, never][]) {
      if (value !== undefined) next[key] = value;
    }
    this.settings = next;
    if (!next.outOfOrder) this.flushReorderHolds();
  }

  /** Records a new event and schedules its delivery (held, reordered, duplicated as configured). */
  enqueue(event: TrackingEvent): void {
    const recorded = { event, createdAtMs: this.clock.now() };
    this.events.push(recorded);
    if (this.closed) return;
    if (this.manualHold) {
      this.manualHold.push(recorded);
      return;
    }
    if (!this.settings.outOfOrder) return this.dispatch(recorded);
    const held = this.heldForReorder.get(event.shipmentId);
    if (held) {
      clearTimeout(held.timer);
      this.timers.delete(held.timer);
      this.heldForReorder.delete(event.shipmentId);
      this.dispatch(recorded);
      this.dispatch(held.recorded);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.heldForReorder.delete(event.shipmentId);
      this.dispatch(recorded);
    }, this.settings.outOfOrderHoldMs);
    timer.unref();
    this.timers.add(timer);
    this.heldForReorder.set(event.shipmentId, { recorded, timer });
  }

  /** Keeps new events back until `release` (tests choose the delivery order). */
  hold(): void {
    if (!this.manualHold) this.manualHold = [];
  }

  /** Events held by `hold()`, oldest first. */
  held(): TrackingEvent[] {
    return (this.manualHold ?? []).map((recorded) => recorded.event);
  }

  /**
   * Sends the held events, one after the other, in the order given: as emitted, reversed, or by
   * event id (ids not held are skipped; held ones not named are sent after, as emitted). With
   * `duplicate`, each is sent twice in a row. Deliveries resume normally afterwards.
   */
  release(options: { order?: ReleaseOrder; duplicate?: boolean } = {}): TrackingEvent[] {
    const held = this.manualHold ?? [];
    this.manualHold = null;
    const order = options.order ?? 'emitted';
    let sequence: RecordedEvent[];
    if (order === 'emitted') sequence = [...held];
    else if (order === 'reverse') sequence = [...held].reverse();
    else {
      const named = order
        .map((id) => held.find((recorded) => recorded.event.eventId === id))
        .filter((recorded): recorded is RecordedEvent => recorded !== undefined);
      sequence = [...named, ...held.filter((recorded) => !named.includes(recorded))];
    }
    for (const recorded of sequence) {
      this.send(recorded);
      if (options.duplicate) this.send(recorded);
    }
    return sequence.map((recorded) => recorded.event);
  }

  /** Delivers an already emitted event once more. */
  redeliver(eventId: string): boolean {
    const recorded = this.events.find((item) => item.event.eventId === eventId);
    if (!recorded) return false;
    this.send(recorded);
    return true;
  }

  /** Resolves once nothing is being delivered, waiting to be retried, or held for reordering. */
  idle(timeoutMs = 10_000): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`webhook deliveries still pending after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Forgets events, deliveries and holds (settings are kept). */
  reset(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.heldForReorder.clear();
    this.manualHold = null;
    this.events.length = 0;
    this.deliveries.length = 0;
    this.copies.clear();
    this.inFlight = 0;
    this.settle();
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.heldForReorder.size === 0;
  }

  private flushReorderHolds(): void {
    for (const { recorded, timer } of this.heldForReorder.values()) {
      clearTimeout(timer);
      this.timers.delete(timer);
      this.dispatch(recorded);
    }
    this.heldForReorder.clear();
  }

  /** First delivery, plus the duplicate when switched on. */
  private dispatch(recorded: RecordedEvent): void {
    this.send(recorded);
    if (!this.settings.duplicates) return;
    this.inFlight += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.inFlight -= 1;
      this.send(recorded);
    }, this.settings.duplicateDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** One delivery (with its retries). First attempts go out one after the other, in call order. */
  private send(recorded: RecordedEvent): void {
    if (this.closed) return;
    const copy = (this.copies.get(recorded.event.eventId) ?? 0) + 1;
    this.copies.set(recorded.event.eventId, copy);
    this.inFlight += 1;
    const generation = this.generation;
    this.chain = this.chain.then(() => this.attempt(recorded, copy, 1, generation)).catch(() => undefined);
  }

  private async attempt(
    recorded: RecordedEvent,
    copy: number,
    attempt: number,
    generation: number,
  ): Promise<void> {
    const url = this.settings.url;
    if (this.closed || generation !== this.generation) return;
    if (!url) return this.finish();
    const body = renderWebhookBody(recorded, this.clock.now());
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'BorderlineCarrierSandbox/1.0',
          [SIGNATURE_HEADER]: signWebhookBody(body, this.settings.secret),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      httpStatus = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    if (this.closed || generation !== this.generation) return;
    const delivered = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
    this.deliveries.push({
      eventId: recorded.event.eventId,
      status: recorded.event.status,
      shipmentId: recorded.event.shipmentId,
      copy,
      attempt,
      httpStatus,
      error,
      delivered,
      at: new Date().toISOString(),
    });
    const retryIn = delivered ? undefined : this.settings.retryDelaysMs[attempt - 1];
    if (retryIn === undefined) return this.finish();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(recorded, copy, attempt + 1, generation);
    }, retryIn);
    timer.unref();
    this.timers.add(timer);
  }

  private finish(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.settle();
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
