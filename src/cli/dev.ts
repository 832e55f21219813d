// `npm run dev`: the whole system on one machine with embedded defaults: PostgreSQL (embedded,
// unless DATABASE_URL), the Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS), the
// Stripe, customs broker and carrier sandboxes (unless STRIPE_API_BASE, CUSTOMS_BROKER_URL,
// CARRIER_API_URL), the worker and the API. Data survives restarts under
// DATA_DIR. Ctrl-C stops everything.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { ApiKeyStore, ROLES } from '../access';
import { composeApi } from '../api/compose';
import {
  loadConfig,
  orderTimingsFrom,
  payloadKeyringFrom,
  temporalUiOriginsFrom,
  usesOnlyDevPayloadKey,
} from '../config';
import { temporalUiUrlFrom } from '../console/plugin';
import { createDatabase, migrate, startEmbeddedPostgres, warnOfIdleConnectionError } from '../infra/database';
import { createLogger } from '../infra/logger';
import { startTracingIfEnabled } from '../infra/telemetry';
import {
  connectWorker,
  EncryptionCodec,
  ensureSearchAttributes,
  hostPort,
  installTemporalRuntime,
  startTemporalDevServer,
  type TemporalTarget,
} from '../infra/temporal';
import { startWorker } from '../worker';
import { activityDepsFromConfig } from '../worker/deps';
import { ensureDevKeys } from './dev-keys';
import { seedDevMerchants } from './dev-seed';
import {
  connectCarrierWebhooks,
  startDevCarrierSandbox,
  startDevCustomsBrokerSandbox,
} from './dev-logistics';
import { connectStripeWebhooks, startDevStripeSandbox } from './dev-stripe';
import { listenForMetrics, onShutdownSignal, runMain } from './process';
import { version } from '../../package.json';

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'borderline-dev');
  // Before any connection: the runtime (logs, the worker's Prometheus endpoint), once per process.
  const runtime = installTemporalRuntime(log, {
    prometheusBindAddress: hostPort(config.METRICS_HOST, config.TEMPORAL_METRICS_PORT),
  });
  const tracing = startTracingIfEnabled(config, 'borderline-dev');
  const say = (message: string) => process.stdout.write(`${message}\n`);
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const { name, stop } of stops.reverse()) {
      say(`  stopping ${name}`);
      await stop().catch((error: unknown) => say(`  ${name}: ${String((error as Error).message ?? error)}`));
    }
  };
  onShutdownSignal(async () => {
    say('\nStopping Borderline dev…');
    await stopAll();
    say('Stopped.');
  }, config.SHUTDOWN_GRACE_MS);

  if (tracing) stops.push({ name: 'tracing', stop: () => tracing.shutdown() });

  try {
    const dataDir = resolve(config.DATA_DIR);
    mkdirSync(dataDir, { recursive: true });
    say(`Borderline dev: data in ${dataDir}`);

    let databaseUrl = config.DATABASE_URL;
    let databaseWhere = 'DATABASE_URL';
    if (!databaseUrl) {
      say(`Starting embedded PostgreSQL on port ${config.EMBEDDED_POSTGRES_PORT}…`);
      const pg = await startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: config.EMBEDDED_POSTGRES_PORT,
      });
      stops.push({ name: 'PostgreSQL', stop: () => pg.stop() });
      databaseUrl = pg.url;
      databaseWhere = `${pg.url.replace(/:[^:@/]+@/, ':***@')} (embedded, data in ${pg.dataDir})`;
    }
    const migrated = await migrate({ databaseUrl, log: (m) => say(`  ${m}`) });
    say(`Database migrated (${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already).`);
    await seedDevMerchants({ databaseUrl, log: say });

    // Every payload to Temporal is encrypted (API client, worker); the Web UI decodes them
    // through the API's codec endpoint. With the published dev key (the default) that endpoint
    // needs no API key: the key is public, so it would protect nothing.
    const payloadKeys = payloadKeyringFrom(config);
    const payloadCodec = new EncryptionCodec(payloadKeys);
    const codecAnonymous = usesOnlyDevPayloadKey(payloadKeys);
    const browserHost = ['0.0.0.0', '::'].includes(config.API_HOST) ? '127.0.0.1' : config.API_HOST;
    const codecUrl = config.API_PORT
      ? `http://${browserHost.includes(':') ? `[${browserHost}]` : browserHost}:${config.API_PORT}/codec`
      : undefined;

    let temporal: TemporalTarget;
    let uiUrl: string | undefined;
    if (config.TEMPORAL_ADDRESS) {
      temporal = {
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        apiKey: config.TEMPORAL_API_KEY,
        tls: config.TEMPORAL_TLS,
        payloadCodec,
      };
    } else {
      say(`Starting the Temporal dev server on port ${config.TEMPORAL_DEV_PORT}…`);
      const server = await startTemporalDevServer({
        cliPath: config.TEMPORAL_CLI_PATH,
        cacheDir: config.BORDERLINE_CACHE_DIR,
        namespace: config.TEMPORAL_NAMESPACE,
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        uiCodecEndpoint: codecUrl,
        dbFilename: join(dataDir, 'temporal.sqlite'),
        log: say,
      });
      stops.push({ name: 'Temporal dev server', stop: () => server.stop() });
      temporal = { address: server.address, namespace: server.namespace, payloadCodec };
      uiUrl = server.uiUrl;
    }

    if (!config.STRIPE_API_BASE) say(`Starting the Stripe sandbox on port ${config.STRIPE_SANDBOX_PORT}…`);
    const stripeSandbox = await startDevStripeSandbox(config, say);
    if (stripeSandbox) stops.push({ name: 'Stripe sandbox', stop: () => stripeSandbox.close() });
    if (!config.CUSTOMS_BROKER_URL)
      say(`Starting the customs broker sandbox on port ${config.CUSTOMS_SANDBOX_PORT}…`);
    const customsSandbox = await startDevCustomsBrokerSandbox(config, say);
    if (customsSandbox) stops.push({ name: 'customs broker sandbox', stop: () => customsSandbox.close() });
    if (!config.CARRIER_API_URL) say(`Starting the carrier sandbox on port ${config.CARRIER_SANDBOX_PORT}…`);
    const carrierSandbox = await startDevCarrierSandbox(config, say);
    if (carrierSandbox) stops.push({ name: 'carrier sandbox', stop: () => carrierSandbox.close() });

    const api = await composeApi({
      databaseUrl,
      databasePoolSize: config.DATABASE_POOL_SIZE,
      temporal,
      stripeWebhookSecret: config.STRIPE_WEBHOOK_SECRET,
      quoteTtlSeconds: config.QUOTE_TTL_SECONDS,
      fxRates: { kind: config.FX_RATES, maxAgeDays: config.FX_MAX_AGE_DAYS },
      apiKeyCacheTtlMs: config.API_KEY_CACHE_TTL_MS,
      orderTimings: orderTimingsFrom(config),
      ordersTaskQueue: config.ORDERS_TASK_QUEUE,
      carrierWebhookSecret: config.CARRIER_WEBHOOK_SECRET,
      codecEndpoint: { allowedOrigins: temporalUiOriginsFrom(config), allowAnonymous: codecAnonymous },
      temporalUiUrl: temporalUiUrlFrom(config),
      logger: log.child({ component: 'api' }),
      bodyLimit: config.API_BODY_LIMIT_BYTES,
      version,
      tracing,
    });
    const added = await ensureSearchAttributes(api.temporal.connection, temporal.namespace);
    if (added.length) say(`Registered search attributes: ${added.join(', ')}`);

    const workerDb = createDatabase({
      url: databaseUrl,
      poolSize: config.DATABASE_POOL_SIZE,
      onIdleConnectionError: warnOfIdleConnectionError(log),
    });
    const workerConnection = await connectWorker(temporal);
    say('Starting the worker (bundling workflows)…');
    const worker = await startWorker({
      connection: workerConnection,
      namespace: temporal.namespace,
      taskQueue: config.ORDERS_TASK_QUEUE,
      deps: activityDepsFromConfig(config, workerDb),
      payloadCodec,
      shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
      tracing: tracing?.worker,
    });
    stops.push({
      name: 'worker',
      stop: async () => {
        await worker.shutdown();
        await Promise.allSettled([workerConnection.close(), workerDb.$disconnect()]);
      },
    });
    // Stopped first (stops run newest first): no new requests, then the worker drains.
    stops.push({ name: 'API', stop: () => api.close() });
    worker.running.catch((error: unknown) => log.error({ err: error }, 'worker crashed'));

    const devKeys = await ensureDevKeys(new ApiKeyStore(api.db), join(dataDir, 'dev-keys.json'));
    const apiAddress = await api.app.listen({ host: config.API_HOST, port: config.API_PORT });
    const apiMetrics = await listenForMetrics(
      api.metricsApp,
      { host: config.METRICS_HOST, port: config.METRICS_PORT },
      log,
    );
    const webhookUrl = stripeSandbox
      ? connectStripeWebhooks(stripeSandbox, config.API_HOST, (api.app.server.address() as AddressInfo).port)
      : undefined;
    const carrierWebhookUrl = carrierSandbox
      ? connectCarrierWebhooks(
          carrierSandbox,
          config.API_HOST,
          (api.app.server.address() as AddressInfo).port,
        )
      : undefined;

    const check = await api.temporal.client.workflow.execute('systemCheckWorkflow', {
      taskQueue: config.ORDERS_TASK_QUEUE,
      workflowId: `system-check-${Date.now()}`,
      workflowExecutionTimeout: '30 seconds',
    });

    say('');
    say('Borderline is up:');
    say(
      `  API              ${apiAddress}   (OpenAPI UI: ${apiAddress}/docs, readiness: ${apiAddress}/ready)`,
    );
    say(`  Console          ${apiAddress}/console   (sign in with a support, finance or admin key)`);
    say(
      `  Worker           task queue "${config.ORDERS_TASK_QUEUE}" (system check ok, database ${check.database.latencyMs} ms)`,
    );
    say(`  Temporal         ${temporal.address}   namespace "${temporal.namespace}"`);
    say(
      `  Temporal Web UI  ${uiUrl ?? '(not started: TEMPORAL_ADDRESS is set)'}` +
        (uiUrl && codecUrl ? `   (decodes payloads through ${codecUrl})` : ''),
    );
    say(
      `  Payloads         encrypted (AES-256-GCM) with key "${payloadKeys.currentKeyId}"` +
        (codecAnonymous
          ? ' (the published dev key; the codec endpoint needs no API key)'
          : ' (the codec endpoint needs a support, finance or admin key)'),
    );
    say(
      `  Metrics          API ${apiMetrics ?? '(not served: METRICS_PORT in use)'}, worker ` +
        (runtime.metricsAddress
          ? `http://${runtime.metricsAddress}/metrics`
          : '(not served: TEMPORAL_METRICS_PORT in use)'),
    );
    say(
      tracing
        ? `  Tracing          OpenTelemetry spans to ${config.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`
        : '  Tracing          off (OTEL_TRACING=true sends OpenTelemetry spans over OTLP/HTTP)',
    );
    say(`  PostgreSQL       ${databaseWhere}`);
    say(
      stripeSandbox
        ? `  Stripe sandbox   ${stripeSandbox.url}   (webhooks to ${webhookUrl}, signed with STRIPE_WEBHOOK_SECRET)`
        : `  Stripe           ${config.STRIPE_API_BASE}   (STRIPE_API_BASE; sandbox not started)`,
    );
    say(
      customsSandbox
        ? `  Customs broker   ${customsSandbox.url}   (sandbox; answers after ~1 s)`
        : `  Customs broker   ${config.CUSTOMS_BROKER_URL}   (CUSTOMS_BROKER_URL; sandbox not started)`,
    );
    say(
      carrierSandbox
        ? `  Carrier sandbox  ${carrierSandbox.url}   (tracking webhooks to ${carrierWebhookUrl}, signed with CARRIER_WEBHOOK_SECRET, sent twice and out of order)`
        : `  Carrier          ${config.CARRIER_API_URL}   (CARRIER_API_URL; sandbox not started)`,
    );
    say('');
    say(`Dev API keys (also in ${join(dataDir, 'dev-keys.json')}):`);
    for (const role of ROLES) say(`  ${role.padEnd(9)} ${devKeys[role]}`);
    say('');
    say(`Try: curl -H "Authorization: Bearer ${devKeys.support}" ${apiAddress}/ready`);
    say('Ctrl-C stops everything.');
  } catch (error) {
    await stopAll();
    throw error;
  }
});
