import type { Database } from '../infra/database';
import { AppError } from '../errors';
import { displayPrefix, generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys';
import type { Principal, Role } from './roles';

export interface ApiKeySummary {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** The key itself: shown once, never stored. */
  key: string;
}

/** `last_used_at` is kept to the minute: a key used again within it writes nothing. */
const TOUCH_EVERY_MS = 60_000;
/** How long an API process trusts a key it found valid, unless configured (API_KEY_CACHE_TTL_MS). */
export const DEFAULT_API_KEY_CACHE_TTL_MS = 5_000;
/** At most this many keys are remembered by one process (the oldest entry is dropped first). */
const CACHE_MAX_KEYS = 10_000;

export interface ApiKeyStoreOptions {
  /**
   * How long this process may answer a key it has seen valid without asking the database again
   * (API_KEY_CACHE_TTL_MS; 0, the default here, asks every time). A key revoked through this
   * process stops working here at once; through another process (another API replica, the
   * `keys` CLI) within this time. A scheduled revocation (rotation with grace) is never
   * outlived: an entry lasts until then at most.
   */
  cacheTtlMs?: number;
}

/** API keys in PostgreSQL (table api_keys), stored hashed. */
export class ApiKeyStore {
  /** When this process last recorded each key's use (key id → epoch ms). */
  private readonly touchedAt = new Map<string, number>();
  /** Keys this process found valid (key hash → principal, valid until epoch ms). */
  private readonly valid = new Map<string, { principal: Principal; until: number }>();
  private readonly cacheTtlMs: number;

  constructor(
    private readonly db: Database,
    options: ApiKeyStoreOptions = {},
  ) {
    this.cacheTtlMs = Math.max(0, options.cacheTtlMs ?? 0);
  }

  async create(input: { name: string; role: Role }): Promise<CreatedApiKey> {
    const key = generateApiKey(input.role);
    const row = await this.db.apiKey.create({
      data: { name: input.name, role: input.role, prefix: displayPrefix(key), keyHash: hashApiKey(key) },
    });
    return { ...summarise(row), key };
  }

  /**
   * The principal a key acts as, or undefined for an unknown or revoked key. A key rotated with
   * a grace period has its revocation time in the future and works until then.
   */
  async authenticate(key: string, now = new Date()): Promise<Principal | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    const keyHash = hashApiKey(key);
    const known = this.valid.get(keyHash);
    if (known && now.getTime() < known.until) return known.principal;
    if (known) this.valid.delete(keyHash);
    const row = await this.db.apiKey.findUnique({ where: { keyHash } });
    if (!row || (row.revokedAt && row.revokedAt <= now)) return undefined;
    const principal: Principal = { keyId: row.id, name: row.name, role: row.role };
    if (this.cacheTtlMs > 0) {
      if (this.valid.size >= CACHE_MAX_KEYS) this.valid.delete(this.valid.keys().next().value!);
      const until = Math.min(now.getTime() + this.cacheTtlMs, row.revokedAt?.getTime() ?? Infinity);
      this.valid.set(keyHash, { principal, until });
    }
    return principal;
  }

  /** Forgets what this process remembered of a key, so its revocation here takes effect at once. */
  private forget(keyId: string): void {
    for (const [keyHash, entry] of this.valid) {
      if (entry.principal.keyId === keyId) this.valid.delete(keyHash);
    }
  }

  /**
   * Records use at most once a minute per key, so busy keys do not write on every request: the
   * UPDATE matches nothing when any process recorded the key within the minute, and this process
   * does not even send it when it recorded the key itself within the minute (one statement a
   * minute per key and process instead of one per request).
   */
  async touch(keyId: string, now = new Date()): Promise<void> {
    const last = this.touchedAt.get(keyId);
    if (last !== undefined && now.getTime() - last < TOUCH_EVERY_MS) return;
    this.touchedAt.set(keyId, now.getTime());
    try {
      await this.db.apiKey.updateMany({
        where: {
          id: keyId,
          OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - TOUCH_EVERY_MS) } }],
        },
        data: { lastUsedAt: now },
      });
    } catch (error) {
      // Not recorded: the next use tries again.
      if (this.touchedAt.get(keyId) === now.getTime()) this.touchedAt.delete(keyId);
      throw error;
    }
  }

  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.db.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map(summarise);
  }

  async get(id: string): Promise<ApiKeySummary | undefined> {
    const row = await this.db.apiKey.findUnique({ where: { id } });
    return row ? summarise(row) : undefined;
  }

  /**
   * Revokes a key at once; revoking a revoked key keeps its first revocation time, and a key
   * whose revocation was scheduled (rotated with a grace period) stops working now.
   */
  async revoke(id: string, now = new Date()): Promise<ApiKeySummary> {
    await this.db.apiKey.updateMany({
      where: { id, OR: [{ revokedAt: null }, { revokedAt: { gt: now } }] },
      data: { revokedAt: now },
    });
    this.forget(id);
    const row = await this.get(id);
    if (!row) throw new AppError('NOT_FOUND', `API key ${id} does not exist`, { field: 'id' });
    return row;
  }

  /**
   * Replaces a key: creates a new key with the same name and role and revokes the old one, at
   * once or, with `graceMs`, at the end of that grace period (both work until then, so callers
   * can switch without an outage). One transaction: either both happen or neither. A key that
   * has already stopped working cannot be rotated (409); rotating a key whose revocation is
   * already scheduled never postpones it.
   */
  async rotate(
    id: string,
    options: { graceMs?: number; now?: Date } = {},
  ): Promise<{ created: CreatedApiKey; previous: ApiKeySummary }> {
    const now = options.now ?? new Date();
    const revokeAt = new Date(now.getTime() + Math.max(0, options.graceMs ?? 0));
    const rotated = await this.db.$transaction(async (tx) => {
      const old = await tx.apiKey.findUnique({ where: { id } });
      if (!old) throw new AppError('NOT_FOUND', `API key ${id} does not exist`, { field: 'id' });
      if (old.revokedAt && old.revokedAt <= now) {
        throw new AppError('CONFLICT', `API key ${id} was revoked at ${old.revokedAt.toISOString()}`, {
          field: 'id',
        });
      }
      const key = generateApiKey(old.role);
      const row = await tx.apiKey.create({
        data: { name: old.name, role: old.role, prefix: displayPrefix(key), keyHash: hashApiKey(key) },
      });
      const previous =
        old.revokedAt && old.revokedAt <= revokeAt
          ? old
          : await tx.apiKey.update({ where: { id }, data: { revokedAt: revokeAt } });
      return { created: { ...summarise(row), key }, previous: summarise(previous) };
    });
    this.forget(id);
    return rotated;
  }
}

function summarise(row: {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): ApiKeySummary {
  const { id, name, role, prefix, createdAt, lastUsedAt, revokedAt } = row;
  return { id, name, role, prefix, createdAt, lastUsedAt, revokedAt };
}
