import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuditLog } from '../../infra/audit';
import { withErrors } from '../schemas';

const Outcome = Type.Union(
  [Type.Literal('succeeded'), Type.Literal('refused'), Type.Literal('failed'), Type.Literal('unknown')],
  {
    description:
      'succeeded (< 400), refused (4xx), failed (5xx), or unknown: the action was about to run but no result ' +
      'was recorded (still running, or the process stopped in between).',
  },
);

const NullableString = Type.Union([Type.String(), Type.Null()]);

const AuditEntryView = Type.Object(
  {
    id: Type.String(),
    at: Type.String({ format: 'date-time', description: 'When the answer was given.' }),
    startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the handler was about to act (null: refused before it).',
    }),
    requestId: Type.String(),
    actor: Type.Object({
      keyId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
        description: 'The API key (null: npm run keys).',
      }),
      name: Type.String(),
      role: Type.String({ description: 'checkout, support, finance, admin, or cli.' }),
    }),
    method: Type.String(),
    route: Type.String({ description: 'The route pattern, e.g. /v1/orders/:id/refunds.' }),
    subject: Type.Object({
      type: NullableString,
      id: Type.Union([Type.String(), Type.Null()], { description: 'The order, run or key acted on.' }),
    }),
    idempotencyKey: NullableString,
    body: Type.Unknown({ description: 'A summary of the request body: secrets redacted, long values cut.' }),
    outcome: Outcome,
    statusCode: Type.Union([Type.Integer(), Type.Null()]),
    errorCode: NullableString,
    durationMs: Type.Union([Type.Integer(), Type.Null()]),
  },
  { $id: 'AuditEntry', title: 'AuditEntry' },
);

const AuditQuery = Type.Object(
  {
    actorKeyId: Type.Optional(Type.String({ format: 'uuid' })),
    route: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 300,
        description: 'A route pattern, e.g. /v1/orders/:id/cancel.',
      }),
    ),
    subjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    outcome: Type.Optional(Outcome),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'At or after.' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Before.' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** GET /v1/audit: the audit log, for admins. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ log: AuditLog }> = async (app, { log }) => {
  app.addSchema(AuditEntryView);

  app.get(
    '/v1/audit',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        summary: 'The audit log: who did what, when, with what outcome',
        description:
          'Every call of a support, finance or admin action (cancel, review, retry, refunds, API keys, settlement ' +
          'and reconciliation runs) by an authenticated key, refusals included, and key management by ' +
          '`npm run keys`. Newest first; filter by actor key, route pattern, subject (order, run or key id), ' +
          'outcome and time; paginate with `cursor`. The log is append-only.',
        tags: ['access'],
        querystring: AuditQuery,
        response: withErrors({
          200: Type.Object({ data: Type.Array(Type.Ref(AuditEntryView)), nextCursor: NullableString }),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      return log.list({
        limit: q.limit,
        ...(q.actorKeyId ? { actorKeyId: q.actorKeyId } : {}),
        ...(q.route ? { route: q.route } : {}),
        ...(q.subjectId ? { subjectId: q.subjectId } : {}),
        ...(q.outcome ? { outcome: q.outcome } : {}),
        ...(q.from ? { from: new Date(q.from) } : {}),
        ...(q.to ? { to: new Date(q.to) } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    },
  );
};
