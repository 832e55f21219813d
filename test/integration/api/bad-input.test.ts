/**
 * Malformed requests over every route: each must be answered with a 4xx that names the problem
 * (never a 5xx), and leave the database exactly as it was (row counts of every table compared
 * before and after each request, in a database of this file's own so that other test files
 * running at the same time do not count). The one table that may grow is the append-only audit
 * log: a refused support, finance or admin request is recorded there as a refusal (a `result`
 * row with its 4xx and no `intent`, so nothing was acted on), and that is checked too. The cases are generated from the OpenAPI document, so a new
 * route is covered without editing this file, plus hand-written cases for amounts, text and
 * webhook signatures.
 */
import { Client } from 'pg';
import type { Role } from '../../../src/access';
import { startTestApi, type TestApi } from '../../helpers/api';
import { migrate } from '../../../src/infra/database';
import { createEmptyDatabase } from '../../helpers/database';

interface Case {
  name: string;
  method: string;
  url: string;
  role?: Role;
  headers?: Record<string, string>;
  payload?: string;
  /** The field the error must name, when the case is about one field. */
  field?: string;
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  $ref?: string;
  anyOf?: Schema[];
  allOf?: Schema[];
  pattern?: string;
};
type Operation = {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  description?: string;
  security?: unknown[];
};

let api: TestApi;
let sql: Client;
let scratch: Awaited<ReturnType<typeof createEmptyDatabase>>;
let doc: {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};
const cases: Case[] = [];

const ROLE_OF = /Roles: ([a-z, ]+)\./;
const SAMPLE_ID = 'qt_0123456789abcdef01234567';

function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
  if (schema.allOf) {
    const parts = schema.allOf.map(resolve);
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p?.properties ?? {})),
      required: parts.flatMap((p) => p?.required ?? []),
    };
  }
  return schema;
}

function typeOf(schema: Schema | undefined): string | undefined {
  const s = resolve(schema);
  if (!s) return undefined;
  if (Array.isArray(s.type)) return s.type[0];
  if (s.type) return s.type;
  return s.anyOf ? typeOf(s.anyOf[0]) : undefined;
}

/** A value of the wrong type for a property of this schema. */
function wrongValue(schema: Schema | undefined): unknown {
  switch (typeOf(schema)) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'twelve';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    default:
      return 'not an object';
  }
}

/** A valid value for a path parameter (so that a case about something else fails on that). */
function pathValue(_name: string, schema: Schema | undefined): string {
  const resolved = resolve(schema);
  if (/uuid/.test(JSON.stringify(schema ?? {}))) return '3f1c2a4e-8b6d-4f0a-9c1e-2d3b4a5c6d7e';
  const candidates = [
    SAMPLE_ID,
    'rec_0123456789abcdef01234567',
    'stl_0123456789abcdef01234567',
    'some-order',
  ];
  const pattern = resolved?.pattern ? new RegExp(resolved.pattern) : undefined;
  return candidates.find((c) => !pattern || pattern.test(c)) ?? 'x';
}

function urlOf(path: string, operation: Operation, override?: (name: string) => string): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const parameter = operation.parameters?.find((p) => p.in === 'path' && p.name === name);
    return encodeURIComponent(override ? override(name) : pathValue(name, parameter?.schema));
  });
}

function generatedCases(): void {
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (path.startsWith('/docs')) continue;
    for (const [method, operation] of Object.entries(methods)) {
      const role =
        (ROLE_OF.exec(operation.description ?? '')?.[1]?.split(', ')[0] as Role | undefined) ?? undefined;
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      const base = { method: method.toUpperCase(), role: isPublic ? undefined : role };
      const idempotency: Record<string, string> = operation.parameters?.some(
        (p) => p.in === 'header' && p.name === 'idempotency-key',
      )
        ? { 'idempotency-key': `bad-input-${cases.length}` }
        : {};

      // Path parameters that break their pattern, including SQL- and script-looking text.
      const pathParameters =
        operation.parameters?.filter((p) => p.in === 'path' && resolve(p.schema)?.pattern) ?? [];
      for (const parameter of pathParameters) {
        for (const evil of [`'; DROP TABLE orders; --`, '<script>alert(1)</script>', 'a b']) {
          cases.push({
            ...base,
            name: `${method.toUpperCase()} ${path}: ${parameter.name} = ${evil}`,
            url: urlOf(path, operation, (name) =>
              name === parameter.name ? evil : pathValue(name, undefined),
            ),
            headers: idempotency,
            field: parameter.name,
          });
        }
      }

      // Querystrings: an unknown parameter value of the wrong type.
      for (const parameter of operation.parameters?.filter((p) => p.in === 'query') ?? []) {
        const type = typeOf(parameter.schema);
        if (type !== 'integer' && type !== 'boolean' && !resolve(parameter.schema)?.pattern) continue;
        cases.push({
          ...base,
          name: `${method.toUpperCase()} ${path}?${parameter.name}=<wrong>`,
          url: `${urlOf(path, operation)}?${parameter.name}=${type === 'integer' ? '-1.5' : '%00bad%20value'}`,
          field: parameter.name,
        });
      }

      const schema = resolve(operation.requestBody?.content?.['application/json']?.schema);
      if (!schema?.properties) continue;
      const url = urlOf(path, operation);
      const headers = { 'content-type': 'application/json', ...idempotency };
      cases.push({
        ...base,
        name: `${method.toUpperCase()} ${path}: broken JSON`,
        url,
        headers,
        payload: '{"a": ',
      });
      cases.push({ ...base, name: `${method.toUpperCase()} ${path}: an array`, url, headers, payload: '[]' });
      cases.push({
        ...base,
        name: `${method.toUpperCase()} ${path}: text/plain`,
        url,
        headers: { ...idempotency, 'content-type': 'text/plain' },
        payload: 'hello',
        field: 'content-type',
      });
      cases.push({
        ...base,
        name: `${method.toUpperCase()} ${path}: form-encoded`,
        url,
        headers: { ...idempotency, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'a=1',
        field: 'content-type',
      });
      cases.push({
        ...base,
        name: `${method.toUpperCase()} ${path}: an unknown field`,
        url,
        headers,
        payload: JSON.stringify({ zzUnknownField: 1 }),
      });
      for (const [property, propertySchema] of Object.entries(schema.properties)) {
        cases.push({
          ...base,
          name: `${method.toUpperCase()} ${path}: ${property} of the wrong type`,
          url,
          headers,
          payload: JSON.stringify({ [property]: wrongValue(propertySchema) }),
        });
        cases.push({
          ...base,
          name: `${method.toUpperCase()} ${path}: ${property} null`,
          url,
          headers,
          payload: JSON.stringify({ [property]: null }),
        });
      }
      for (const required of schema.required ?? []) {
        cases.push({
          ...base,
          name: `${method.toUpperCase()} ${path}: ${required} missing`,
          url,
          headers,
          payload: '{}',
        });
      }
    }
  }
}

const QUOTE = {
  merchantId: 'mer_bad_input',
  currency: 'EUR',
  incoterm: 'DDP',
  shipFrom: { country: 'DE' },
  shipTo: { country: 'FR' },
  lines: [
    {
      sku: 'TEE',
      description: 'Cotton T-shirt',
      hsCode: '610910',
      originCountry: 'DE',
      unitPrice: '10.00',
      quantity: 1,
      weightGrams: 200,
    },
  ],
  buyer: { name: 'Ann', address: { line1: '1 Rue', city: 'Paris', country: 'FR' } },
  consignee: { name: 'Ann', address: { line1: '1 Rue', city: 'Paris', country: 'FR' } },
};

function quoteCase(name: string, change: (q: typeof QUOTE) => unknown, field?: string): Case {
  return {
    name: `POST /v1/quotes: ${name}`,
    method: 'POST',
    url: '/v1/quotes',
    role: 'checkout',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(change(structuredClone(QUOTE))),
    ...(field ? { field } : {}),
  };
}

function refundCase(name: string, amount: unknown): Case {
  return {
    name: `POST /v1/orders/:id/refunds: ${name}`,
    method: 'POST',
    url: '/v1/orders/some-order/refunds',
    role: 'finance',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `bad-refund-${name.replace(/\W/g, '')}`,
    },
    payload: JSON.stringify({ amount, reason: 'requested_by_customer' }),
  };
}

function handWrittenCases(): void {
  const line = (change: Record<string, unknown>) => (q: typeof QUOTE) => ({
    ...q,
    lines: [{ ...q.lines[0], ...change }],
  });
  cases.push(
    quoteCase(
      'a unit price too large for a safe integer',
      line({ unitPrice: '99999999999999999999.00' }),
      'lines.0.unitPrice',
    ),
    quoteCase('a negative unit price', line({ unitPrice: '-1.00' }), 'lines.0.unitPrice'),
    quoteCase('three decimals in EUR', line({ unitPrice: '1.999' }), 'lines.0.unitPrice'),
    quoteCase('a quantity of zero', line({ quantity: 0 }), 'lines.0.quantity'),
    quoteCase('a negative quantity', line({ quantity: -3 }), 'lines.0.quantity'),
    quoteCase('a fractional quantity', line({ quantity: 1.5 }), 'lines.0.quantity'),
    quoteCase('a huge quantity', line({ quantity: 1e20 }), 'lines.0.quantity'),
    quoteCase('a weight as text', line({ weightGrams: '200' }), 'lines.0.weightGrams'),
    quoteCase('an HS code with letters', line({ hsCode: '61AB10' }), 'lines.0.hsCode'),
    quoteCase('an HS code with SQL', line({ hsCode: "610910' OR '1'='1" }), 'lines.0.hsCode'),
    quoteCase(
      'a control character in the description',
      line({ description: 'T-shirt\u0000' }),
      'lines.0.description',
    ),
    quoteCase(
      'a bell in the buyer name',
      (q) => ({ ...q, buyer: { ...q.buyer, name: 'Ann\u0007' } }),
      'buyer.name',
    ),
    quoteCase('a script as currency', (q) => ({ ...q, currency: '<script>' }), 'currency'),
    quoteCase('an unknown currency', (q) => ({ ...q, currency: 'XXZ' }), 'currency'),
    quoteCase('a lowercase country', (q) => ({ ...q, shipTo: { country: 'fr' } }), 'shipTo.country'),
    quoteCase('an empty cart', (q) => ({ ...q, lines: [] }), 'lines'),
    quoteCase('an incoterm that is not one', (q) => ({ ...q, incoterm: 'EXW' }), 'incoterm'),
    quoteCase('a right-to-left override in the SKU', line({ sku: 'ABC\u202eDEF' })),
    quoteCase('an emoji-only merchant id', (q) => ({ ...q, merchantId: '🙂🙂🙂' }), 'merchantId'),
    refundCase('zero', { amount: 0, currency: 'EUR' }),
    refundCase('negative', { amount: -100, currency: 'EUR' }),
    refundCase('fractional minor units', { amount: 10.5, currency: 'EUR' }),
    refundCase('beyond safe integers', { amount: 2 ** 60, currency: 'EUR' }),
    refundCase('amount as text', { amount: '100', currency: 'EUR' }),
    refundCase('a lowercase currency', { amount: 100, currency: 'eur' }),
    refundCase('no currency', { amount: 100 }),
  );
  // Forged, tampered and stale webhooks.
  const stripeEvent = JSON.stringify({
    id: 'evt_forged',
    object: 'event',
    type: 'payment_intent.succeeded',
    data: { object: {} },
  });
  for (const [name, signature] of [
    ['no signature', undefined],
    ['a forged signature', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`],
    ['a stale signature', `t=${Math.floor(Date.now() / 1000) - 3600},v1=${'a'.repeat(64)}`],
    ['a garbage signature header', 'garbage'],
  ] as const) {
    cases.push({
      name: `POST /v1/webhooks/stripe: ${name}`,
      method: 'POST',
      url: '/v1/webhooks/stripe',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'stripe-signature': signature } : {}),
      },
      payload: stripeEvent,
    });
    cases.push({
      name: `POST /v1/webhooks/carrier: ${name}`,
      method: 'POST',
      url: '/v1/webhooks/carrier',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-hmac-signature': `hmac-sha256-hex=${signature.slice(-64)}` } : {}),
      },
      payload: JSON.stringify({ id: 'evt_forged', description: 'tracker.updated', result: {} }),
    });
  }
  // Sizes.
  cases.push({
    name: 'POST /v1/quotes: a body over the size limit',
    method: 'POST',
    url: '/v1/quotes',
    role: 'checkout',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ ...QUOTE, merchantId: 'x'.repeat(2 * 1024 * 1024) }),
  });
}

async function rowCounts(): Promise<Record<string, number>> {
  const { rows: tables } = await sql.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'audit_log' ORDER BY tablename",
  );
  const query = tables
    .map((t) => `SELECT '${t.tablename}' AS t, count(*)::int AS n FROM "${t.tablename}"`)
    .join(' UNION ALL ');
  const { rows } = await sql.query<{ t: string; n: number }>(query);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

beforeAll(async () => {
  scratch = await createEmptyDatabase();
  await migrate({ databaseUrl: scratch.url });
  api = await startTestApi({ databaseUrl: scratch.url });
  sql = new Client({ connectionString: scratch.url });
  await sql.connect();
  doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
  generatedCases();
  handWrittenCases();
});
afterAll(async () => {
  await sql?.end();
  await api?.close();
  await scratch?.drop();
});

it('has at least 150 malformed requests over every route', () => {
  expect(cases.length).toBeGreaterThanOrEqual(150);
  const routes = new Set(
    cases.map((c) => `${c.method} ${c.url.split('?')[0]!.replace(/\/[^/]*(?=\/|$)/g, (s) => s)}`),
  );
  expect(routes.size).toBeGreaterThan(10);
});

it('answers each with a 4xx that names the problem, and writes nothing', async () => {
  const failures: string[] = [];
  for (const [index, c] of cases.entries()) {
    const before = await rowCounts();
    const res = await api.app.inject({
      method: c.method as 'POST',
      url: c.url,
      headers: {
        ...(c.role ? api.auth(c.role) : {}),
        ...(c.headers ?? {}),
        'x-request-id': `bad-input-${index}`,
      },
      ...(c.payload !== undefined ? { payload: c.payload } : {}),
    });
    const after = await rowCounts();
    let body: { error?: { code?: string; message?: string; field?: string } } = {};
    try {
      body = res.json();
    } catch {
      // checked below
    }
    const problems: string[] = [];
    if (res.statusCode < 400 || res.statusCode >= 500) problems.push(`status ${res.statusCode}`);
    if (!body.error?.code || !body.error.message) problems.push('no error code and message');
    if (c.field && body.error?.field !== c.field && !body.error?.message?.includes(c.field)) {
      problems.push(`names ${body.error?.field ?? 'no field'} instead of ${c.field}`);
    }
    const changed = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
    if (changed.length > 0) problems.push(`wrote to ${changed.join(', ')}`);
    if (problems.length > 0) failures.push(`${c.name}: ${problems.join('; ')} (${res.body.slice(0, 200)})`);
  }
  // Audited refusals: a result row each, a 4xx, and never an intent (the handler never ran).
  await api.close(); // waits for audit results still being written
  const { rows: audit } = await sql.query<{ request_id: string; phase: string; status_code: number | null }>(
    "SELECT request_id, phase, status_code FROM audit_log WHERE request_id LIKE 'bad-input-%'",
  );
  for (const row of audit) {
    const c = cases[Number(row.request_id.slice('bad-input-'.length))]!;
    if (
      row.phase !== 'result' ||
      row.status_code === null ||
      row.status_code < 400 ||
      row.status_code >= 500
    ) {
      failures.push(`${c.name}: audited as ${row.phase} ${row.status_code ?? ''}`);
    }
  }
  process.stdout.write(
    `bad input: ${cases.length} malformed requests, ${failures.length} answered wrongly; ` +
      `${audit.length} recorded in the audit log as refusals\n`,
  );
  expect(failures).toEqual([]);
});
