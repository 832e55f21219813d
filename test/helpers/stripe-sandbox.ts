import { createServer, type IncomingHttpHeaders } from 'node:http';
import { StripePayments, type StripePaymentsConfig } from '../../src/infra/payments';
import {
  startStripeSandbox,
  type StripeSandbox,
  type StripeSandboxOptions,
} from '../../src/sandboxes/stripe';
import { closeServer, listen } from '../../src/sandboxes/shared/http';

/** A sandbox on a free port with quick webhook retries, and an adapter pointed at it. */
export async function startTestSandbox(
  options: StripeSandboxOptions = {},
): Promise<{ sandbox: StripeSandbox; payments: StripePayments }> {
  const sandbox = await startStripeSandbox({ webhookRetryDelaysMs: [50, 100, 200], ...options });
  return { sandbox, payments: paymentsFor(sandbox) };
}

export function paymentsFor(
  sandbox: StripeSandbox,
  config: Partial<StripePaymentsConfig> = {},
): StripePayments {
  return new StripePayments({
    secretKey: sandbox.secretKey,
    apiBase: { host: sandbox.host, port: sandbox.port, protocol: 'http' },
    timeoutMs: 5_000,
    ...config,
  });
}

export interface ReceivedWebhook {
  rawBody: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses to answer with, one per request, before answering 200. */
  failNext(...statuses: number[]): void;
  /** Resolves once `count` requests have been answered 2xx. */
  waitForDelivered(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A webhook endpoint that records raw bodies (signatures cover the exact bytes). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const failures: number[] = [];
  let waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = failures.shift() ?? 200;
      received.push({ rawBody: Buffer.concat(chunks).toString('utf8'), headers: req.headers, status });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ received: status < 300 }));
      const current = waiters;
      waiters = [];
      current.forEach((wake) => wake());
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  const delivered = () => received.filter((item) => item.status < 300);
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    failNext: (...statuses) => failures.push(...statuses),
    waitForDelivered: async (count, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (delivered().length < count) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new Error(
            `expected ${count} delivered webhooks, got ${delivered().length} (${received.length} requests)`,
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
      return delivered();
    },
    close: () => closeServer(server),
  };
}
