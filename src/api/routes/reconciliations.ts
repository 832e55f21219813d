import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ReconciliationDesk, ReconciliationView as View } from '../../infra/reconciliation';
import { withErrors } from '../schemas';
import {
  OptionalIdempotencyHeaders,
  ReconciliationIdParams,
  ReconciliationList,
  ReconciliationListQuery,
  ReconciliationQuery,
  ReconciliationView,
  StartReconciliationBody,
} from './reconciliations-schemas';

export interface ReconciliationRoutesDependencies {
  desk: ReconciliationDesk;
}

type ViewBody = Static<typeof ReconciliationView>;
const asBody = (view: View) => view as unknown as ViewBody;

/** Finance reconciles the payment processor's transactions with the ledger. */
export const reconciliationRoutes: FastifyPluginAsyncTypebox<ReconciliationRoutesDependencies> = async (
  app,
  { desk },
) => {
  app.addSchema(ReconciliationView);

  app.post(
    '/v1/reconciliations',
    {
      config: { auth: { roles: ['finance'] }, audit: true },
      schema: {
        summary: "Reconcile a past period's processor transactions with the ledger",
        description:
          "Starts the workflow `reconciliation-<id>`, which reads the processor's balance transactions of the " +
          'period (and, as counterparts, 35 days before and 1 day after it), matches them with the ledger entries ' +
          'on processor clearing, and lists every mismatch: missing (no ledger entry), extra (no processor ' +
          'transaction) and different_amount. Answers 202 with the run (status `running`); follow it with ' +
          'GET /v1/reconciliations/:id. With an Idempotency-Key, the same key and body answer the same run (200) ' +
          'and the same key with another body 409. A period not yet over, `from` not before `to`, a period over ' +
          '92 days or an unknown currency is a 400 naming the field; nothing is started then.',
        tags: ['reconciliations'],
        headers: OptionalIdempotencyHeaders,
        body: StartReconciliationBody,
        response: withErrors({ 202: Type.Ref(ReconciliationView), 200: Type.Ref(ReconciliationView) }),
      },
    },
    async (request, reply) => {
      const started = await desk.start(
        request.body,
        request.headers['idempotency-key'],
        request.principal!.name,
      );
      request.log.info(
        { reconciliationId: started.run.id, created: started.created },
        'reconciliation started',
      );
      return reply.status(started.created ? 202 : 200).send(asBody(started.run));
    },
  );

  app.get(
    '/v1/reconciliations',
    {
      config: { auth: { roles: ['finance'] } },
      schema: {
        summary: 'List reconciliation runs, newest first',
        tags: ['reconciliations'],
        querystring: ReconciliationListQuery,
        response: withErrors({ 200: ReconciliationList }),
      },
    },
    async (request) => desk.list(request.query.limit ?? 20, request.query.cursor),
  );

  app.get(
    '/v1/reconciliations/:id',
    {
      config: { auth: { roles: ['finance'] } },
      schema: {
        summary: 'A reconciliation run: status, counts by kind, totals, fees and its mismatches',
        description:
          'While running: `progress` from the workflow (phase, processor pages and transactions read). Once ' +
          'completed: the counts, the totals, the fee summary and the mismatches (paginated with `mismatchCursor`, ' +
          'filtered with `kind`), each with the processor transactions and ledger entries involved.',
        tags: ['reconciliations'],
        params: ReconciliationIdParams,
        querystring: ReconciliationQuery,
        response: withErrors({ 200: Type.Ref(ReconciliationView) }),
      },
    },
    async (request) =>
      asBody(
        await desk.get(request.params.id, {
          limit: request.query.mismatchLimit ?? 500,
          ...(request.query.kind ? { kind: request.query.kind } : {}),
          ...(request.query.mismatchCursor ? { cursor: request.query.mismatchCursor } : {}),
        }),
      ),
  );
};
