#!/usr/bin/env node
// Generates the Prisma client (src/generated/prisma) from prisma/schema.prisma. Runs at
// `npm ci` (postinstall) and by `npm run generate`.
//
// Generation does not use Prisma's native schema engine, but the CLI tries to download it
// first, and that fails on a machine without internet. When no engine is configured, point
// PRISMA_SCHEMA_ENGINE_BINARY (Prisma's documented override) at a placeholder so the download
// is skipped. Migrations never need the engine here: src/infra/database/migrate.ts applies them.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync, chmodSync } = require('node:fs');
const { join } = require('node:path');
const os = require('node:os');

const root = join(__dirname, '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const placeholder = join(os.tmpdir(), 'borderline-prisma-no-schema-engine');
  if (!existsSync(placeholder)) {
    mkdirSync(os.tmpdir(), { recursive: true });
    writeFileSync(
      placeholder,
      '#!/bin/sh\necho "Borderline: Prisma schema engine is not installed; migrations run via npm run migrate" >&2\nexit 1\n',
    );
    chmodSync(placeholder, 0o755);
  }
  env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}
const cli = require.resolve('prisma/build/index.js', { paths: [root] });
const result = spawnSync(
  process.execPath,
  [cli, 'generate', '--schema', join(root, 'prisma', 'schema.prisma')],
  {
    cwd: root,
    env,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
