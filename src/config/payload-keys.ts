import type { Config } from './schema';

/**
 * The keys that encrypt Temporal payloads (TEMPORAL_PAYLOAD_KEYS, TEMPORAL_PAYLOAD_KEY_ID):
 * payloads are encrypted with the current key and decrypted with whichever key they name, so a
 * key is rotated by adding a new one, making it current, and keeping the old one listed for as
 * long as histories encrypted with it are kept.
 */
export interface PayloadKeyring {
  /** The key new payloads are encrypted with. */
  currentKeyId: string;
  /** Every key payloads may name, by id: 32 bytes each (AES-256). */
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * The development key: PUBLISHED here and in README.md, so it protects nothing. It is the
 * default outside production (npm run dev, npm test, recorded histories) and refused in
 * production. It is the 32 ASCII bytes `borderline-dev-payload-key-00001`.
 */
export const DEV_PAYLOAD_KEY_ID = 'dev-1';
export const DEV_PAYLOAD_KEY_BASE64 = 'Ym9yZGVybGluZS1kZXYtcGF5bG9hZC1rZXktMDAwMDE=';
export const DEV_PAYLOAD_KEYS = `${DEV_PAYLOAD_KEY_ID}:${DEV_PAYLOAD_KEY_BASE64}`;

const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses `id:base64key[,id:base64key...]` and checks it: ids well formed and unique, each key
 * 32 bytes, the current id among them and, in production, not the published development key.
 * Returns the keyring or the problems (which never quote key material).
 */
export function parsePayloadKeys(
  keysText: string,
  currentKeyId: string,
  options: { production?: boolean } = {},
): { keyring: PayloadKeyring; problems: [] } | { keyring?: undefined; problems: string[] } {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  const entries = keysText
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) problems.push('TEMPORAL_PAYLOAD_KEYS lists no key');
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const material = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      problems.push(
        `TEMPORAL_PAYLOAD_KEYS entry ${index + 1} must be <id>:<base64 key> with an id of letters, digits, '.', '_' or '-'`,
      );
      return;
    }
    if (keys.has(id)) {
      problems.push(`TEMPORAL_PAYLOAD_KEYS lists key "${id}" twice`);
      return;
    }
    const bytes = BASE64.test(material) ? Buffer.from(material, 'base64') : undefined;
    if (!bytes || bytes.length !== KEY_BYTES) {
      problems.push(
        `TEMPORAL_PAYLOAD_KEYS key "${id}" must be ${KEY_BYTES} bytes in base64 (AES-256; make one with \`openssl rand -base64 32\`)` +
          (bytes ? `, not ${bytes.length} bytes` : ''),
      );
      return;
    }
    if (options.production && material === DEV_PAYLOAD_KEY_BASE64) {
      problems.push(
        `TEMPORAL_PAYLOAD_KEYS key "${id}" is the published development key, which protects nothing in production`,
      );
      return;
    }
    keys.set(id, bytes);
  });
  if (problems.length === 0 && !keys.has(currentKeyId)) {
    problems.push(
      `TEMPORAL_PAYLOAD_KEY_ID "${currentKeyId}" is not one of the keys in TEMPORAL_PAYLOAD_KEYS (${[...keys.keys()].join(', ')})`,
    );
  }
  if (problems.length > 0) return { problems };
  return { keyring: { currentKeyId, keys }, problems: [] };
}

/** The payload keyring of a loaded (so already validated) configuration. */
export function payloadKeyringFrom(config: Config): PayloadKeyring {
  const parsed = parsePayloadKeys(config.TEMPORAL_PAYLOAD_KEYS, config.TEMPORAL_PAYLOAD_KEY_ID, {
    production: config.NODE_ENV === 'production',
  });
  if (!parsed.keyring) throw new Error(`invalid payload keys: ${parsed.problems.join('; ')}`);
  return parsed.keyring;
}

/** True when the keyring holds only the published development key (nothing in it is secret). */
export function usesOnlyDevPayloadKey(keyring: PayloadKeyring): boolean {
  return (
    keyring.keys.size === 1 &&
    keyring.keys.get(DEV_PAYLOAD_KEY_ID)?.toString('base64') === DEV_PAYLOAD_KEY_BASE64
  );
}

/**
 * The origins of the Temporal Web UI allowed to call the codec endpoint (CORS):
 * TEMPORAL_UI_ORIGIN, or outside production the UI `npm run dev` starts.
 */
export function temporalUiOriginsFrom(config: Config): string[] {
  if (config.TEMPORAL_UI_ORIGIN) {
    return config.TEMPORAL_UI_ORIGIN.split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter(Boolean);
  }
  if (config.NODE_ENV === 'production') return [];
  return [`http://localhost:${config.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`];
}
