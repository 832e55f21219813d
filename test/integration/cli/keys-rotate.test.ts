/**
 * Key rotation: `npm run keys -- rotate <id> [--grace-minutes N]` and
 * POST /v1/api-keys/:id/rotate create a key with the same name and role and revoke the old one,
 * at once or after a grace period during which both work. Written to the audit log.
 */
import { ApiKeyStore } from '../../../src/access';
import type { Database } from '../../../src/infra/database';
import { openTestDatabase, testDatabaseUrl, uniqueId } from '../../helpers/database';
import { startTestApi, type TestApi } from '../../helpers/api';
import { spawnCli } from '../../helpers/processes';

const env = () => ({ DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'warn' });

let db: Database;
let keys: ApiKeyStore;
beforeAll(() => {
  db = openTestDatabase();
  keys = new ApiKeyStore(db);
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('npm run keys -- rotate', () => {
  it('replaces a key at once: the new key works, the old one no longer does', async () => {
    const name = uniqueId('rotate-now');
    const old = await keys.create({ name, role: 'support' });
    const run = spawnCli('keys', ['rotate', old.id], env());
    expect(await run.exited).toBe(0);
    const output = run.output();
    const newKey = /^(bl_support_\S+)$/m.exec(output)?.[1];
    const newId = /New key \(id ([0-9a-f-]{36})/.exec(output)?.[1];
    expect(newKey).toBeDefined();
    expect(output).toContain(`the old key (id ${old.id}) is revoked now`);

    expect(await keys.authenticate(old.key)).toBeUndefined();
    expect(await keys.authenticate(newKey!)).toEqual({ keyId: newId, name, role: 'support' });

    const rows = await db.auditLog.findMany({ where: { subjectId: old.id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.phase, r.route, r.actorRole, r.actorKeyId, r.outcome])).toEqual([
      ['intent', 'keys rotate', 'cli', null, null],
      ['result', 'keys rotate', 'cli', null, 'succeeded'],
    ]);
    expect(rows[1]!.intentId).toBe(rows[0]!.id);
    expect(
      JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    ).not.toContain(newKey!.slice(12));
  });

  it('with --grace-minutes, both keys work until the grace period ends', async () => {
    const name = uniqueId('rotate-grace');
    const old = await keys.create({ name, role: 'finance' });
    const run = spawnCli('keys', ['rotate', old.id, '--grace-minutes', '30'], env());
    expect(await run.exited).toBe(0);
    const newKey = /^(bl_finance_\S+)$/m.exec(run.output())?.[1];
    expect(run.output()).toMatch(/keeps working until \S+ \(30 min grace\), then is revoked/);

    expect(await keys.authenticate(old.key)).toMatchObject({ keyId: old.id, role: 'finance' });
    expect(await keys.authenticate(newKey!)).toMatchObject({ name, role: 'finance' });
    const in29 = new Date(Date.now() + 29 * 60_000);
    const in31 = new Date(Date.now() + 31 * 60_000);
    expect(await keys.authenticate(old.key, in29)).toBeDefined();
    expect(await keys.authenticate(old.key, in31)).toBeUndefined();
    expect(await keys.authenticate(newKey!, in31)).toBeDefined();

    const list = spawnCli('keys', ['list'], env());
    expect(await list.exited).toBe(0);
    expect(list.output()).toMatch(new RegExp(`${old.id}\\s+finance.*active, revoked at \\S+.*${name}`));

    // Revoking during the grace period stops the old key at once.
    await keys.revoke(old.id);
    expect(await keys.authenticate(old.key)).toBeUndefined();
  });

  it('refuses a revoked key, an unknown key and a bad grace period, naming the problem', async () => {
    const revoked = await keys.create({ name: uniqueId('rotate-revoked'), role: 'checkout' });
    await keys.revoke(revoked.id);
    const cases: [string[], RegExp][] = [
      [['rotate', revoked.id], /was revoked at/],
      [['rotate', '0b7e0f4e-0000-4000-8000-000000000000'], /does not exist/],
      [['rotate', revoked.id, '--grace-minutes', 'ten'], /--grace-minutes must be a whole number/],
      [['rotate'], /rotate needs the key id/],
    ];
    for (const [args, message] of cases) {
      const run = spawnCli('keys', args, env());
      expect({ args, code: await run.exited }).toEqual({ args, code: 1 });
      expect(run.output()).toMatch(message);
    }
    expect(await db.apiKey.count({ where: { name: revoked.name } })).toBe(1); // nothing created
  });
});

describe('POST /v1/api-keys/:id/rotate', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('rotates with a grace period over the API (admin only), and both keys work meanwhile', async () => {
    const old = await api.keys.create({ name: uniqueId('api-rotate'), role: 'checkout' });
    const forbidden = await api.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${old.id}/rotate`,
      headers: api.auth('support'),
    });
    expect(forbidden.statusCode).toBe(403);

    const res = await api.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${old.id}/rotate?graceMinutes=10`,
      headers: api.auth('admin'),
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.key).toMatchObject({ name: old.name, role: 'checkout', revokedAt: null });
    expect(body.previous.id).toBe(old.id);
    const revokeAt = new Date(body.previous.revokedAt).getTime();
    expect(revokeAt).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(revokeAt).toBeLessThan(Date.now() + 11 * 60_000);

    for (const key of [old.key, body.key.key as string]) {
      const me = await api.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(me.statusCode).toBe(200);
    }

    const again = await api.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${old.id}/rotate?graceMinutes=99999`,
      headers: api.auth('admin'),
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'graceMinutes' });
  });
});
