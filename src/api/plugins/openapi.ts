import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { RouteAuth } from './auth';

/** The OpenAPI document at /docs/json and Swagger UI at /docs, built from the route schemas. */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Borderline API',
        version,
        description:
          'Order orchestration for cross-border e-commerce. Authenticate with `Authorization: Bearer <API key>`; ' +
          'each operation lists the roles that may call it.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'Borderline API key' } },
      },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `schema-${i}`) },
    transform: ({ schema, url, route }) => {
      const auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
      const transformed = { ...(schema ?? {}) } as Record<string, unknown>;
      if (auth && 'public' in auth) transformed.security = [];
      else if (auth) {
        const note = `Roles: ${auth.roles.join(', ')}.`;
        transformed.description = transformed.description
          ? `${String(transformed.description)}\n\n${note}`
          : note;
      }
      return { schema: transformed, url };
    },
  });
  // Swagger UI's own CSP on /docs (scripts and styles from 'self'), replacing the API's
  // `default-src 'none'`; without upgrade-insecure-requests, so the UI also works over plain
  // HTTP on a developer's machine.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .split(';')
        .map((directive) => directive.trim())
        .filter((directive) => directive && directive !== 'upgrade-insecure-requests')
        .join('; '),
  });
}
