// `npm run api`: the HTTP API alone. Run as many as you like behind a load balancer.
import { composeApi } from '../api/compose';
import { loadConfig, orderTimingsFrom, temporalUiOriginsFrom } from '../config';
import { temporalUiUrlFrom } from '../console/plugin';
import { migrate } from '../infra/database';
import { createLogger, loggerOptions } from '../infra/logger';
import { startTracingIfEnabled } from '../infra/telemetry';
import { databaseUrlFor, listenForMetrics, onShutdownSignal, runMain, temporalTargetFor } from './process';
import { version } from '../../package.json';

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'borderline-api');
  const database = databaseUrlFor(config);
  const temporal = temporalTargetFor(config);
  log.info({ database: database.source, temporal: temporal.source }, 'starting API');
  if (config.DATABASE_MIGRATE_ON_START) {
    const result = await migrate({ databaseUrl: database.url, log: (m) => log.info(m) });
    log.info({ applied: result.applied }, 'database migrated');
  }
  const tracing = startTracingIfEnabled(config, 'borderline-api');
  if (tracing) log.info({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }, 'OpenTelemetry tracing on');
  const api = await composeApi({
    databaseUrl: database.url,
    databasePoolSize: config.DATABASE_POOL_SIZE,
    temporal: temporal.target,
    stripeWebhookSecret: config.STRIPE_WEBHOOK_SECRET,
    quoteTtlSeconds: config.QUOTE_TTL_SECONDS,
    fxRates: { kind: config.FX_RATES, maxAgeDays: config.FX_MAX_AGE_DAYS },
    apiKeyCacheTtlMs: config.API_KEY_CACHE_TTL_MS,
    orderTimings: orderTimingsFrom(config),
    ordersTaskQueue: config.ORDERS_TASK_QUEUE,
    carrierWebhookSecret: config.CARRIER_WEBHOOK_SECRET,
    codecEndpoint: { allowedOrigins: temporalUiOriginsFrom(config) },
    temporalUiUrl: temporalUiUrlFrom(config),
    logger: loggerOptions(config.LOG_LEVEL, 'borderline-api'),
    bodyLimit: config.API_BODY_LIMIT_BYTES,
    version,
    tracing,
  });
  onShutdownSignal(async (signal) => {
    log.info({ signal }, 'stopping API: finishing requests in flight');
    await api.close();
    await tracing?.shutdown();
    log.info('API stopped');
  }, config.SHUTDOWN_GRACE_MS);
  const address = await api.app.listen({ host: config.API_HOST, port: config.API_PORT });
  log.info(`API listening on ${address} (OpenAPI at ${address}/docs)`);
  const metricsAddress = await listenForMetrics(
    api.metricsApp,
    { host: config.METRICS_HOST, port: config.METRICS_PORT },
    log,
  );
  if (metricsAddress) log.info(`API metrics at ${metricsAddress}`);
});
