import type { FastifyInstance } from 'fastify';
import { ApiKeyStore } from '../access';
import { createDatabase, pingDatabase, type Database } from '../infra/database';
import { PrismaPaymentEventStore } from '../infra/payments';
import { createQuoteDesk } from '../infra/quotes';
import {
  connectClient,
  pingTemporal,
  type TemporalConnections,
  type TemporalTarget,
} from '../infra/temporal';
import { buildApp, type AppOptions } from './app';
import { ignorePaymentEvents } from './routes/stripe-webhooks';

export interface ApiComposition {
  app: FastifyInstance;
  db: Database;
  temporal: TemporalConnections;
  /** Closes the app (in-flight requests finish), then the connections. */
  close(): Promise<void>;
}

export interface ComposeApiOptions {
  databaseUrl: string;
  databasePoolSize?: number;
  temporal: TemporalTarget;
  /** Signing secret of the Stripe webhook endpoint (STRIPE_WEBHOOK_SECRET). */
  stripeWebhookSecret: string;
  /** How long a quote locks its price (QUOTE_TTL_SECONDS); default 1800. */
  quoteTtlSeconds?: number;
  logger?: AppOptions['logger'];
  bodyLimit?: number;
  version?: string;
}

/** Wires the API to its real dependencies: used by `npm run api`, `npm run dev` and tests. */
export async function composeApi(options: ComposeApiOptions): Promise<ApiComposition> {
  const db = createDatabase({ url: options.databaseUrl, poolSize: options.databasePoolSize ?? 10 });
  const temporal = await connectClient(options.temporal);
  const app = await buildApp({
    deps: {
      keys: new ApiKeyStore(db),
      readiness: {
        database: () => pingDatabase(db),
        temporal: () => pingTemporal(temporal.connection, options.temporal.namespace),
      },
      quotes: { desk: createQuoteDesk(db, { ttlSeconds: options.quoteTtlSeconds }) },
      stripeWebhooks: {
        webhookSecret: options.stripeWebhookSecret,
        events: new PrismaPaymentEventStore(db),
        // Events are stored only, for now: the order-saga issue hands them to the order workflows.
        onPaymentEvent: ignorePaymentEvents,
      },
    },
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    version: options.version,
  });
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    temporal,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await Promise.allSettled([db.$disconnect(), temporal.close()]);
      })()),
  };
}
