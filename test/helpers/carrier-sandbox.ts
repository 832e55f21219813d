import { createServer } from 'node:http';
import type { CreateShipmentRequest } from '../../src/domain/shipping/carrier-port';
import { shipmentReference } from '../../src/domain/shipping/carrier-port';
import type { TrackingEvent } from '../../src/domain/shipping/tracking';
import { AppError } from '../../src/errors';
import { HttpCarrier, verifyCarrierWebhook, type CarrierConfig } from '../../src/infra/carrier';
import {
  startCarrierSandbox,
  type CarrierSandbox,
  type CarrierSandboxOptions,
} from '../../src/sandboxes/carrier';
import { closeServer, listen } from '../../src/sandboxes/shared/http';

export const TEST_WEBHOOK_SECRET = 'carrier_whsec_for_tests_0123456789';

/** A carrier sandbox on a free port with quick webhook retries and no automatic progression, and an adapter. */
export async function startTestCarrier(
  options: CarrierSandboxOptions = {},
): Promise<{ sandbox: CarrierSandbox; carrier: HttpCarrier }> {
  const sandbox = await startCarrierSandbox({
    webhookSecret: TEST_WEBHOOK_SECRET,
    webhookRetryDelaysMs: [50, 100, 200],
    duplicateDelayMs: 20,
    seed: 'borderline-tests',
    ...options,
  });
  return { sandbox, carrier: carrierFor(sandbox) };
}

export function carrierFor(sandbox: CarrierSandbox, config: Partial<CarrierConfig> = {}): HttpCarrier {
  return new HttpCarrier({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: 5_000, ...config });
}

let counter = 0;
export const uniqueOrderId = (prefix = 'ord') => `${prefix}-${Date.now().toString(36)}-${counter++}`;

/** A 1.2 kg DDP parcel from Germany to the United States, unless overridden. */
export function sampleShipment(
  overrides: Partial<CreateShipmentRequest> = {},
  orderId = uniqueOrderId(),
): CreateShipmentRequest {
  return {
    reference: shipmentReference(orderId),
    from: {
      name: 'Atelier Berlin GmbH',
      line1: 'Torstraße 1',
      city: 'Berlin',
      postalCode: '10119',
      country: 'DE',
    },
    to: {
      name: 'Jane Doe',
      line1: '1 Main Street',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US',
      email: 'jane@example.com',
    },
    parcel: { weightGrams: 1_200, lengthCm: 30, widthCm: 20, heightCm: 10 },
    customs: {
      incoterm: 'DDP',
      contents: 'merchandise',
      items: [
        {
          description: 'Organic cotton T-shirt, men',
          hsCode: '6109100012',
          originCountry: 'PT',
          quantity: 2,
          value: { amount: 5_000, currency: 'EUR' },
          weightGrams: 360,
        },
      ],
    },
    ...overrides,
  };
}

export interface ReceivedDelivery {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The verified event, or the refusal. */
  event: TrackingEvent | null;
  error: AppError | null;
  status: number;
}

export interface CarrierWebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** Verified events, in the order they arrived (duplicates included). */
  events(): TrackingEvent[];
  /** Statuses to answer with, one per request, before verifying. */
  failNext(...statuses: number[]): void;
  waitForEvents(count: number, timeoutMs?: number): Promise<TrackingEvent[]>;
  close(): Promise<void>;
}

/**
 * A webhook endpoint the way the API's POST /v1/webhooks/carrier should be: verifies every
 * delivery with verifyCarrierWebhook over the raw bytes and answers 400 when it fails, 200 otherwise.
 */
export async function startCarrierWebhookReceiver(
  secret = TEST_WEBHOOK_SECRET,
): Promise<CarrierWebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const failures: number[] = [];
  let waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const forced = failures.shift();
      let event: TrackingEvent | null = null;
      let error: AppError | null = null;
      let status = forced ?? 200;
      if (forced === undefined) {
        try {
          event = verifyCarrierWebhook(rawBody, req.headers, secret);
        } catch (caught) {
          error = caught instanceof AppError ? caught : new AppError('INTERNAL', String(caught));
          status = 400;
        }
      }
      received.push({ rawBody, headers: { ...req.headers }, event, error, status });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ received: status < 300 }));
      const current = waiters;
      waiters = [];
      current.forEach((wake) => wake());
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  const events = () => received.flatMap((delivery) => (delivery.event ? [delivery.event] : []));
  return {
    url: `http://127.0.0.1:${port}/v1/webhooks/carrier`,
    received,
    events,
    failNext: (...statuses) => failures.push(...statuses),
    waitForEvents: async (count, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (events().length < count) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new Error(
            `expected ${count} verified deliveries, got ${events().length} (${received.length} requests)`,
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return events();
    },
    close: () => closeServer(server),
  };
}

/** Calls the carrier sandbox's admin API over HTTP (Basic auth, as the adapter does). */
export async function carrierAdmin(
  sandbox: CarrierSandbox,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`${sandbox.apiKey}:`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Resolves with the AppError a call fails with; fails the test when it succeeds. */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
