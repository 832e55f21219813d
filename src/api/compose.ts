import type { FastifyInstance } from 'fastify';
import { ApiKeyStore } from '../access';
import { createDatabase, pingDatabase, type Database } from '../infra/database';
import { PrismaPaymentEventStore } from '../infra/payments';
import { OrderDesk } from '../infra/orders';
import { createQuoteDesk } from '../infra/quotes';
import type { OrderTimings } from '../domain/orders/types';
import {
  connectClient,
  pingTemporal,
  type TemporalConnections,
  type TemporalTarget,
} from '../infra/temporal';
import { buildApp, type AppOptions } from './app';

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
  /** HMAC secret of the carrier webhook endpoint (CARRIER_WEBHOOK_SECRET). */
  carrierWebhookSecret: string;
  /** How long a quote locks its price (QUOTE_TTL_SECONDS); default 1800. */
  quoteTtlSeconds?: number;
  /** The business deadlines new orders start with (ORDER_* variables). */
  orderTimings: OrderTimings;
  /** Task queue order workflows are started on; default `orders`. */
  ordersTaskQueue?: string;
  logger?: AppOptions['logger'];
  bodyLimit?: number;
  version?: string;
}

/** Wires the API to its real dependencies: used by `npm run api`, `npm run dev` and tests. */
export async function composeApi(options: ComposeApiOptions): Promise<ApiComposition> {
  const db = createDatabase({ url: options.databaseUrl, poolSize: options.databasePoolSize ?? 10 });
  const temporal = await connectClient(options.temporal);
  const orders = new OrderDesk(db, temporal.client, options.orderTimings, options.ordersTaskQueue);
  const app = await buildApp({
    deps: {
      keys: new ApiKeyStore(db),
      readiness: {
        database: () => pingDatabase(db),
        temporal: () => pingTemporal(temporal.connection, options.temporal.namespace),
      },
      quotes: { desk: createQuoteDesk(db, { ttlSeconds: options.quoteTtlSeconds }) },
      orders: { desk: orders },
      carrierWebhooks: {
        db,
        webhookSecret: options.carrierWebhookSecret,
        onTrackingEvent: (orderId, event) => orders.routeTrackingEvent(orderId, event),
      },
      stripeWebhooks: {
        webhookSecret: options.stripeWebhookSecret,
        events: new PrismaPaymentEventStore(db),
        // Payment events about an order go to its workflow (which ignores repeats).
        onPaymentEvent: async (event) => {
          if (!event.orderId) return;
          await orders.routePaymentEvent(event.orderId, {
            eventId: event.providerEventId,
            type: event.providerType,
            occurredAt: event.occurredAt,
            ...(event.providerObjectId ? { paymentIntentId: event.providerObjectId } : {}),
          });
        },
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
