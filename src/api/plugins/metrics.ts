import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The API process's Prometheus metrics (prom-client), served by `buildMetricsServer`. */
export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  auditWriteFailures: Counter;
}

export interface ApiMetricsOptions {
  /** Orders flagged for support, counted on every scrape (the orders projection). */
  ordersNeedingAttention?: () => Promise<number>;
  /**
   * With FX_RATES=database: seconds since the newest imported reference-rate day was published,
   * read on every scrape; null (no sample) when none is imported.
   */
  fxReferenceAgeSeconds?: () => Promise<number | null>;
  /** Node.js process metrics (CPU, memory, event loop, GC); default true. */
  processMetrics?: boolean;
  /** Where a failed scrape-time query is reported. */
  log?: Pick<FastifyBaseLogger, 'warn'>;
}

/** Route label of requests that matched no route: one series, not one per scanned URL. */
export const UNMATCHED_ROUTE = 'unmatched';

export function createApiMetrics(options: ApiMetricsOptions = {}): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'borderline_http_request_duration_seconds',
    help: 'HTTP requests of the API by method, route pattern and status code: time to answer.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const auditWriteFailures = new Counter({
    name: 'borderline_audit_write_failures_total',
    help: 'Audit results that could not be written after every retry (each is in the error log).',
    registers: [registry],
  });
  const count = options.ordersNeedingAttention;
  if (count) {
    new Gauge({
      name: 'borderline_orders_needing_attention',
      help: 'Orders flagged needs_attention in the orders projection (a compensation kept failing, or a deadline passed).',
      registers: [registry],
      async collect() {
        try {
          this.set(await count());
        } catch (error) {
          // No sample rather than a stale one; the scrape itself still succeeds.
          this.reset();
          options.log?.warn({ err: error }, 'could not count orders needing attention');
        }
      },
    });
  }
  const fxAge = options.fxReferenceAgeSeconds;
  if (fxAge) {
    new Gauge({
      name: 'borderline_fx_reference_age_seconds',
      help:
        'Seconds since the newest imported ECB reference-rate day was published (FX_RATES=database): quotes and ' +
        'settlements are refused once it passes FX_MAX_AGE_DAYS, so alert well before.',
      registers: [registry],
      async collect() {
        try {
          const age = await fxAge();
          if (age === null) this.reset();
          else this.set(age);
        } catch (error) {
          this.reset();
          options.log?.warn({ err: error }, 'could not read the age of the reference rates');
        }
      },
    });
  }
  return { registry, httpDuration, auditWriteFailures };
}

/** Times every answer of `app` by route pattern (never the raw URL) and status. */
export function installHttpMetrics(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}

/**
 * The Prometheus listener: `GET /metrics` in the text exposition format, without
 * authentication, on its own port (METRICS_HOST:METRICS_PORT) so that it is reachable from the
 * monitoring network and not through the public API's load balancer.
 */
export function buildMetricsServer(
  metrics: ApiMetrics,
  logger: FastifyBaseLogger | false = false,
): FastifyInstance {
  const app = Fastify(logger ? { loggerInstance: logger } : { logger: false });
  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
  return app;
}
