import { invalidRequest } from './errors';

/**
 * Stripe's request parameters: `application/x-www-form-urlencoded` bodies (and query strings)
 * with bracketed keys, exactly as stripe-node writes them: `metadata[order_id]=o-1`,
 * `expand[0]=latest_charge`, `created[gte]=1700000000`. Values stay strings; handlers read them
 * with the typed readers below, which fail the way Stripe does.
 */
export type ParamValue = string | ParamObject | ParamValue[];
export interface ParamObject {
  [key: string]: ParamValue;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw invalidRequest(`Invalid request: malformed percent-encoding in "${text.slice(0, 40)}"`);
  }
}

/** `a[b][0]` → `['a', 'b', '0']`; `expand[]` → `['expand', '']`. */
function keyPath(key: string): string[] {
  const first = key.indexOf('[');
  if (first === -1) return [key];
  const path = [key.slice(0, first)];
  const pattern = /\[([^\]]*)\]/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(key.slice(first))) !== null) path.push(match[1] ?? '');
  return path;
}

/** Objects whose keys are all indexes (0, 1, … or `[]`) become arrays, except under metadata. */
function toArrays(value: ParamValue, parentKey: string): ParamValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((key) => [key, toArrays(value[key] as ParamValue, key)] as const);
  if (parentKey !== 'metadata' && keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, item]) => item);
  }
  return Object.fromEntries(entries);
}

export function parseParams(text: string): ParamObject {
  const root: ParamObject = {};
  let appendCounter = 0;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const equals = pair.indexOf('=');
    const rawKey = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decode(pair.slice(equals + 1));
    const path = keyPath(rawKey);
    let node: ParamObject = root;
    for (let i = 0; i < path.length; i++) {
      let segment = path[i] ?? '';
      // `list[]=a&list[]=b` appends: give each a growing index.
      if (segment === '' && i > 0) segment = String(1_000_000 + appendCounter++);
      const last = i === path.length - 1;
      if (last) {
        node[segment] = value;
      } else {
        const next = node[segment];
        if (typeof next !== 'object' || Array.isArray(next)) {
          node[segment] = {};
        }
        node = node[segment] as ParamObject;
      }
    }
  }
  return toArrays(root, '') as ParamObject;
}

/** Fails with `parameter_unknown` for any top-level parameter the endpoint does not take. */
export function rejectUnknown(params: ParamObject, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw invalidRequest(`Received unknown parameter: ${key}`, { code: 'parameter_unknown', param: key });
    }
  }
}

export function optionalString(params: ParamObject, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw invalidRequest(`Invalid string: ${name}`, { code: 'parameter_invalid_string', param: name });
  }
  return value === '' ? undefined : value;
}

export function requiredString(params: ParamObject, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined) {
    throw invalidRequest(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
  }
  return value;
}

export function optionalInteger(
  params: ParamObject,
  name: string,
  options: { min?: number } = {},
): number | undefined {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidRequest(`Invalid integer: ${text}`, { code: 'parameter_invalid_integer', param: name });
  }
  const value = Number(text);
  if (options.min !== undefined && value < options.min) {
    throw invalidRequest(
      options.min === 1
        ? `Invalid positive integer`
        : `This value must be greater than or equal to ${options.min}.`,
      { code: 'parameter_invalid_integer', param: name },
    );
  }
  return value;
}

export function requiredInteger(params: ParamObject, name: string, options: { min?: number } = {}): number {
  const value = optionalInteger(params, name, options);
  if (value === undefined) {
    throw invalidRequest(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
  }
  return value;
}

export function optionalBoolean(params: ParamObject, name: string): boolean | undefined {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (text !== 'true' && text !== 'false') {
    throw invalidRequest(`Invalid boolean: ${text}`, { code: 'parameter_invalid_boolean', param: name });
  }
  return text === 'true';
}

export function optionalEnum<T extends string>(
  params: ParamObject,
  name: string,
  values: readonly T[],
): T | undefined {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!(values as readonly string[]).includes(text)) {
    throw invalidRequest(`Invalid ${name}: must be one of ${values.join(', ')}`, {
      code: 'parameter_invalid_string',
      param: name,
    });
  }
  return text as T;
}

/** `metadata[...]`: string values, at most 50 keys; empty values unset a key. */
export function metadataParam(params: ParamObject): Record<string, string> {
  const value = params.metadata;
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('Invalid metadata: must be a hash', { param: 'metadata' });
  }
  const entries = Object.entries(value);
  if (entries.length > 50) {
    throw invalidRequest('Invalid metadata: a maximum of 50 keys is allowed', { param: 'metadata' });
  }
  const metadata: Record<string, string> = {};
  for (const [key, item] of entries) {
    if (typeof item !== 'string')
      throw invalidRequest(`Invalid metadata[${key}]`, { param: `metadata[${key}]` });
    if (item !== '') metadata[key] = item;
  }
  return metadata;
}

export function expandParam(params: ParamObject): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string') throw invalidRequest('Invalid array', { param: 'expand' });
    return item;
  });
}

/** Lowercase three-letter currency, as Stripe requires in requests. */
export function currencyParam(params: ParamObject, name = 'currency'): string {
  const value = requiredString(params, name);
  if (!/^[a-zA-Z]{3}$/.test(value)) {
    throw invalidRequest(`Invalid currency: ${value}.`, { param: name });
  }
  return value.toLowerCase();
}
