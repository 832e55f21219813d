import type { FastifyInstance } from 'fastify';
import { ApiKeyStore, DEFAULT_API_KEY_CACHE_TTL_MS } from '../access';
import { AuditLog } from '../infra/audit';
import { createDatabase, pingDatabase, warnOfIdleConnectionError, type Database } from '../infra/database';
import { CarrierEventStore } from '../infra/carrier';
import { PgPaymentEventStore } from '../infra/payments';
import { OrderDesk } from '../infra/orders';
import { ReconciliationDesk } from '../infra/reconciliation';
import { SettlementDesk } from '../infra/settlement';
import { FxReferenceStore, fxRateSource, type FxRatesKind } from '../infra/fx';
import { createQuoteDesk } from '../infra/quotes';
import { FinanceReports } from '../infra/finance';
import type { OrderTimings } from '../domain/orders/types';
import {
  connectClient,
  pingTemporal,
  type TemporalConnections,
  type TemporalTarget,
} from '../infra/temporal';
import type { Tracing } from '../infra/telemetry';
import { buildApp, type AppOptions } from './app';
import { buildMetricsServer, createApiMetrics, type ApiMetrics } from './plugins/metrics';
import type { ProtectionOptions } from './plugins/protection';

export interface ApiComposition {
  app: FastifyInstance;
  db: Database;
  temporal: TemporalConnections;
  /** The API's Prometheus metrics, and the listener serving them (GET /metrics, not yet listening). */
  metrics: ApiMetrics;
  metricsApp: FastifyInstance;
  /** Closes the app (in-flight requests finish) and the metrics listener, then the connections. */
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
  /** How long a process trusts an API key it found valid (API_KEY_CACHE_TTL_MS); default 5 s. */
  apiKeyCacheTtlMs?: number;
  /** How long a quote locks its price (QUOTE_TTL_SECONDS); default 1800. */
  quoteTtlSeconds?: number;
  /** Where quotes read exchange rates (FX_RATES, FX_MAX_AGE_DAYS); default the sample ECB days. */
  fxRates?: { kind: FxRatesKind; maxAgeDays: number };
  /** The business deadlines new orders start with (ORDER_* variables). */
  orderTimings: OrderTimings;
  /** Task queue order workflows are started on; default `orders`. */
  ordersTaskQueue?: string;
  /**
   * The codec endpoint (/codec/decode, /codec/encode), served when `temporal.payloadCodec` is
   * set: the Temporal Web UI origins allowed to call it (TEMPORAL_UI_ORIGIN), and whether it
   * needs no API key (npm run dev with the published dev key only).
   */
  codecEndpoint?: { allowedOrigins: readonly string[]; allowAnonymous?: boolean };
  /** Base URL of the Temporal Web UI the console links orders to (TEMPORAL_UI_URL); unset: no links. */
  temporalUiUrl?: string;
  logger?: AppOptions['logger'];
  bodyLimit?: number;
  version?: string;
  /** Rate limit, load shedding and CORS (RATE_LIMIT_PER_MINUTE, PRESSURE_*, CORS_ALLOWED_ORIGINS). */
  protection?: ProtectionOptions;
  /**
   * OpenTelemetry (OTEL_TRACING): HTTP request spans, and the Temporal client's interceptors
   * (workflow start spans, the trace passed on to the workflow).
   */
  tracing?: Pick<Tracing, 'instrumentHttp' | 'clientInterceptors'>;
}

const IDEMPOTENCY_SWEEP_EVERY_MS = 5 * 60_000;

/** Wires the API to its real dependencies: used by `npm run api`, `npm run dev` and tests. */
export async function composeApi(options: ComposeApiOptions): Promise<ApiComposition> {
  // Told to the API's logger once the app (and so its logger) exists.
  let idleConnectionFailed = (_error: Error): void => undefined;
  const db = createDatabase({
    url: options.databaseUrl,
    poolSize: options.databasePoolSize ?? 10,
    onIdleConnectionError: (error) => idleConnectionFailed(error),
  });
  const temporal = await connectClient(
    options.tracing
      ? { ...options.temporal, clientInterceptors: options.tracing.clientInterceptors }
      : options.temporal,
  );
  const orders = new OrderDesk(db, temporal.client, options.orderTimings, options.ordersTaskQueue);
  const fxStore = new FxReferenceStore(db);
  const metrics = createApiMetrics({
    ordersNeedingAttention: () => db.order.count({ where: { needsAttention: true } }),
    ...(options.fxRates?.kind === 'database'
      ? {
          fxReferenceAgeSeconds: async () => {
            const newest = await fxStore.dayAt('EUR', new Date());
            return newest ? Math.max(0, (Date.now() - Date.parse(newest.publishedAt)) / 1000) : null;
          },
        }
      : {}),
  });
  const app = await buildApp({
    deps: {
      keys: new ApiKeyStore(db, { cacheTtlMs: options.apiKeyCacheTtlMs ?? DEFAULT_API_KEY_CACHE_TTL_MS }),
      audit: new AuditLog(db),
      readiness: {
        database: () => pingDatabase(db),
        temporal: () => pingTemporal(temporal.connection, options.temporal.namespace),
      },
      quotes: {
        desk: createQuoteDesk(db, {
          ttlSeconds: options.quoteTtlSeconds,
          ...(options.fxRates
            ? { fx: fxRateSource(options.fxRates.kind, db, options.fxRates.maxAgeDays) }
            : {}),
        }),
      },
      orders: { desk: orders },
      // Reconciliation workflows run on the same task queue as the orders (the worker polls one).
      reconciliations: {
        desk: new ReconciliationDesk(db, temporal.client, { taskQueue: options.ordersTaskQueue }),
      },
      // Settlement runs too (same worker, same task queue).
      settlements: { desk: new SettlementDesk(db, temporal.client, options.ordersTaskQueue) },
      finance: { reports: new FinanceReports(db) },
      console: {
        temporalNamespace: options.temporal.namespace,
        ...(options.temporalUiUrl ? { temporalUiUrl: options.temporalUiUrl } : {}),
      },
      ...(options.temporal.payloadCodec
        ? {
            codec: {
              codec: options.temporal.payloadCodec,
              namespace: options.temporal.namespace,
              allowedOrigins: options.codecEndpoint?.allowedOrigins ?? [],
              allowAnonymous: options.codecEndpoint?.allowAnonymous ?? false,
            },
          }
        : {}),
      carrierWebhooks: {
        events: new CarrierEventStore(db),
        webhookSecret: options.carrierWebhookSecret,
        onTrackingEvent: (orderId, event) => orders.routeTrackingEvent(orderId, event),
      },
      stripeWebhooks: {
        webhookSecret: options.stripeWebhookSecret,
        events: new PgPaymentEventStore(db),
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
    protection: options.protection,
    metrics,
    tracing: options.tracing,
  });
  idleConnectionFailed = warnOfIdleConnectionError(app.log);
  const metricsApp = buildMetricsServer(metrics, app.log.child({ component: 'metrics' }));
  let closing: Promise<void> | undefined;
  // Expired Idempotency-Key records are deleted by every API process, a batch every few minutes
  // (an order's record lives 24 hours; nothing else ever deletes them).
  const sweeping = setInterval(() => {
    orders.sweepExpiredIdempotencyRecords().catch((error: unknown) => {
      app.log.warn({ err: error }, 'could not delete expired idempotency records; next time');
    });
  }, IDEMPOTENCY_SWEEP_EVERY_MS);
  sweeping.unref();
  return {
    app,
    db,
    temporal,
    metrics,
    metricsApp,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeping);
        await metricsApp.close();
        await app.close();
        await Promise.allSettled([db.$disconnect(), temporal.close()]);
      })()),
  };
}
