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

/** API keys in PostgreSQL (table api_keys), stored hashed. */
export class ApiKeyStore {
  constructor(private readonly db: Database) {}

  async create(input: { name: string; role: Role }): Promise<CreatedApiKey> {
    const key = generateApiKey(input.role);
    const row = await this.db.apiKey.create({
      data: { name: input.name, role: input.role, prefix: displayPrefix(key), keyHash: hashApiKey(key) },
    });
    return { ...summarise(row), key };
  }

  /** The principal a key acts as, or undefined for an unknown or revoked key. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    const row = await this.db.apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
    if (!row || row.revokedAt) return undefined;
    return { keyId: row.id, name: row.name, role: row.role };
  }

  /** Records use at most once a minute per key, so busy keys do not write on every request. */
  async touch(keyId: string, now = new Date()): Promise<void> {
    await this.db.apiKey.updateMany({
      where: {
        id: keyId,
        OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }],
      },
      data: { lastUsedAt: now },
    });
  }

  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.db.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map(summarise);
  }

  async get(id: string): Promise<ApiKeySummary | undefined> {
    const row = await this.db.apiKey.findUnique({ where: { id } });
    return row ? summarise(row) : undefined;
  }

  /** Revokes a key; revoking a revoked key keeps its first revocation time. */
  async revoke(id: string, now = new Date()): Promise<ApiKeySummary> {
    await this.db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    const row = await this.get(id);
    if (!row) throw new AppError('NOT_FOUND', `API key ${id} does not exist`, { field: 'id' });
    return row;
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
