import { startTestApi, type TestApi } from '../../helpers/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

/**
 * Keys the bad requests below would have created, by their names (other test files create keys
 * at the same time, so a count of all keys is not a witness).
 */
const countKeys = () => api.db.apiKey.count({ where: { name: { in: ['x', '12', 'a\u0007b'] } } });

describe('health and readiness', () => {
  it('answers /health without a key', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready with any role once PostgreSQL and Temporal answer', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/ready', headers: api.auth('support') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.checks.database.status).toBe('ok');
    expect(body.checks.temporal.status).toBe('ok');
  });

  it('refuses /ready without a key', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'authorization' });
  });
});

describe('authentication and roles', () => {
  it.each([
    ['no header', undefined],
    ['a malformed header', 'Token abc'],
    ['an unknown key', 'Bearer bl_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['garbage', 'Bearer not-a-key'],
  ])('answers 401 JSON for %s', async (_label, authorization) => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: authorization ? { authorization } : {},
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('tells each key its role', async () => {
    for (const role of ['checkout', 'support', 'finance', 'admin'] as const) {
      const res = await api.app.inject({ method: 'GET', url: '/v1/me', headers: api.auth(role) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ role, name: `test ${role}` });
    }
  });

  it.each(['checkout', 'support', 'finance'] as const)(
    'answers 403 JSON when %s calls an admin route',
    async (role) => {
      const res = await api.app.inject({ method: 'GET', url: '/v1/api-keys', headers: api.auth(role) });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    },
  );

  it('creates a key that works at once and stops working when revoked', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: api.auth('admin'),
      payload: { name: 'checkout eu-west', role: 'checkout' },
    });
    expect(created.statusCode).toBe(201);
    const { id, key, prefix } = created.json();
    expect(key.startsWith(prefix)).toBe(true);
    const stored = await api.db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(stored.keyHash).not.toContain(key.slice(12)); // only a hash is stored

    const me = await api.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(me.json()).toMatchObject({ keyId: id, role: 'checkout' });

    const revoked = await api.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${id}/revoke`,
      headers: api.auth('admin'),
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();

    const after = await api.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('lists keys without their secrets', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/v1/api-keys', headers: api.auth('admin') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data.length).toBeGreaterThanOrEqual(4);
    for (const key of body.data) {
      expect(key).not.toHaveProperty('key');
      expect(key).not.toHaveProperty('keyHash');
    }
    expect(JSON.stringify(body)).not.toContain(api.keyFor.finance);
  });
});

describe('bad input is a 400 that names the problem, and nothing is written', () => {
  const post = (payload: string, contentType = 'application/json') =>
    api.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { ...api.auth('admin'), 'content-type': contentType },
      payload,
    });

  it.each([
    ['broken JSON', '{"name": "x", "role": ', 'application/json', 'MALFORMED_JSON', undefined],
    ['an empty JSON body', '', 'application/json', 'MALFORMED_JSON', undefined],
    [
      'a wrong content type',
      'name=x&role=admin',
      'application/x-www-form-urlencoded',
      'UNSUPPORTED_CONTENT_TYPE',
      'content-type',
    ],
    ['text/plain', '{"name":"x","role":"admin"}', 'text/plain', 'UNSUPPORTED_CONTENT_TYPE', 'content-type'],
    ['a missing field', '{"name":"x"}', 'application/json', 'VALIDATION_FAILED', 'role'],
    ['an unknown role', '{"name":"x","role":"root"}', 'application/json', 'VALIDATION_FAILED', 'role'],
    [
      'an extra field',
      '{"name":"x","role":"admin","isRoot":true}',
      'application/json',
      'VALIDATION_FAILED',
      'isRoot',
    ],
    ['a wrong type', '{"name":12,"role":"admin"}', 'application/json', 'VALIDATION_FAILED', 'name'],
    [
      'a control character',
      '{"name":"a\\u0007b","role":"admin"}',
      'application/json',
      'VALIDATION_FAILED',
      'name',
    ],
    ['an array body', '[]', 'application/json', 'VALIDATION_FAILED', undefined],
  ])('%s', async (_label, payload, contentType, code, field) => {
    const before = await countKeys();
    const res = await post(payload, contentType);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe(code);
    expect(error.message).toEqual(expect.any(String));
    if (field) expect(error.field).toBe(field);
    expect(error.requestId).toBe(res.headers['x-request-id']);
    expect(await countKeys()).toBe(before);
  });

  it('answers 413 for a body over the limit', async () => {
    const before = await countKeys();
    const res = await post(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), role: 'admin' }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await countKeys()).toBe(before);
  });

  it('answers 400 naming a bad path parameter', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/v1/api-keys/not-a-uuid/revoke',
      headers: api.auth('admin'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id', location: 'params' });
  });
});

describe('request ids, not-found and the OpenAPI document', () => {
  it('echoes a sane caller request id and makes one otherwise', async () => {
    const given = await api.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'chk-123' },
    });
    expect(given.headers['x-request-id']).toBe('chk-123');
    const made = await api.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'bad id\n' },
    });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('serves the OpenAPI document with every route and its error schema', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health', '/ready', '/v1/me', '/v1/api-keys', '/v1/api-keys/{id}/revoke']),
    );
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.components.securitySchemes.apiKey.scheme).toBe('bearer');
    const ui = await api.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
