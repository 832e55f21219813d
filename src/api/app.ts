import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiKeyStore } from '../access';
import type { AuditLog } from '../infra/audit';
import { consoleRoutes, type ConsoleOptions } from '../console/plugin';
import { installAudit } from './plugins/audit';
import { declareRouteAccess, installAuth } from './plugins/auth';
import { installErrorHandling } from './plugins/errors';
import { installHttpMetrics, type ApiMetrics } from './plugins/metrics';
import { installOpenApi } from './plugins/openapi';
import { installProtection, type ProtectionOptions } from './plugins/protection';
import { buildValidator } from './plugins/validation';
import { accessRoutes } from './routes/access';
import { auditRoutes } from './routes/audit';
import { healthRoutes, type ReadinessCheck } from './routes/health';
import { carrierWebhookRoutes, type CarrierWebhookDependencies } from './routes/carrier-webhooks';
import { codecRoutes, type CodecRoutesDependencies } from './routes/codec';
import { financeRoutes, type FinanceRoutesDependencies } from './routes/finance';
import { orderRoutes, type OrderRoutesDependencies } from './routes/orders';
import { quoteRoutes, type QuoteRoutesDependencies } from './routes/quotes';
import { reconciliationRoutes, type ReconciliationRoutesDependencies } from './routes/reconciliations';
import { settlementRoutes, type SettlementRoutesDependencies } from './routes/settlements';
import { stripeWebhookRoutes, type StripeWebhookDependencies } from './routes/stripe-webhooks';
import { ErrorBody } from './schemas';

export interface AppDependencies {
  keys: ApiKeyStore;
  /** What GET /ready checks, by name (database, temporal). */
  readiness: Record<string, ReadinessCheck>;
  /**
   * POST /v1/quotes, GET /v1/quotes/:id: merchants, quote store, FX source, carrier rates, TTL.
   * Omitted (tests of other routes only): the quote routes are not served.
   */
  quotes?: QuoteRoutesDependencies;
  /** The order routes (place, read, list, cancel, review, retry). Omitted: not served. */
  orders?: OrderRoutesDependencies;
  /** Finance's reconciliation runs (start, read, list). Omitted: not served. */
  reconciliations?: ReconciliationRoutesDependencies;
  /** Finance's settlement runs (start, progress, report). Omitted: not served. */
  settlements?: SettlementRoutesDependencies;
  /** Finance's read-only reports (GET /v1/finance/daily-totals). Omitted: not served. */
  finance?: FinanceRoutesDependencies;
  /** The web console (/console, GET /v1/console/settings). Omitted: not served. */
  console?: ConsoleOptions;
  /** POST /v1/webhooks/carrier (tracking events to the order workflows). Omitted: not served. */
  carrierWebhooks?: CarrierWebhookDependencies;
  /** POST /codec/decode, /codec/encode: Temporal payloads for the Web UI and CLI. Omitted: not served. */
  codec?: CodecRoutesDependencies;
  /** POST /v1/webhooks/stripe: the endpoint secret, the event store, the hand-off seam. */
  stripeWebhooks: StripeWebhookDependencies;
  /**
   * The audit log: written for routes with `config.audit`, read at GET /v1/audit. Omitted (tests
   * of other routes only): nothing is audited and /v1/audit is not served.
   */
  audit?: AuditLog;
}

export interface AppOptions {
  deps: AppDependencies;
  /** pino options, a pino logger, or false to log nothing (tests). */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  bodyLimit?: number;
  version?: string;
  /** Rate limit, load shedding, CORS origins (defaults: 600 a minute, 1 s loop delay, no CORS). */
  protection?: ProtectionOptions;
  /** Where HTTP request durations (and audit write failures) are counted; omitted: nowhere. */
  metrics?: ApiMetrics;
  /** OpenTelemetry: a span per request, active while it is handled (OTEL_TRACING); omitted: none. */
  tracing?: { instrumentHttp(app: FastifyInstance): void };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The secrets that must never reach a log line. */
export const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'headers.authorization',
];

/**
 * Builds the HTTP API as a Fastify instance, not yet listening: the server (`npm run api`)
 * listens on it, tests call `app.inject`.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(isLoggerInstance(options.logger)
      ? { loggerInstance: options.logger }
      : { logger: options.logger ?? false }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Echo a caller's request id when it is sane, otherwise make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    schemaController: { compilersFactory: { buildValidator } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  app.addSchema(ErrorBody);
  // JSON only: the default text/plain parser would let a wrongly typed body through.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Graceful shutdown: answers finished while closing end their connection, so close() does not
  // wait for clients' keep-alive connections to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });

  // Order matters: the route table first (every route declares its audience), then load
  // shedding, security headers and CORS (so that every answer, refusals included, has them),
  // then authentication, the rate limit (keyed by the caller it identified) and authorisation.
  declareRouteAccess(app);
  const { rateLimiter } = await installProtection(app, options.protection);
  if (options.metrics) installHttpMetrics(app, options.metrics);
  options.tracing?.instrumentHttp(app);
  installAuth(app, options.deps.keys, { afterIdentification: [rateLimiter] });
  const auditLog = options.deps.audit;
  if (auditLog) {
    installAudit(app, auditLog, { onWriteFailure: () => options.metrics?.auditWriteFailures.inc() });
  }
  await installOpenApi(app, options.version ?? '0.0.0');

  await app.register(healthRoutes, { checks: options.deps.readiness });
  await app.register(accessRoutes, { keys: options.deps.keys });
  if (auditLog) await app.register(auditRoutes, { log: auditLog });
  if (options.deps.quotes) await app.register(quoteRoutes, options.deps.quotes);
  if (options.deps.orders) await app.register(orderRoutes, options.deps.orders);
  if (options.deps.reconciliations) await app.register(reconciliationRoutes, options.deps.reconciliations);
  if (options.deps.settlements) await app.register(settlementRoutes, options.deps.settlements);
  if (options.deps.finance) await app.register(financeRoutes, options.deps.finance);
  if (options.deps.console) await app.register(consoleRoutes, options.deps.console);
  if (options.deps.carrierWebhooks) await app.register(carrierWebhookRoutes, options.deps.carrierWebhooks);
  if (options.deps.codec) await app.register(codecRoutes, options.deps.codec);
  await app.register(stripeWebhookRoutes, options.deps.stripeWebhooks);

  return app;
}

function isLoggerInstance(logger: AppOptions['logger']): logger is FastifyBaseLogger {
  return (
    typeof logger === 'object' && logger !== null && typeof (logger as FastifyBaseLogger).child === 'function'
  );
}
