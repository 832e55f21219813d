/**
 * The authorisation matrix: every route the app registers (read from its route table, so a new
 * route is covered without touching this file) × every role, no key and a revoked key. The auth
 * layer's answer is what is checked: a role the route admits gets anything but 401/403 (the
 * requests are minimal, so 400 or 404 is expected); another role 403; no key or a revoked one
 * 401; a public route never 401/403.
 */
import { ROLES, type Role } from '../../../src/access';
import type { RouteAccess } from '../../../src/api/plugins/auth';
import { startTestApi, type TestApi } from '../../helpers/api';

type Caller = Role | 'no key' | 'revoked key';
const CALLERS: Caller[] = [...ROLES, 'no key', 'revoked key'];

let api: TestApi;
let revokedKey: string;
beforeAll(async () => {
  api = await startTestApi();
  const created = await api.keys.create({ name: 'matrix revoked', role: 'admin' });
  await api.keys.revoke(created.id);
  revokedKey = created.key;
});
afterAll(async () => {
  await api?.close();
});

function routes(): RouteAccess[] {
  return api.app.routeAccess.filter((route) => route.url !== '*');
}

/** A concrete URL for a route pattern: parameters and wildcards get plausible values. */
function concrete(url: string): string {
  return url
    .replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? '0b7e0f4e-0000-4000-8000-000000000000' : 'x'))
    .replace(/\*$/, 'index.html');
}

function headersFor(caller: Caller): Record<string, string> {
  if (caller === 'no key') return {};
  if (caller === 'revoked key') return { authorization: `Bearer ${revokedKey}` };
  return api.auth(caller);
}

function expected(route: RouteAccess, caller: Caller): 'admitted' | 401 | 403 {
  if ('public' in route.auth) return 'admitted';
  if (caller === 'no key' || caller === 'revoked key') return 401;
  return route.auth.roles.includes(caller) ? 'admitted' : 403;
}

async function call(route: RouteAccess, caller: Caller) {
  const withBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  return api.app.inject({
    method: route.method as 'GET',
    url: concrete(route.url),
    headers: { ...headersFor(caller), ...(withBody ? { 'content-type': 'application/json' } : {}) },
    ...(withBody ? { payload: '{}' } : {}),
  });
}

/**
 * Who may call what: the policy, written out here so that a route's declared access is itself
 * checked (a route added without an entry, or with other roles than these, fails). Routes under
 * /docs and /console (static files and the OpenAPI document) are public and not listed; a HEAD
 * route (Fastify adds one to each GET) has its GET's access.
 */
const ALL: Role[] = [...ROLES];
const POLICY: Record<string, 'public' | Role[]> = {
  'GET /health': 'public',
  'GET /ready': ALL,
  'GET /v1/me': ALL,
  'GET /v1/api-keys': ['admin'],
  'POST /v1/api-keys': ['admin'],
  'POST /v1/api-keys/:id/revoke': ['admin'],
  'POST /v1/api-keys/:id/rotate': ['admin'],
  'GET /v1/audit': ['admin'],
  'POST /v1/quotes': ['checkout'],
  'GET /v1/quotes/:id': ['checkout', 'support', 'finance'],
  'POST /v1/orders': ['checkout'],
  'GET /v1/orders': ['support', 'finance'],
  'GET /v1/orders/:id': ['support', 'checkout', 'finance'],
  'GET /v1/orders/:id/timeline': ['support', 'finance'],
  'GET /v1/orders/:id/ledger': ['finance'],
  'POST /v1/orders/:id/cancel': ['support'],
  'POST /v1/orders/:id/review': ['support'],
  'POST /v1/orders/:id/retry': ['support'],
  'POST /v1/orders/:id/refunds': ['finance'],
  'POST /v1/settlements': ['finance'],
  'GET /v1/settlements': ['finance'],
  'GET /v1/settlements/:id': ['finance'],
  'GET /v1/settlements/:id/report.csv': ['finance'],
  'GET /v1/finance/daily-totals': ['finance', 'admin'],
  'GET /v1/console/settings': ['support', 'finance', 'admin'],
  'POST /v1/reconciliations': ['finance'],
  'GET /v1/reconciliations': ['finance'],
  'GET /v1/reconciliations/:id': ['finance'],
  'POST /codec/decode': ['support', 'finance', 'admin'],
  'POST /codec/encode': ['support', 'finance', 'admin'],
  'OPTIONS /codec/decode': 'public',
  'OPTIONS /codec/encode': 'public',
  'POST /v1/webhooks/stripe': 'public',
  'POST /v1/webhooks/carrier': 'public',
};

describe('the route table', () => {
  it('declares for every route exactly the access of the policy', () => {
    const differences: string[] = [];
    const seen = new Set<string>();
    for (const route of routes()) {
      const name = `${route.method} ${route.url}`;
      if (/^\w+ \/(docs|console)(\/|$)/.test(name)) {
        if (!('public' in route.auth)) differences.push(`${name}: not public`);
        continue;
      }
      const policyName = route.method === 'HEAD' ? `GET ${route.url}` : name;
      seen.add(policyName);
      const declared = 'public' in route.auth ? 'public' : [...route.auth.roles].sort().join(',');
      const policy = POLICY[policyName];
      const wanted =
        policy === undefined
          ? 'not in the policy'
          : policy === 'public'
            ? 'public'
            : [...policy].sort().join(',');
      if (declared !== wanted) differences.push(`${name}: declared ${declared}, policy ${wanted}`);
    }
    for (const name of Object.keys(POLICY)) if (!seen.has(name)) differences.push(`${name}: no such route`);
    expect(differences).toEqual([]);
  });

  it('has every route, and every documented operation is in it', async () => {
    const table = routes();
    const names = table.map((r) => `${r.method} ${r.url}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /ready',
        'GET /v1/me',
        'POST /v1/api-keys',
        'POST /v1/api-keys/:id/rotate',
        'GET /v1/audit',
        'POST /v1/orders/:id/refunds',
        'POST /v1/webhooks/stripe',
        'HEAD /v1/orders/:id',
      ]),
    );
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.filter((name) => !names.includes(name))).toEqual([]);
    // Every route that needs a key is documented (with its roles).
    const undocumented = table
      .filter((r) => !('public' in r.auth) && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
      .filter((name) => !documented.includes(name));
    expect(undocumented).toEqual([]);
  });

  it('audits every mutating route of support, finance and admin', () => {
    const unaudited = routes()
      .filter(
        (r) =>
          ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) &&
          r.url.startsWith('/v1/') &&
          'roles' in r.auth &&
          !r.auth.roles.includes('checkout'),
      )
      .filter((r) => !r.audit)
      .map((r) => `${r.method} ${r.url}`);
    expect(unaudited).toEqual([]);
  });
});

describe.each(CALLERS)('every route called with %s', (caller) => {
  it('gets the answer its declared access gives', async () => {
    const mismatches: string[] = [];
    for (const route of routes()) {
      const want = expected(route, caller);
      const res = await call(route, caller);
      const got = res.statusCode;
      const ok = want === 'admitted' ? got !== 401 && got !== 403 : got === want;
      if (!ok) mismatches.push(`${route.method} ${route.url}: expected ${want}, got ${got} ${res.body}`);
      if (want !== 'admitted' && route.method !== 'HEAD') {
        const code = (res.json() as { error?: { code?: string } }).error?.code;
        if (code !== (want === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN')) {
          mismatches.push(`${route.method} ${route.url}: error code ${code}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
