/**
 * The console's server side without the rest of the API: files served from the built folder
 * (or a 503 saying how to build it), the settings route, and which Temporal Web UI it links to.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { installErrorHandling } from '../../../src/api/plugins/errors';
import { ErrorBody } from '../../../src/api/schemas';
import { consoleRoutes, temporalUiUrlFrom } from '../../../src/console/plugin';

async function app(assetsDir: string, temporalUiUrl?: string) {
  const fastify = Fastify();
  installErrorHandling(fastify);
  fastify.addSchema(ErrorBody);
  await fastify.register(consoleRoutes, {
    assetsDir,
    temporalNamespace: 'orders-ns',
    ...(temporalUiUrl ? { temporalUiUrl } : {}),
  });
  return fastify;
}

describe('the console plugin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'app.js'), 'export {};');

  it('serves the page with its own CSP, the files with ETags, and nothing else', async () => {
    const fastify = await app(dir);
    const page = await fastify.inject({ method: 'GET', url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await fastify.inject({ method: 'GET', url: '/console/' })).body).toBe(page.body);
    const js = await fastify.inject({ method: 'GET', url: '/console/app.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const again = await fastify.inject({
      method: 'GET',
      url: '/console/app.js',
      headers: { 'if-none-match': String(js.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect((await fastify.inject({ method: 'GET', url: '/console/../package.json' })).statusCode).toBe(404);
    expect((await fastify.inject({ method: 'GET', url: '/console/nope.js' })).statusCode).toBe(404);
    await fastify.close();
  });

  it('says how to build the console when it is not built', async () => {
    const fastify = await app(join(dir, 'missing'));
    const res = await fastify.inject({ method: 'GET', url: '/console' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run console:build');
    await fastify.close();
  });

  it('tells the page where the Temporal Web UI is', async () => {
    const fastify = await app(dir, 'https://temporal.example.com/');
    const res = await fastify.inject({ method: 'GET', url: '/v1/console/settings' });
    expect(res.json()).toEqual({
      temporalUiUrl: 'https://temporal.example.com',
      temporalNamespace: 'orders-ns',
    });
    await fastify.close();
  });

  it('links to TEMPORAL_UI_URL, else the first TEMPORAL_UI_ORIGIN, else the dev UI outside production', () => {
    const base = { TEMPORAL_UI_PORT: 8233, NODE_ENV: 'development' };
    expect(temporalUiUrlFrom({ ...base, TEMPORAL_UI_URL: 'https://t.example.com/ui/' })).toBe(
      'https://t.example.com/ui',
    );
    expect(
      temporalUiUrlFrom({ ...base, TEMPORAL_UI_ORIGIN: 'https://a.example.com, https://b.example.com' }),
    ).toBe('https://a.example.com');
    expect(temporalUiUrlFrom(base)).toBe('http://localhost:8233');
    expect(temporalUiUrlFrom({ ...base, NODE_ENV: 'production' })).toBeUndefined();
  });
});
