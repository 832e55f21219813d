/**
 * API_KEY_CACHE_TTL_MS: an API process trusts a key it found valid for a few seconds without
 * asking PostgreSQL. What it must never do: outlive a revocation made through itself, a scheduled
 * revocation (rotation with grace), or, for one made elsewhere, the configured time.
 */
import { ApiKeyStore } from '../../../src/access';
import type { Database } from '../../../src/infra/database';
import { openTestDatabase, uniqueId } from '../../helpers/database';

let db: Database;
let elsewhere: ApiKeyStore; // another process: the keys CLI, another API replica
beforeAll(() => {
  db = openTestDatabase();
  elsewhere = new ApiKeyStore(db);
});
afterAll(async () => {
  await db?.$disconnect();
});

const TTL_MS = 5_000;
const after = (start: Date, ms: number) => new Date(start.getTime() + ms);

describe('ApiKeyStore with a cache of valid keys', () => {
  it('answers a known key from memory within the TTL, and asks the database again after it', async () => {
    const cached = new ApiKeyStore(db, { cacheTtlMs: TTL_MS });
    const key = await elsewhere.create({ name: uniqueId('cache-ttl'), role: 'checkout' });
    const t0 = new Date();
    const principal = { keyId: key.id, name: key.name, role: 'checkout' };
    expect(await cached.authenticate(key.key, t0)).toEqual(principal);

    await elsewhere.revoke(key.id, t0); // in another process: this one is not told
    expect(await cached.authenticate(key.key, after(t0, TTL_MS - 1))).toEqual(principal);
    expect(await cached.authenticate(key.key, after(t0, TTL_MS))).toBeUndefined();
    // and the uncached store never answered it after the revocation
    expect(await elsewhere.authenticate(key.key, after(t0, 1))).toBeUndefined();
  });

  it('stops answering a key at once when it is revoked or rotated through the same store', async () => {
    const cached = new ApiKeyStore(db, { cacheTtlMs: TTL_MS });
    const revoked = await elsewhere.create({ name: uniqueId('cache-revoke'), role: 'support' });
    const rotated = await elsewhere.create({ name: uniqueId('cache-rotate'), role: 'finance' });
    expect(await cached.authenticate(revoked.key)).toBeDefined();
    expect(await cached.authenticate(rotated.key)).toBeDefined();

    await cached.revoke(revoked.id);
    const { created } = await cached.rotate(rotated.id);
    expect(await cached.authenticate(revoked.key)).toBeUndefined();
    expect(await cached.authenticate(rotated.key)).toBeUndefined();
    expect(await cached.authenticate(created.key)).toMatchObject({ keyId: created.id, role: 'finance' });
  });

  it('never outlives a scheduled revocation, even one sooner than the TTL', async () => {
    const cached = new ApiKeyStore(db, { cacheTtlMs: 60_000 });
    const key = await elsewhere.create({ name: uniqueId('cache-grace'), role: 'checkout' });
    const t0 = new Date();
    await elsewhere.rotate(key.id, { graceMs: 2_000, now: t0 }); // revoked at t0 + 2 s
    expect(await cached.authenticate(key.key, after(t0, 1_000))).toBeDefined();
    expect(await cached.authenticate(key.key, after(t0, 1_999))).toBeDefined();
    expect(await cached.authenticate(key.key, after(t0, 2_000))).toBeUndefined();
  });

  it('never remembers an unknown or revoked key: it works as soon as the database says so', async () => {
    const cached = new ApiKeyStore(db, { cacheTtlMs: TTL_MS });
    const key = await elsewhere.create({ name: uniqueId('cache-negative'), role: 'checkout' });
    const t0 = new Date();
    await elsewhere.rotate(key.id, { graceMs: 0, now: t0 });
    expect(await cached.authenticate(key.key, after(t0, 1))).toBeUndefined();
    expect(await cached.authenticate('bl_checkout_notakey', t0)).toBeUndefined();
  });

  it('asks the database on every request with a TTL of 0 (the default of a bare store)', async () => {
    const key = await elsewhere.create({ name: uniqueId('cache-off'), role: 'checkout' });
    const t0 = new Date();
    expect(await elsewhere.authenticate(key.key, t0)).toBeDefined();
    await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: t0 } });
    expect(await elsewhere.authenticate(key.key, after(t0, 1))).toBeUndefined();
  });
});
