import { createHmac } from 'node:crypto';
import type { EventRecord } from './state';

/**
 * Delivers events to one webhook endpoint the way Stripe does: a JSON `event` object POSTed with
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed by the
 * endpoint secret>` (the scheme stripe-node's `webhooks.constructEvent` verifies), asynchronously,
 * retried with growing delays until the endpoint answers 2xx. Stripe retries for up to three days;
 * the sandbox's schedule is configurable so tests can watch a retry succeed in milliseconds.
 * Each attempt is signed afresh with the current time, as Stripe does.
 */
export function signPayload(payload: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret)
    .update(`${timestampSeconds}.${payload}`, 'utf8')
    .digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

export function renderEvent(event: EventRecord): Record<string, unknown> {
  return {
    id: event.id,
    object: 'event',
    api_version: event.apiVersion,
    created: event.created,
    data: {
      object: event.object,
      ...(event.previousAttributes ? { previous_attributes: event.previousAttributes } : {}),
    },
    livemode: false,
    pending_webhooks: event.pendingWebhooks,
    request: event.request,
    type: event.type,
  };
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  attempt: number;
  /** HTTP status, or null when the endpoint could not be reached. */
  status: number | null;
  error: string | null;
  delivered: boolean;
  at: string;
}

export interface WebhookSettings {
  url: string | null;
  secret: string;
  /** Delay before each retry; after the last one the event is given up. */
  retryDelaysMs: readonly number[];
  timeoutMs: number;
}

export class WebhookDispatcher {
  readonly deliveries: DeliveryAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private settings: WebhookSettings) {}

  get url(): string | null {
    return this.settings.url;
  }

  get secret(): string {
    return this.settings.secret;
  }

  /** Points deliveries at another endpoint (e.g. a receiver started after the sandbox). */
  configure(update: { url?: string | null; secret?: string; retryDelaysMs?: readonly number[] }): void {
    this.settings = {
      ...this.settings,
      ...(update.url !== undefined ? { url: update.url } : {}),
      ...(update.secret !== undefined ? { secret: update.secret } : {}),
      ...(update.retryDelaysMs !== undefined ? { retryDelaysMs: update.retryDelaysMs } : {}),
    };
  }

  /** How many endpoints will receive a new event (0 or 1). */
  endpointCount(): number {
    return this.settings.url ? 1 : 0;
  }

  enqueue(event: EventRecord): void {
    if (!this.settings.url || this.closed) return;
    this.inFlight += 1;
    setImmediate(() => void this.attempt(event, 1));
  }

  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.inFlight = 0;
    this.settle();
  }

  private async attempt(event: EventRecord, attempt: number): Promise<void> {
    const url = this.settings.url;
    if (this.closed || !url) return this.finish();
    const payload = JSON.stringify(renderEvent(event), null, 2);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signPayload(payload, this.settings.secret, Math.floor(Date.now() / 1000)),
        },
        body: payload,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    if (this.closed) return;
    const delivered = status !== null && status >= 200 && status < 300;
    this.deliveries.push({
      eventId: event.id,
      type: event.type,
      attempt,
      status,
      error,
      delivered,
      at: new Date().toISOString(),
    });
    if (delivered) {
      event.pendingWebhooks = Math.max(0, event.pendingWebhooks - 1);
      return this.finish();
    }
    const delay = this.settings.retryDelaysMs[attempt - 1];
    if (delay === undefined) return this.finish();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(event, attempt + 1);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private finish(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.settle();
  }

  private settle(): void {
    if (this.inFlight > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
