import envSchema from 'env-schema';
import { AppError } from '../errors';
import { parsePayloadKeys } from './payload-keys';
import { ConfigSchema, type Config, type ConfigName } from './schema';

export interface LoadConfigOptions {
  /** Variables this process cannot run without (beyond what the schema requires). */
  require?: ConfigName[];
}

/**
 * Reads and validates the configuration from environment variables, once, at start-up. A bad or
 * missing value throws an AppError whose message names every offending variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const data: Record<string, string> = {};
  for (const name of Object.keys(ConfigSchema.properties)) {
    const value = env[name];
    // An empty variable means "not set", as in most process managers.
    if (value !== undefined && value !== '') data[name] = value;
  }

  let config: Config;
  try {
    config = envSchema<Config>({ schema: ConfigSchema, data, env: false, dotenv: false });
  } catch (error) {
    const problems = describeAjvErrors(error, data);
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid configuration:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
      {
        field: problems[0]?.name,
        details: { variables: problems.map((p) => p.name) },
      },
    );
  }

  const required = new Set(options.require ?? []);
  const production = config.NODE_ENV === 'production';
  if (production) for (const name of PRODUCTION_REQUIRED) required.add(name);
  // In production a variable counts as set only when the environment sets it: the defaults of
  // the partners' credentials are the local sandboxes'.
  const missing = [...required].filter(
    (name) => config[name] === undefined || (production && data[name] === undefined),
  );
  if (missing.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid configuration:\n${missing
        .map((name) => `  - ${name} is required by this process but not set`)
        .join('\n')}`,
      { field: missing[0], details: { variables: missing } },
    );
  }
  const keys = parsePayloadKeys(config.TEMPORAL_PAYLOAD_KEYS, config.TEMPORAL_PAYLOAD_KEY_ID, { production });
  if (keys.problems.length > 0) {
    const variables = [...new Set(keys.problems.map((problem) => problem.split(' ')[0]!))];
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid configuration:\n${keys.problems.map((problem) => `  - ${problem}`).join('\n')}`,
      { field: variables[0], details: { variables } },
    );
  }
  return config;
}

/**
 * What production cannot run without: the real services and the partners' credentials (the
 * defaults are the local sandboxes', never good enough there).
 */
export const PRODUCTION_REQUIRED: readonly ConfigName[] = [
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_PAYLOAD_KEYS',
  'TEMPORAL_PAYLOAD_KEY_ID',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'CUSTOMS_BROKER_URL',
  'CUSTOMS_BROKER_API_KEY',
  'CARRIER_API_URL',
  'CARRIER_API_KEY',
  'CARRIER_WEBHOOK_SECRET',
];

/** Values never echoed in error messages: they may hold credentials. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set<ConfigName>([
  'DATABASE_URL',
  'TEMPORAL_API_KEY',
  'TEMPORAL_PAYLOAD_KEYS',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'CUSTOMS_BROKER_API_KEY',
  'CARRIER_API_KEY',
  'CARRIER_WEBHOOK_SECRET',
]);

interface Problem {
  name: string;
  message: string;
}

function describeAjvErrors(error: unknown, data: Record<string, string>): Problem[] {
  const errors = (error as { errors?: AjvError[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) {
    return [{ name: 'environment', message: error instanceof Error ? error.message : String(error) }];
  }
  const byName = new Map<string, Problem>();
  for (const e of errors) {
    const name = e.params?.missingProperty ?? e.instancePath.replace(/^\//, '');
    if (byName.has(name)) continue; // a union reports once per branch; the first says enough
    const got = SECRET_VARIABLES.has(name) ? '(value hidden)' : JSON.stringify(data[name]);
    const allowed = Array.isArray(e.params?.allowedValues)
      ? ` (one of ${e.params.allowedValues.join(', ')})`
      : '';
    const message =
      e.keyword === 'required'
        ? `${name} is required but not set`
        : e.keyword === 'const' || e.keyword === 'anyOf'
          ? `${name} must be one of ${describeUnion(name)}; got ${got}`
          : `${name} ${e.message ?? 'is invalid'}${allowed}; got ${got}`;
    byName.set(name, { name, message });
  }
  return [...byName.values()];
}

function describeUnion(name: string): string {
  const schema = (ConfigSchema.properties as Record<string, { anyOf?: { const?: unknown }[] }>)[name];
  return (schema?.anyOf ?? []).map((s) => String(s.const)).join(', ');
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: { missingProperty?: string; allowedValues?: unknown[] };
}
