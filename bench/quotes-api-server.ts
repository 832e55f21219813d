// The HTTP side of bench/quotes-api.ts, in a process of its own so that the load generator does not
// share its event loop: the real API (auth, validation, quotes on PostgreSQL) and a bare Fastify
// instance with one route doing nothing, both with logging off, in this one process.
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { ApiKeyStore } from '../src/access';
import { buildApp } from '../src/api/app';
import { ignorePaymentEvents } from '../src/api/routes/stripe-webhooks';
import { createDatabase, pingDatabase } from '../src/infra/database';
import { PgPaymentEventStore } from '../src/infra/payments';
import { createQuoteDesk } from '../src/infra/quotes';
import { runChild, stopWhenParentLeaves } from './child';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const db = createDatabase({ url: databaseUrl, poolSize: Number(process.env.BENCH_POOL_SIZE ?? 10) });

  const app = await buildApp({
    deps: {
      keys: new ApiKeyStore(db),
      readiness: { database: () => pingDatabase(db) },
      quotes: { desk: createQuoteDesk(db) },
      stripeWebhooks: {
        webhookSecret: 'whsec_bench',
        events: new PgPaymentEventStore(db),
        onPaymentEvent: ignorePaymentEvents,
      },
    },
    logger: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });

  // The baseline: Fastify's defaults, JSON body parsed, nothing else.
  const bare = Fastify({ logger: false });
  bare.post('/bare', async (_request, reply) => reply.status(204).send());
  await bare.listen({ host: '127.0.0.1', port: 0 });

  process.send?.({
    appPort: (app.server.address() as AddressInfo).port,
    barePort: (bare.server.address() as AddressInfo).port,
  });
  stopWhenParentLeaves(async () => {
    await Promise.allSettled([app.close(), bare.close()]);
    await db.$disconnect();
  });
}

runChild(main);
