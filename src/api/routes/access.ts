import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES, type ApiKeyStore, type ApiKeySummary } from '../../access';
import { AppError } from '../../errors';
import { withErrors } from '../schemas';

const Role = Type.Union(ROLES.map((role) => Type.Literal(role)));

const ApiKeyView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    role: Role,
    prefix: Type.String({ description: 'First characters of the key, to tell keys apart.' }),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the key stopped working, or will (a rotation with a grace period).',
    }),
  },
  { $id: 'ApiKey', title: 'ApiKey' },
);

const CreatedApiKeyView = Type.Intersect(
  [
    Type.Ref(ApiKeyView),
    Type.Object({ key: Type.String({ description: 'The key. Shown once; store it now.' }) }),
  ],
  { $id: 'CreatedApiKey' },
);

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

function view(key: ApiKeySummary) {
  return {
    ...key,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

/** Who am I, and (admin) API key management. */
export const accessRoutes: FastifyPluginAsyncTypebox<{ keys: ApiKeyStore }> = async (app, { keys }) => {
  app.addSchema(ApiKeyView);
  app.addSchema(CreatedApiKeyView);

  app.get(
    '/v1/me',
    {
      config: { auth: { roles: ROLES } },
      schema: {
        summary: 'The API key this request is made with',
        tags: ['access'],
        response: withErrors({
          200: Type.Object({ keyId: Type.String(), name: Type.String(), role: Role }),
        }),
      },
    },
    async (request) => request.principal!,
  );

  app.get(
    '/v1/api-keys',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        summary: 'List API keys (never the keys themselves)',
        tags: ['access'],
        response: withErrors({ 200: Type.Object({ data: Type.Array(Type.Ref(ApiKeyView)) }) }),
      },
    },
    async () => ({ data: (await keys.list()).map(view) }),
  );

  app.post(
    '/v1/api-keys',
    {
      config: { auth: { roles: ['admin'] }, audit: true },
      schema: {
        summary: 'Create an API key for a role',
        tags: ['access'],
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
            role: Role,
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: Type.Ref(CreatedApiKeyView) }),
      },
    },
    async (request, reply) => {
      const created = await keys.create(request.body);
      request.log.info({ keyId: created.id, role: created.role }, 'API key created');
      return reply.status(201).send({ ...view(created), key: created.key });
    },
  );

  app.post(
    '/v1/api-keys/:id/revoke',
    {
      config: { auth: { roles: ['admin'] }, audit: true },
      schema: {
        summary: 'Revoke an API key; it stops working at once',
        tags: ['access'],
        params: IdParams,
        response: withErrors({ 200: Type.Ref(ApiKeyView) }),
      },
    },
    async (request) => {
      if (request.params.id === request.principal!.keyId) {
        throw new AppError('BUSINESS_RULE_VIOLATION', 'An admin key cannot revoke itself', { field: 'id' });
      }
      const revoked = await keys.revoke(request.params.id);
      request.log.info({ keyId: revoked.id }, 'API key revoked');
      return view(revoked);
    },
  );

  app.post(
    '/v1/api-keys/:id/rotate',
    {
      config: { auth: { roles: ['admin'] }, audit: true },
      schema: {
        summary: 'Rotate an API key: a new key with the same name and role; the old one is revoked',
        description:
          'Creates a new key (shown once) with the name and role of the old one and revokes the old one: at once, ' +
          'or after `graceMinutes` during which both work (the old key shows the coming `revokedAt`). A key ' +
          'already revoked cannot be rotated (409). Same as `npm run keys -- rotate <id> --grace-minutes N`.',
        tags: ['access'],
        params: IdParams,
        querystring: Type.Object(
          {
            graceMinutes: Type.Integer({
              minimum: 0,
              maximum: MAX_GRACE_MINUTES,
              default: 0,
              description: 'How long the old key keeps working (minutes, up to 7 days).',
            }),
          },
          { additionalProperties: false },
        ),
        response: withErrors({
          201: Type.Object({ key: Type.Ref(CreatedApiKeyView), previous: Type.Ref(ApiKeyView) }),
        }),
      },
    },
    async (request, reply) => {
      const { created, previous } = await keys.rotate(request.params.id, {
        graceMs: request.query.graceMinutes * 60_000,
      });
      request.log.info(
        { keyId: previous.id, newKeyId: created.id, revokedAt: previous.revokedAt },
        'API key rotated',
      );
      return reply
        .status(201)
        .send({ key: { ...view(created), key: created.key }, previous: view(previous) });
    },
  );
};

/** The longest grace period of a rotation: a week. */
export const MAX_GRACE_MINUTES = 7 * 24 * 60;
