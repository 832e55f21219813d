import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { type ApiKeyStore, bearerToken, type Principal, type Role } from '../../access';
import { AppError } from '../../errors';

export type RouteAuth = { public: true } | { roles: readonly Role[] };

/** A route as the access layer sees it: who may call it, and whether calls are audited. */
export interface RouteAccess {
  method: string;
  url: string;
  auth: RouteAuth;
  audit: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say; there is no default. */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** Why the caller could not be authenticated; answered (401) once the rate limit has run. */
    authFailure?: AppError;
  }
  interface FastifyInstance {
    /** Every route registered, with its declared access (the authorisation matrix test reads it). */
    routeAccess: readonly RouteAccess[];
  }
}

export interface AuthOptions {
  /**
   * onRequest hooks run after the caller is identified (request.principal is set for a valid
   * key) and before it is refused or admitted: the rate limiter, keyed by key id or IP, so that
   * requests with a missing, unknown or revoked key are limited too.
   */
  afterIdentification?: onRequestAsyncHookHandler[];
}

/**
 * API-key authentication and role-based authorisation. Keys come as `Authorization: Bearer
 * <key>`. No or unknown (or revoked) key: 401; a key whose role the route does not admit: 403.
 * Runs before the body is read, so an unauthenticated caller learns nothing about validation.
 */
export function installAuth(app: FastifyInstance, keys: ApiKeyStore, options: AuthOptions = {}): void {
  if (!app.hasDecorator('routeAccess')) declareRouteAccess(app);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('authFailure', undefined);

  // 1. Who is calling: a valid key sets the principal; a missing, unknown or revoked one is
  //    remembered and answered in step 3.
  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config.auth;
    if (!auth || 'public' in auth) return; // not-found routes have no auth config
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      request.authFailure = new AppError(
        'UNAUTHENTICATED',
        'An API key is required: send Authorization: Bearer <key>',
        { field: 'authorization' },
      );
      return;
    }
    const principal = await keys.authenticate(token);
    if (!principal) {
      request.authFailure = new AppError('UNAUTHENTICATED', 'The API key is not valid or has been revoked', {
        field: 'authorization',
      });
      return;
    }
    request.principal = principal;
  });

  // 2. Whatever must see the caller's identity before the answer (the rate limiter).
  for (const hook of options.afterIdentification ?? []) app.addHook('onRequest', hook);

  // 3. Refuse or admit.
  app.addHook('onRequest', async (request) => {
    if (request.authFailure) throw request.authFailure;
    const auth = request.routeOptions.config.auth;
    if (!auth || 'public' in auth) return;
    const principal = request.principal!;
    if (!auth.roles.includes(principal.role)) {
      throw new AppError(
        'FORBIDDEN',
        `The ${principal.role} role may not call ${request.method} ${request.routeOptions.url}; ` +
          `allowed: ${auth.roles.join(', ')}`,
      );
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.principal && reply.statusCode < 400) {
      keys.touch(request.principal.keyId).catch((error: unknown) => {
        request.log.warn({ err: error }, 'could not record API key use');
      });
    }
  });
}

/**
 * The route table and its rule: every route declares `config.auth` (a route that forgets fails
 * at start-up). Call before anything registers routes; `installAuth` calls it if not done.
 */
export function declareRouteAccess(app: FastifyInstance): void {
  const table: RouteAccess[] = [];
  app.decorate('routeAccess', table);

  // Secure by default: a route that forgets to declare its audience fails at start-up.
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { auth?: RouteAuth; audit?: boolean };
    let auth = config.auth;
    if (!auth) {
      const docs = route.url === '/docs' || route.url.startsWith('/docs/');
      // @fastify/cors answers preflight requests on its own `OPTIONS *` route.
      const preflight = route.method === 'OPTIONS' && route.url === '*';
      if (!docs && !preflight) {
        throw new Error(`route ${String(route.method)} ${route.url} does not declare config.auth`);
      }
      auth = { public: true };
      route.config = { ...config, auth } as typeof route.config;
    }
    for (const method of [route.method].flat()) {
      table.push({ method: String(method), url: route.url, auth, audit: config.audit === true });
    }
  });
}
