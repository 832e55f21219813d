// `npm run dev`: the whole system on one machine with embedded defaults: PostgreSQL (embedded,
// unless DATABASE_URL), the Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS), the
// Stripe sandbox (unless STRIPE_API_BASE), the worker and the API. Data survives restarts under
// DATA_DIR. Ctrl-C stops everything.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { ApiKeyStore, ROLES } from '../access';
import { composeApi } from '../api/compose';
import { loadConfig } from '../config';
import { ORDERS_TASK_QUEUE } from '../domain/orders/temporal';
import { createDatabase, migrate, startEmbeddedPostgres } from '../infra/database';
import { createLogger } from '../infra/logger';
import {
  connectWorker,
  ensureSearchAttributes,
  installTemporalLogging,
  startTemporalDevServer,
  type TemporalTarget,
} from '../infra/temporal';
import { startWorker } from '../worker';
import { ensureDevKeys } from './dev-keys';
import { seedDevMerchants } from './dev-seed';
import { connectStripeWebhooks, startDevStripeSandbox } from './dev-stripe';
import { onShutdownSignal, runMain } from './process';
import { version } from '../../package.json';

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'borderline-dev');
  installTemporalLogging(log);
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

    let temporal: TemporalTarget;
    let uiUrl: string | undefined;
    if (config.TEMPORAL_ADDRESS) {
      temporal = {
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        apiKey: config.TEMPORAL_API_KEY,
        tls: config.TEMPORAL_TLS,
      };
    } else {
      say(`Starting the Temporal dev server on port ${config.TEMPORAL_DEV_PORT}…`);
      const server = await startTemporalDevServer({
        cliPath: config.TEMPORAL_CLI_PATH,
        cacheDir: config.BORDERLINE_CACHE_DIR,
        namespace: config.TEMPORAL_NAMESPACE,
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFilename: join(dataDir, 'temporal.sqlite'),
        log: say,
      });
      stops.push({ name: 'Temporal dev server', stop: () => server.stop() });
      temporal = { address: server.address, namespace: server.namespace };
      uiUrl = server.uiUrl;
    }

    if (!config.STRIPE_API_BASE) say(`Starting the Stripe sandbox on port ${config.STRIPE_SANDBOX_PORT}…`);
    const stripeSandbox = await startDevStripeSandbox(config);
    if (stripeSandbox) stops.push({ name: 'Stripe sandbox', stop: () => stripeSandbox.close() });

    const api = await composeApi({
      databaseUrl,
      databasePoolSize: config.DATABASE_POOL_SIZE,
      temporal,
      stripeWebhookSecret: config.STRIPE_WEBHOOK_SECRET,
      quoteTtlSeconds: config.QUOTE_TTL_SECONDS,
      logger: log.child({ component: 'api' }),
      bodyLimit: config.API_BODY_LIMIT_BYTES,
      version,
    });
    const added = await ensureSearchAttributes(api.temporal.connection, temporal.namespace);
    if (added.length) say(`Registered search attributes: ${added.join(', ')}`);

    const workerDb = createDatabase({ url: databaseUrl, poolSize: config.DATABASE_POOL_SIZE });
    const workerConnection = await connectWorker(temporal);
    say('Starting the worker (bundling workflows)…');
    const worker = await startWorker({
      connection: workerConnection,
      namespace: temporal.namespace,
      deps: { db: workerDb },
      shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
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
    const webhookUrl = stripeSandbox
      ? connectStripeWebhooks(stripeSandbox, config.API_HOST, (api.app.server.address() as AddressInfo).port)
      : undefined;

    const check = await api.temporal.client.workflow.execute('systemCheckWorkflow', {
      taskQueue: ORDERS_TASK_QUEUE,
      workflowId: `system-check-${Date.now()}`,
      workflowExecutionTimeout: '30 seconds',
    });

    say('');
    say('Borderline is up:');
    say(
      `  API              ${apiAddress}   (OpenAPI UI: ${apiAddress}/docs, readiness: ${apiAddress}/ready)`,
    );
    say(
      `  Worker           task queue "${ORDERS_TASK_QUEUE}" (system check ok, database ${check.database.latencyMs} ms)`,
    );
    say(`  Temporal         ${temporal.address}   namespace "${temporal.namespace}"`);
    say(`  Temporal Web UI  ${uiUrl ?? '(not started: TEMPORAL_ADDRESS is set)'}`);
    say(`  PostgreSQL       ${databaseWhere}`);
    say(
      stripeSandbox
        ? `  Stripe sandbox   ${stripeSandbox.url}   (webhooks to ${webhookUrl}, signed with STRIPE_WEBHOOK_SECRET)`
        : `  Stripe           ${config.STRIPE_API_BASE}   (STRIPE_API_BASE; sandbox not started)`,
    );
    say('  Other sandboxes  customs broker and carrier arrive with the order-saga issue');
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
