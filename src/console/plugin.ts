import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { AppError } from '../errors';
import { withErrors } from '../api/schemas';

/** Where `node console/build.js` (run at `npm ci`) writes the console's bundle: dist/console. */
export const CONSOLE_ASSETS_DIR = join(projectRoot(__dirname), 'dist', 'console');

/** The folder with package.json above this file (src/console, or dist/src/console once built). */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(from, '..', '..');
  }
}

export interface ConsoleOptions {
  /** The built console (index.html, app.js, app.css); default CONSOLE_ASSETS_DIR. */
  assetsDir?: string;
  /** Base URL of the Temporal Web UI, for links to an order's workflow; unset: no links. */
  temporalUiUrl?: string;
  /** The namespace order workflows run in. */
  temporalNamespace: string;
}

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The console's page may load its own script and style and call its own origin; nothing else. */
const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SettingsBody = Type.Object(
  {
    temporalUiUrl: Type.Union([Type.String(), Type.Null()], {
      description: 'Base URL of the Temporal Web UI (TEMPORAL_UI_URL); null: not configured.',
    }),
    temporalNamespace: Type.String(),
  },
  { title: 'ConsoleSettings' },
);

/**
 * The web console for support, finance and admin (console/ has its source): static files under
 * /console, served from memory without an API key, and GET /v1/console/settings (with a key)
 * for what the page needs to know about this deployment. Every data call of the page carries
 * the key the user signed in with, as `Authorization: Bearer`, like any API client.
 */
export const consoleRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, options) => {
  const assets = loadAssets(options.assetsDir ?? CONSOLE_ASSETS_DIR);

  const send = (reply: FastifyReply, name: string, ifNoneMatch: string | undefined) => {
    const asset = assets.get(name);
    if (!asset) {
      if (assets.size === 0) {
        // Said plainly (a 5xx error body would hide it): the fix is on the server.
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The console is not built: run `npm run console:build` (npm ci builds it).\n');
      }
      throw new AppError('NOT_FOUND', `/console/${name} does not exist`);
    }
    void reply
      .header('etag', asset.etag)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff');
    if (name.endsWith('.html')) void reply.header('content-security-policy', CONSOLE_CSP);
    if (ifNoneMatch === asset.etag) return reply.status(304).send();
    return reply.type(asset.type).send(asset.body);
  };

  const page = { auth: { public: true as const } };
  app.get('/console', { config: page, schema: { hide: true } }, (request, reply) =>
    send(reply, 'index.html', request.headers['if-none-match']),
  );
  app.get<{ Params: { '*': string } }>(
    '/console/*',
    { config: page, schema: { hide: true } },
    (request, reply) => send(reply, request.params['*'] || 'index.html', request.headers['if-none-match']),
  );

  app.get(
    '/v1/console/settings',
    {
      config: { auth: { roles: ['support', 'finance', 'admin'] } },
      schema: {
        summary: 'What the web console needs to know about this deployment',
        tags: ['console'],
        response: withErrors({ 200: SettingsBody }),
      },
    },
    async () => ({
      temporalUiUrl: options.temporalUiUrl?.replace(/\/+$/, '') ?? null,
      temporalNamespace: options.temporalNamespace,
    }),
  );
};

/** The bundle's files, read once (a handful of small files). */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { body, type, etag });
  }
  return assets;
}

/**
 * The Temporal Web UI the console links to: TEMPORAL_UI_URL, else the first TEMPORAL_UI_ORIGIN,
 * else (outside production) the UI `npm run dev` starts.
 */
export function temporalUiUrlFrom(config: {
  TEMPORAL_UI_URL?: string;
  TEMPORAL_UI_ORIGIN?: string;
  TEMPORAL_UI_PORT: number;
  NODE_ENV: string;
}): string | undefined {
  if (config.TEMPORAL_UI_URL) return config.TEMPORAL_UI_URL.trim().replace(/\/+$/, '');
  const origin = config.TEMPORAL_UI_ORIGIN?.split(',')[0]?.trim();
  if (origin) return origin.replace(/\/+$/, '');
  if (config.NODE_ENV === 'production') return undefined;
  return `http://localhost:${config.TEMPORAL_UI_PORT}`;
}
