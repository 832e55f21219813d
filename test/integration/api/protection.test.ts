/**
 * What protects the API before any route runs: per-key rate limits (per IP without a valid
 * key), load shedding under pressure, security headers, CORS and the body size limit, each
 * answering in the project's error shape.
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApi, type TestApi } from '../../helpers/api';

const errorOf = (res: { json(): unknown }) => (res.json() as { error: Record<string, unknown> }).error;

describe('rate limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ protection: { rateLimitPerMinute: 5 } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('allows each key its limit a minute, then answers 429 RATE_LIMITED with Retry-After', async () => {
    for (let i = 0; i < 5; i += 1) {
      const res = await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth('support') });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    const refused = await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth('support') });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.headers['content-type']).toMatch(/application\/json/);
    expect(errorOf(refused)).toMatchObject({
      code: 'RATE_LIMITED',
      requestId: refused.headers['x-request-id'],
      details: { limit: 5 },
    });

    // Another key has its own allowance.
    const other = await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth('finance') });
    expect(other.statusCode).toBe(200);
  });

  it('never limits /health or the webhooks', async () => {
    for (let i = 0; i < 12; i += 1) {
      const health = await api.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      const webhook = await api.app.inject({
        method: 'POST',
        url: '/v1/webhooks/stripe',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(webhook.statusCode).toBe(400); // unsigned: refused, but never rate-limited
    }
  });

  it('limits requests without a valid key by client IP (no key, unknown key)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await api.app.inject({
        method: 'GET',
        url: '/v1/me',
        remoteAddress: '198.51.100.7',
        headers:
          i % 2 === 0 ? {} : { authorization: 'Bearer bl_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Another IP is not affected.
    const elsewhere = await api.app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '198.51.100.8' });
    expect(elsewhere.statusCode).toBe(401);
  });
});

describe('load shedding', () => {
  it('answers 503 DEPENDENCY_UNAVAILABLE with Retry-After while a health check fails, /health excepted', async () => {
    let healthy = true;
    const api = await startTestApi({
      protection: {
        pressure: { healthCheck: async () => healthy, healthCheckIntervalMs: 10, retryAfterSeconds: 7 },
      },
    });
    try {
      expect(
        (await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth('admin') })).statusCode,
      ).toBe(200);
      healthy = false;
      await sleep(60);
      const shed = await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth('admin') });
      expect(shed.statusCode).toBe(503);
      expect(shed.headers['retry-after']).toBe('7');
      expect(errorOf(shed)).toEqual({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: expect.any(String),
        requestId: shed.headers['x-request-id'],
      });
      expect((await api.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      healthy = true;
      await sleep(60);
      expect(
        (await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth('admin') })).statusCode,
      ).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('sheds load when the event loop is blocked longer than the configured delay', async () => {
    const api = await startTestApi({
      protection: { pressure: { maxEventLoopDelayMs: 50, sampleIntervalMs: 100 } },
    });
    try {
      let shedStatus: number | undefined;
      for (let attempt = 0; attempt < 5 && shedStatus !== 503; attempt += 1) {
        await sleep(150);
        const until = Date.now() + 400;
        while (Date.now() < until) {
          // a saturated process: nothing else runs
        }
        await sleep(1); // the monitor's overdue sample runs first
        const res = await api.app.inject({ method: 'GET', url: '/health' });
        expect(res.statusCode).toBe(200); // liveness is never shed
        shedStatus = (await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth('admin') }))
          .statusCode;
      }
      expect(shedStatus).toBe(503);
      // Once the loop is free again, requests are served.
      await sleep(350);
      expect(
        (await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth('admin') })).statusCode,
      ).toBe(200);
    } finally {
      await api.close();
    }
  });
});

describe('security headers and CORS', () => {
  let api: TestApi;
  let corsApi: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    corsApi = await startTestApi({ protection: { corsAllowedOrigins: ['https://shop.example.com'] } });
  });
  afterAll(async () => {
    await Promise.all([api?.close(), corsApi?.close()]);
  });

  it('sends security headers on every answer, errors included, with a closed CSP for the JSON API', async () => {
    for (const res of [
      await api.app.inject({ method: 'GET', url: '/health' }),
      await api.app.inject({ method: 'GET', url: '/v1/me' }), // 401
      await api.app.inject({ method: 'GET', url: '/nowhere' }), // 404
    ]) {
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it("gives Swagger UI its own CSP: scripts and styles from 'self', usable over plain HTTP", async () => {
    const page = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    // Everything the page loads is served from /docs/static.
    const assets = [...page.body.matchAll(/(?:src|href)="(\/docs\/static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/docs/static/swagger-initializer.js']));
    expect(page.body).not.toMatch(/<script>|<style>| on\w+="/); // nothing inline for the CSP to refuse
    for (const asset of assets) {
      const res = await api.app.inject({ method: 'GET', url: asset });
      expect({ asset, status: res.statusCode }).toEqual({ asset, status: 200 });
    }
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { ...api.auth('support'), origin: 'https://shop.example.com' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await api.app.inject({
      method: 'OPTIONS',
      url: '/v1/orders',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(404);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(errorOf(preflight).code).toBe('NOT_FOUND');
  });

  it('allows the configured origins, on answers and refusals, and no other', async () => {
    const allowed = await corsApi.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { ...corsApi.auth('support'), origin: 'https://shop.example.com' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(String(allowed.headers['access-control-expose-headers'])).toMatch(/x-request-id/);
    expect(String(allowed.headers.vary)).toMatch(/Origin/i);

    const refused = await corsApi.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { origin: 'https://shop.example.com' },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('https://shop.example.com');

    const preflight = await corsApi.app.inject({
      method: 'OPTIONS',
      url: '/v1/orders',
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/idempotency-key/);
    expect(String(preflight.headers['access-control-allow-methods'])).toMatch(/POST/);

    const other = await corsApi.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { ...corsApi.auth('support'), origin: 'https://evil.example.net' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const otherPreflight = await corsApi.app.inject({
      method: 'OPTIONS',
      url: '/v1/orders',
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    expect(otherPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('body size limit', () => {
  let api: TestApi;
  let base: string;
  beforeAll(async () => {
    api = await startTestApi();
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['a JSON route', '/v1/api-keys', 'admin' as const],
    ['the Stripe webhook (raw body)', '/v1/webhooks/stripe', undefined],
  ])('answers 413 PAYLOAD_TOO_LARGE in the error shape over HTTP on %s', async (_label, path, role) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(role ? api.auth(role) : {}) },
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), role: 'admin' }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      requestId: res.headers.get('x-request-id'),
    });
  });
});
