import type { FastifyInstance } from 'fastify';
import { type ApiKeyStore, bearerToken, type Principal, type Role } from '../../access';
import { AppError } from '../../errors';

export type RouteAuth = { public: true } | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say; there is no default. */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * API-key authentication and role-based authorisation. Keys come as `Authorization: Bearer
 * <key>`. No or unknown (or revoked) key: 401; a key whose role the route does not admit: 403.
 * Runs before the body is read, so an unauthenticated caller learns nothing about validation.
 */
export function installAuth(app: FastifyInstance, keys: ApiKeyStore): void {
  app.decorateRequest('principal', undefined);

  // Secure by default: a route that forgets to declare its audience fails at start-up.
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { auth?: RouteAuth };
    if (config.auth) return;
    if (route.url === '/docs' || route.url.startsWith('/docs/')) {
      route.config = { ...config, auth: { public: true } } as typeof route.config;
      return;
    }
    throw new Error(`route ${String(route.method)} ${route.url} does not declare config.auth`);
  });

  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config.auth;
    if (!auth || 'public' in auth) return; // not-found routes have no auth config
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      throw new AppError('UNAUTHENTICATED', 'An API key is required: send Authorization: Bearer <key>', {
        field: 'authorization',
      });
    }
    const principal = await keys.authenticate(token);
    if (!principal) {
      throw new AppError('UNAUTHENTICATED', 'The API key is not valid or has been revoked', {
        field: 'authorization',
      });
    }
    request.principal = principal;
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
