#!/usr/bin/env node
// Builds the web console (console/src, Preact + TSX) into dist/console: app.js (one ES module,
// minified, with its source map), app.css and index.html. Runs at `npm ci` (postinstall) and
// by `npm run console:build`; the API serves the folder at /console (src/console/plugin.ts).
// Nothing is fetched at run time: Preact is bundled in app.js.
'use strict';
const { mkdirSync, copyFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const esbuild = require('esbuild');

const here = __dirname;
const out = join(here, '..', 'dist', 'console');

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, 'src', 'main.tsx')],
    outfile: join(out, 'app.js'),
    bundle: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
  copyFileSync(join(here, 'styles.css'), join(out, 'app.css'));
  process.stdout.write(`console built into ${out}\n`);
}

main().catch((error) => {
  process.stderr.write(`console build failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
