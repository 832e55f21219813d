// `npm run worker`: a Temporal worker. Run as many as you like; they share the task queues.
import { loadConfig } from '../config';
import { createDatabase, migrate, warnOfIdleConnectionError } from '../infra/database';
import { createLogger } from '../infra/logger';
import { startTracingIfEnabled } from '../infra/telemetry';
import {
  connectClient,
  connectWorker,
  ensureSearchAttributes,
  hostPort,
  installTemporalRuntime,
} from '../infra/temporal';
import { startWorker } from '../worker';
import { activityDepsFromConfig } from '../worker/deps';
import { databaseUrlFor, onShutdownSignal, runMain, temporalTargetFor } from './process';

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'borderline-worker');
  // Before any connection: the runtime (logs, Prometheus endpoint) is installed once per process.
  const runtime = installTemporalRuntime(log, {
    prometheusBindAddress: hostPort(config.METRICS_HOST, config.TEMPORAL_METRICS_PORT),
  });
  const tracing = startTracingIfEnabled(config, 'borderline-worker');
  if (tracing) log.info({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }, 'OpenTelemetry tracing on');
  const database = databaseUrlFor(config);
  const temporal = temporalTargetFor(config);
  log.info({ database: database.source, temporal: temporal.source }, 'starting worker');
  if (config.DATABASE_MIGRATE_ON_START) {
    await migrate({ databaseUrl: database.url, log: (m) => log.info(m) });
  }
  const client = await connectClient(temporal.target);
  const added = await ensureSearchAttributes(client.connection, temporal.target.namespace);
  if (added.length > 0) log.info({ added }, 'registered search attributes');
  await client.close();

  const db = createDatabase({
    url: database.url,
    poolSize: config.DATABASE_POOL_SIZE,
    onIdleConnectionError: warnOfIdleConnectionError(log),
  });
  const connection = await connectWorker(temporal.target);
  const worker = await startWorker({
    connection,
    namespace: temporal.target.namespace,
    taskQueue: config.ORDERS_TASK_QUEUE,
    deps: activityDepsFromConfig(config, db),
    payloadCodec: temporal.target.payloadCodec,
    shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
    tracing: tracing?.worker,
  });
  onShutdownSignal(async (signal) => {
    log.info({ signal }, 'stopping worker: finishing activities in flight');
    await worker.shutdown();
    await Promise.allSettled([connection.close(), db.$disconnect(), tracing?.shutdown()]);
    log.info('worker stopped');
  }, config.SHUTDOWN_GRACE_MS);
  log.info(
    { taskQueue: worker.worker.options.taskQueue, metrics: runtime.metricsAddress ?? null },
    runtime.metricsAddress
      ? `worker running (metrics at http://${runtime.metricsAddress}/metrics)`
      : 'worker running',
  );
  await worker.running;
});
