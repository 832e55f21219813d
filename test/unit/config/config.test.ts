import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigSchema,
  DEV_PAYLOAD_KEY_ID,
  DEV_PAYLOAD_KEYS,
  loadConfig,
  payloadKeyringFrom,
  temporalUiOriginsFrom,
  usesOnlyDevPayloadKey,
} from '../../../src/config';
import { AppError } from '../../../src/errors';

const root = join(__dirname, '..', '..', '..');

function failure(env: Record<string, string>, options?: Parameters<typeof loadConfig>[1]): AppError {
  try {
    loadConfig(env, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to refuse');
}

describe('configuration', () => {
  it('starts with every default when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      API_PORT: 3000,
      DATABASE_MIGRATE_ON_START: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('defaults Stripe to the local sandbox outside production', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      STRIPE_SECRET_KEY: 'sk_test_borderline_sandbox',
      STRIPE_WEBHOOK_SECRET: 'whsec_borderline_sandbox',
      STRIPE_SANDBOX_PORT: 12111,
    });
    expect(config.STRIPE_API_BASE).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test' }).STRIPE_SECRET_KEY).toBe('sk_test_borderline_sandbox');
  });

  it('reads the Stripe settings', () => {
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'rk_live_51AbC',
      STRIPE_WEBHOOK_SECRET: 'whsec_0123abcDEF',
      STRIPE_API_BASE: 'http://127.0.0.1:12112',
      STRIPE_SANDBOX_PORT: '12200',
    });
    expect(config).toMatchObject({
      STRIPE_SECRET_KEY: 'rk_live_51AbC',
      STRIPE_WEBHOOK_SECRET: 'whsec_0123abcDEF',
      STRIPE_API_BASE: 'http://127.0.0.1:12112',
      STRIPE_SANDBOX_PORT: 12200,
    });
    expect(loadConfig({ STRIPE_API_BASE: 'https://stripe-mock.internal/' }).STRIPE_API_BASE).toBe(
      'https://stripe-mock.internal/',
    );
  });

  it('converts numbers and booleans from their text', () => {
    const config = loadConfig({ API_PORT: '8080', TEMPORAL_TLS: 'true', DATABASE_POOL_SIZE: '3' });
    expect(config).toMatchObject({ API_PORT: 8080, TEMPORAL_TLS: true, DATABASE_POOL_SIZE: 3 });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', API_PORT: '' }).API_PORT).toBe(3000);
  });

  it.each([
    ['API_PORT', 'abc'],
    ['API_PORT', '70000'],
    ['API_PORT', '80.5'],
    ['NODE_ENV', 'prod'],
    ['LOG_LEVEL', 'loud'],
    ['TEMPORAL_TLS', 'yes'],
    ['TEMPORAL_ADDRESS', 'localhost'],
    ['DATABASE_URL', 'mysql://root@localhost/x'],
    ['DATABASE_POOL_SIZE', '0'],
    ['STRIPE_SECRET_KEY', 'pk_test_publishable'],
    ['STRIPE_SECRET_KEY', 'sk_prod_123'],
    ['STRIPE_WEBHOOK_SECRET', 'not-a-whsec'],
    ['STRIPE_WEBHOOK_SECRET', 'whsec_has space'],
    ['STRIPE_API_BASE', 'ftp://127.0.0.1:12111'],
    ['STRIPE_API_BASE', 'http://127.0.0.1:12111/v1'],
    ['STRIPE_API_BASE', '127.0.0.1:12111'],
    ['STRIPE_SANDBOX_PORT', '65536'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    const error = failure({ [name]: value });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.field).toBe(name);
    expect(error.message).toContain(name);
  });

  it('names every bad variable at once', () => {
    const error = failure({ API_PORT: 'x', LOG_LEVEL: 'y' });
    expect(error.message).toMatch(/API_PORT/);
    expect(error.message).toMatch(/LOG_LEVEL/);
  });

  it('never echoes a credential-bearing value', () => {
    const error = failure({ DATABASE_URL: 'mysql://admin:hunter2@db/x' });
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('DATABASE_URL');
  });

  it('never echoes a Stripe key or webhook secret', () => {
    const error = failure({
      STRIPE_SECRET_KEY: 'sk_live_top-secret-1',
      STRIPE_WEBHOOK_SECRET: 'whsec_top secret 2',
    });
    expect(error.message).toContain('STRIPE_SECRET_KEY');
    expect(error.message).toContain('STRIPE_WEBHOOK_SECRET');
    expect(error.message).not.toContain('top-secret-1');
    expect(error.message).not.toContain('top secret 2');
  });

  it('requires the real services in production', () => {
    const error = failure({ NODE_ENV: 'production' });
    expect(error.message).toMatch(/DATABASE_URL is required/);
    expect(error.message).toMatch(/TEMPORAL_ADDRESS is required/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgresql://x@db/b',
        TEMPORAL_ADDRESS: 'temporal:7233',
        ...PARTNERS,
      }),
    ).not.toThrow();
  });

  it('requires the Stripe key and webhook secret in production: the sandbox defaults do not count', () => {
    const { STRIPE_SECRET_KEY: _key, STRIPE_WEBHOOK_SECRET: _secret, ...others } = PARTNERS;
    const error = failure({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://x@db/b',
      TEMPORAL_ADDRESS: 'temporal:7233',
      ...others,
    });
    expect(error.details).toEqual({ variables: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] });
    expect(error.message).toMatch(/STRIPE_SECRET_KEY is required/);
    expect(error.message).toMatch(/STRIPE_WEBHOOK_SECRET is required/);
    expect(error.message).not.toContain('borderline_sandbox');
    // Unset in production means api.stripe.com.
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://x@db/b',
      TEMPORAL_ADDRESS: 'temporal:7233',
      ...PARTNERS,
    });
    expect(config.STRIPE_API_BASE).toBeUndefined();
  });

  it('requires the customs broker and carrier in production, naming each', () => {
    const error = failure({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://x@db/b',
      TEMPORAL_ADDRESS: 'temporal:7233',
      STRIPE_SECRET_KEY: 'sk_live_51AbC',
      STRIPE_WEBHOOK_SECRET: 'whsec_0123abcDEF',
      TEMPORAL_PAYLOAD_KEYS: PARTNERS.TEMPORAL_PAYLOAD_KEYS,
      TEMPORAL_PAYLOAD_KEY_ID: PARTNERS.TEMPORAL_PAYLOAD_KEY_ID,
    });
    expect(error.details).toEqual({
      variables: [
        'CUSTOMS_BROKER_URL',
        'CUSTOMS_BROKER_API_KEY',
        'CARRIER_API_URL',
        'CARRIER_API_KEY',
        'CARRIER_WEBHOOK_SECRET',
      ],
    });
  });

  it('requires what a process asks for', () => {
    expect(failure({}, { require: ['TEMPORAL_ADDRESS'] }).field).toBe('TEMPORAL_ADDRESS');
  });
});

/** What production needs of the partners (and the payload keys) besides the database and Temporal. */
const PARTNERS = {
  TEMPORAL_PAYLOAD_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}`,
  TEMPORAL_PAYLOAD_KEY_ID: 'prod-1',
  STRIPE_SECRET_KEY: 'sk_live_51AbC',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123abcDEF',
  CUSTOMS_BROKER_URL: 'https://api.broker.example',
  CUSTOMS_BROKER_API_KEY: 'cb_live_123',
  CARRIER_API_URL: 'https://api.carrier.example',
  CARRIER_API_KEY: 'ck_live_123',
  CARRIER_WEBHOOK_SECRET: 'carrier_whsec_live',
};

describe('Temporal payload keys', () => {
  const key = (fill: number, bytes = 32) => Buffer.alloc(bytes, fill).toString('base64');
  const PRODUCTION = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgresql://x@db/b',
    TEMPORAL_ADDRESS: 'temporal:7233',
    ...PARTNERS,
  };

  it('default to the published development key outside production', () => {
    const config = loadConfig({});
    expect(config.TEMPORAL_PAYLOAD_KEY_ID).toBe(DEV_PAYLOAD_KEY_ID);
    expect(config.TEMPORAL_PAYLOAD_KEYS).toBe(DEV_PAYLOAD_KEYS);
    expect(usesOnlyDevPayloadKey(payloadKeyringFrom(config))).toBe(true);
  });

  it('read several keys and the current one (rotation)', () => {
    const config = loadConfig({
      TEMPORAL_PAYLOAD_KEYS: `2026-01:${key(1)}, 2026-06:${key(2)}`,
      TEMPORAL_PAYLOAD_KEY_ID: '2026-06',
    });
    const keyring = payloadKeyringFrom(config);
    expect(keyring.currentKeyId).toBe('2026-06');
    expect([...keyring.keys.keys()]).toEqual(['2026-01', '2026-06']);
    expect(keyring.keys.get('2026-01')).toEqual(Buffer.alloc(32, 1));
    expect(usesOnlyDevPayloadKey(keyring)).toBe(false);
  });

  it.each([
    [
      'a key of 16 bytes',
      { TEMPORAL_PAYLOAD_KEYS: `k1:${key(1, 16)}`, TEMPORAL_PAYLOAD_KEY_ID: 'k1' },
      'TEMPORAL_PAYLOAD_KEYS',
      /key "k1" must be 32 bytes in base64 .*, not 16 bytes/,
    ],
    [
      'a key that is not base64',
      { TEMPORAL_PAYLOAD_KEYS: 'k1:not base64!', TEMPORAL_PAYLOAD_KEY_ID: 'k1' },
      'TEMPORAL_PAYLOAD_KEYS',
      /key "k1" must be 32 bytes in base64/,
    ],
    [
      'an entry without an id',
      { TEMPORAL_PAYLOAD_KEYS: key(1), TEMPORAL_PAYLOAD_KEY_ID: 'k1' },
      'TEMPORAL_PAYLOAD_KEYS',
      /entry 1 must be <id>:<base64 key>/,
    ],
    [
      'an id listed twice',
      { TEMPORAL_PAYLOAD_KEYS: `k1:${key(1)},k1:${key(2)}`, TEMPORAL_PAYLOAD_KEY_ID: 'k1' },
      'TEMPORAL_PAYLOAD_KEYS',
      /lists key "k1" twice/,
    ],
    [
      'a current id that is not listed',
      { TEMPORAL_PAYLOAD_KEYS: `k1:${key(1)}`, TEMPORAL_PAYLOAD_KEY_ID: 'k2' },
      'TEMPORAL_PAYLOAD_KEY_ID',
      /TEMPORAL_PAYLOAD_KEY_ID "k2" is not one of the keys in TEMPORAL_PAYLOAD_KEYS \(k1\)/,
    ],
    [
      'a malformed current id',
      { TEMPORAL_PAYLOAD_KEY_ID: 'has space' },
      'TEMPORAL_PAYLOAD_KEY_ID',
      /TEMPORAL_PAYLOAD_KEY_ID must match pattern/,
    ],
  ])('refuse %s, naming the variable', (_case, env, variable, message) => {
    const error = failure(env);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.field).toBe(variable);
    expect(error.message).toMatch(message);
  });

  it('never echo key material', () => {
    const secret = key(9, 24);
    const error = failure({ TEMPORAL_PAYLOAD_KEYS: `k1:${secret}`, TEMPORAL_PAYLOAD_KEY_ID: 'k1' });
    expect(error.message).not.toContain(secret);
    const other = failure({
      TEMPORAL_PAYLOAD_KEYS: `k1:${key(3)},k1:${key(4)}`,
      TEMPORAL_PAYLOAD_KEY_ID: 'k1',
    });
    expect(other.message).not.toContain(key(3));
    expect(other.message).not.toContain(key(4));
  });

  it('are required in production, and the published development key is refused there', () => {
    expect(() => loadConfig(PRODUCTION)).not.toThrow();
    const { TEMPORAL_PAYLOAD_KEYS: _keys, TEMPORAL_PAYLOAD_KEY_ID: _id, ...withoutKeys } = PRODUCTION;
    expect(failure(withoutKeys).details).toEqual({
      variables: ['TEMPORAL_PAYLOAD_KEYS', 'TEMPORAL_PAYLOAD_KEY_ID'],
    });
    const dev = failure({
      ...PRODUCTION,
      TEMPORAL_PAYLOAD_KEYS: DEV_PAYLOAD_KEYS,
      TEMPORAL_PAYLOAD_KEY_ID: 'dev-1',
    });
    expect(dev.field).toBe('TEMPORAL_PAYLOAD_KEYS');
    expect(dev.message).toMatch(/key "dev-1" is the published development key/);
    // Also when an old dev key is merely kept for decoding.
    expect(
      failure({
        ...PRODUCTION,
        TEMPORAL_PAYLOAD_KEYS: `${PARTNERS.TEMPORAL_PAYLOAD_KEYS},${DEV_PAYLOAD_KEYS}`,
      }).message,
    ).toMatch(/published development key/);
  });

  it('let the Temporal UI origin default to the dev UI outside production, and nothing in production', () => {
    expect(temporalUiOriginsFrom(loadConfig({}))).toEqual(['http://localhost:8233', 'http://127.0.0.1:8233']);
    expect(temporalUiOriginsFrom(loadConfig({ TEMPORAL_UI_PORT: '9000' }))).toEqual([
      'http://localhost:9000',
      'http://127.0.0.1:9000',
    ]);
    expect(temporalUiOriginsFrom(loadConfig(PRODUCTION))).toEqual([]);
    expect(
      temporalUiOriginsFrom(
        loadConfig({
          ...PRODUCTION,
          TEMPORAL_UI_ORIGIN: 'https://temporal.example.com, http://localhost:8080',
        }),
      ),
    ).toEqual(['https://temporal.example.com', 'http://localhost:8080']);
    expect(failure({ TEMPORAL_UI_ORIGIN: 'temporal.example.com' }).field).toBe('TEMPORAL_UI_ORIGIN');
    expect(failure({ TEMPORAL_UI_ORIGIN: 'https://temporal.example.com/ui' }).field).toBe(
      'TEMPORAL_UI_ORIGIN',
    );
  });
});

describe('.env.example', () => {
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const lines = example.split('\n').map((line) => line.trim());

  it('lists every variable, with its default where it has one', () => {
    for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
      const value = (schema as { default?: unknown }).default;
      if (value === undefined) {
        expect({ name, listed: lines.some((l) => l.startsWith(`# ${name}=`)) }).toEqual({
          name,
          listed: true,
        });
      } else {
        expect({ name, line: lines.find((l) => l.startsWith(`${name}=`)) }).toEqual({
          name,
          line: `${name}=${String(value)}`,
        });
      }
    }
  });

  it('lists nothing the configuration does not read', () => {
    const names = [...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(names.filter((name) => !(name! in ConfigSchema.properties))).toEqual([]);
  });
});
