import type { AddressInfo } from 'node:net';
import { ApiKeyStore } from '../../../src/access';
import { buildApp } from '../../../src/api/app';
import { openTestDatabase } from '../../helpers/database';

it('finishes requests in flight on close, takes no new ones, and closes promptly', async () => {
  const db = openTestDatabase();
  const keys = new ApiKeyStore(db);
  const { key } = await keys.create({ name: 'shutdown test', role: 'support' });
  let checkStarted!: () => void;
  let finishCheck!: () => void;
  const started = new Promise<void>((resolve) => (checkStarted = resolve));
  const app = await buildApp({
    deps: {
      keys,
      readiness: {
        slow: () =>
          new Promise<void>((resolve) => {
            finishCheck = resolve;
            checkStarted();
          }),
      },
      stripeWebhooks: {
        webhookSecret: 'whsec_unused',
        events: {
          receive: async () => ({ stored: true, processed: false }),
          markProcessed: async () => undefined,
        },
        onPaymentEvent: async () => undefined,
      },
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const inFlight = fetch(`${base}/ready`, { headers: { authorization: `Bearer ${key}` } });
  await started;
  const closeStarted = Date.now();
  const closing = app.close();
  // A new request is refused (or answered 503) while the old one is still running.
  const late = await fetch(`${base}/health`).then(
    (res) => res.status,
    () => 'refused',
  );
  expect([503, 'refused']).toContain(late);

  setTimeout(() => finishCheck(), 200);
  const res = await inFlight;
  expect(res.status).toBe(200);
  expect(res.headers.get('connection')).toBe('close');
  expect(((await res.json()) as { checks: { slow: { status: string } } }).checks.slow.status).toBe('ok');
  await closing;
  // Not held open until the client's keep-alive connection times out.
  expect(Date.now() - closeStarted).toBeLessThan(5_000);
  await db.$disconnect();
});
