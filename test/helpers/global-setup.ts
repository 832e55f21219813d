/**
 * Starts what integration tests talk to, once per `npm test` run:
 * - PostgreSQL: a fresh database on DATABASE_URL's server when it is set, otherwise an
 *   embedded PostgreSQL on a free port with a throwaway data folder; migrated.
 * - Temporal: TEMPORAL_ADDRESS when set, otherwise the real Temporal dev server (the pinned
 *   temporal CLI, found or built as src/infra/temporal/dev-server.ts says) on a free port.
 * - The product workflows, bundled once (BORDERLINE_WORKFLOW_BUNDLE).
 * Test files reach them through DATABASE_URL / TEMPORAL_ADDRESS, set here for the workers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client } from 'pg';
import { migrate, startEmbeddedPostgres } from '../../src/infra/database';
import { connectClient, ensureSearchAttributes, startTemporalDevServer } from '../../src/infra/temporal';
import { WORKFLOWS_PATH } from '../../src/worker';
import { withDatabase } from './database-url';

declare global {
  var __borderlineTeardown: (() => Promise<void>)[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const teardown: (() => Promise<void>)[] = [];
  globalThis.__borderlineTeardown = teardown;
  const started = Date.now();
  const log = (message: string) => process.stderr.write(`[test setup] ${message}\n`);

  if (process.env.DATABASE_URL) {
    const name = `borderline_test_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const serverUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = withDatabase(serverUrl, name);
    teardown.push(async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    });
    log(`PostgreSQL: database ${name} on the server of DATABASE_URL`);
  } else {
    const pg = await startEmbeddedPostgres();
    process.env.DATABASE_URL = pg.url;
    teardown.push(() => pg.stop());
    log(`PostgreSQL: embedded on port ${pg.port}`);
  }
  await migrate({ databaseUrl: process.env.DATABASE_URL });

  if (!process.env.TEMPORAL_ADDRESS) {
    const server = await startTemporalDevServer({ log });
    process.env.TEMPORAL_ADDRESS = server.address;
    teardown.push(() => server.stop());
    log(`Temporal: dev server at ${server.address} (${server.executable})`);
  } else {
    log(`Temporal: ${process.env.TEMPORAL_ADDRESS}`);
  }
  process.env.TEMPORAL_NAMESPACE ??= 'default';
  const temporal = await connectClient({
    address: process.env.TEMPORAL_ADDRESS,
    namespace: process.env.TEMPORAL_NAMESPACE,
    payloadCodec: null, // registers search attributes only: no payloads
  });
  await ensureSearchAttributes(temporal.connection, process.env.TEMPORAL_NAMESPACE);
  await temporal.close();

  // Bundle the product workflows once; every test worker loads this file.
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  const bundleDir = mkdtempSync(join(tmpdir(), 'borderline-bundle-'));
  process.env.BORDERLINE_WORKFLOW_BUNDLE = join(bundleDir, 'workflows.js');
  writeFileSync(process.env.BORDERLINE_WORKFLOW_BUNDLE, code);
  log(`ready in ${Date.now() - started} ms`);
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
};
