import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ROLES, type ApiKeyStore, type Role } from '../access';

/**
 * One API key per role for local development, kept in DATA_DIR/dev-keys.json (readable by the
 * owner only) so that they survive restarts. A key that no longer works (revoked, database
 * reset) is replaced.
 */
export async function ensureDevKeys(keys: ApiKeyStore, file: string): Promise<Record<Role, string>> {
  let stored: Partial<Record<Role, string>> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<Role, string>>;
    } catch {
      stored = {};
    }
  }
  const result = {} as Record<Role, string>;
  for (const role of ROLES) {
    const existing = stored[role];
    const principal = existing ? await keys.authenticate(existing) : undefined;
    result[role] =
      principal?.role === role ? existing! : (await keys.create({ name: `dev ${role}`, role })).key;
  }
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return result;
}
