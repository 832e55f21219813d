import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_PAYOUT_BATCH_SIZE, PAYOUT_STATUSES } from '../../domain/settlement';
import type { SettlementDesk, SettlementRunView as SettlementRunViewType } from '../../infra/settlement';
import { withErrors } from '../schemas';

export interface SettlementRoutesDependencies {
  desk: SettlementDesk;
}

const Id = '^[A-Za-z0-9_.-]{1,64}$';
const Instant = Type.String({
  maxLength: 40,
  description:
    'ISO 8601 date (`2026-11-24`, midnight UTC) or date-time with a zone (`2026-11-24T00:00:00Z`).',
});

export const StartSettlementBody = Type.Object(
  {
    from: Instant,
    to: { ...Instant, description: `${Instant.description} The cut-off: not in the future, after \`from\`.` },
    currency: Type.String({
      pattern: '^[A-Z]{3}$',
      description: 'ISO 4217: the ledger currency settled (lines of merchant accounts in it).',
    }),
    merchantIds: Type.Optional(
      Type.Array(Type.String({ pattern: Id }), {
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
        description: 'Only these merchants; default every merchant with lines in the currency.',
      }),
    ),
    payoutBatchSize: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_PAYOUT_BATCH_SIZE,
        description: 'Merchants paid per activity (default 25).',
      }),
    ),
  },
  { additionalProperties: false },
);

const StartHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_.:-]{1,255}$',
      description:
        'Repeating the request with the same key answers with the run it started (and starts nothing).',
    }),
  ),
});

const Params = Type.Object({ id: Type.String({ pattern: Id }) });

const Amount = Type.Integer({
  description: 'Minor units of the run currency; owed to merchants when positive.',
});
const Period = Type.Object({ from: Type.String(), to: Type.String() });

export const SettlementRunView = Type.Object(
  {
    runId: Type.String(),
    workflowId: Type.String(),
    status: Type.Union(['starting', 'running', 'completed', 'refused'].map((s) => Type.Literal(s))),
    phase: Type.Union(['opening', 'claiming', 'paying', 'finishing', 'done'].map((s) => Type.Literal(s))),
    currency: Type.String(),
    period: Period,
    merchantIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
    requestedBy: Type.String(),
    progress: Type.Object({
      merchantsDone: Type.Integer(),
      merchantsTotal: Type.Union([Type.Integer(), Type.Null()]),
    }),
    linesSettled: Type.Union([Type.Integer(), Type.Null()], {
      description:
        "Ledger lines this run settled: the merchants' lines it claimed (the report's `lines` per merchant) plus, once completed, the lines of its own payout, carry-forward and reserve-release entries.",
    }),
    createdAt: Type.Union([Type.String(), Type.Null()]),
    completedAt: Type.Union([Type.String(), Type.Null()]),
    totals: Type.Union([
      Type.Object({
        currency: Type.String(),
        gross: Amount,
        refunds: Amount,
        fees: Amount,
        dutiesTaxes: Amount,
        carrier: Amount,
        reserveHeld: Amount,
        reserveReleased: Amount,
        broughtForward: Amount,
        other: Amount,
        net: Amount,
        carriedForward: Amount,
      }),
      Type.Null(),
    ]),
    outcomes: Type.Union([
      Type.Object(Object.fromEntries(PAYOUT_STATUSES.map((s) => [s, Type.Integer()]))),
      Type.Null(),
    ]),
    payouts: Type.Union([
      Type.Array(Type.Object({ currency: Type.String(), amount: Type.Integer(), count: Type.Integer() })),
      Type.Null(),
    ]),
    refusal: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
    report: Type.Union([
      Type.String({ description: 'Path of the CSV report, once completed.' }),
      Type.Null(),
    ]),
  },
  { $id: 'SettlementRun', title: 'SettlementRun' },
);

export const SettlementListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$', description: '`nextCursor` of the previous page.' }),
    ),
    status: Type.Optional(
      Type.Union([Type.Literal('running'), Type.Literal('completed')], { description: 'Only runs in it.' }),
    ),
    currency: Type.Optional(
      Type.String({ pattern: '^[A-Z]{3}$', description: 'Only runs settling this ledger currency.' }),
    ),
  },
  { additionalProperties: false },
);

export const SettlementRunSummary = Type.Object(
  {
    runId: Type.String(),
    status: Type.Union([Type.Literal('running'), Type.Literal('completed')]),
    currency: Type.String(),
    period: Period,
    merchantIds: Type.Union([Type.Array(Type.String()), Type.Null()], {
      description: 'Null: every merchant.',
    }),
    requestedBy: Type.String(),
    merchantsTotal: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Merchants of the run; null until it has claimed its lines.',
    }),
    linesSettled: Type.Union([Type.Integer(), Type.Null()], {
      description: "As the run's `linesSettled`; null until it has claimed its lines.",
    }),
    createdAt: Type.String(),
    completedAt: Type.Union([Type.String(), Type.Null()]),
    report: Type.Union([
      Type.String({ description: 'Path of the CSV report, once completed.' }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false, title: 'SettlementRunSummary' },
);

export const SettlementList = Type.Object(
  {
    data: Type.Array(SettlementRunSummary),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next page; null on the last.',
    }),
  },
  { additionalProperties: false },
);

type RunBody = Static<typeof SettlementRunView>;
const asBody = (view: SettlementRunViewType) => view as unknown as RunBody;

/** Settlement runs: finance starts them, follows them and downloads their report. */
export const settlementRoutes: FastifyPluginAsyncTypebox<SettlementRoutesDependencies> = async (
  app,
  { desk },
) => {
  app.addSchema(SettlementRunView);

  app.post(
    '/v1/settlements',
    {
      config: { auth: { roles: ['finance'] }, audit: true },
      schema: {
        summary: 'Start a settlement run: pay merchants what their unsettled ledger lines add up to',
        description:
          'Starts the workflow `settlement-<runId>`, which settles, for each merchant (all, or `merchantIds`), every ' +
          'unsettled line of its payable account in `currency` that occurred before `to`, plus reserve held at least ' +
          "the merchant's reserve_days, and pays the net to its connected account (converted at the ECB reference " +
          'rate when its settlement currency differs). Each line is settled once, ever. 201 with the run; with an ' +
          'Idempotency-Key already used with the same body, 200 with that run (nothing new starts), with another ' +
          'body 409. Refused with nothing written: `from` not before `to`, `to` in the future, an unknown currency ' +
          'or merchant (400); a period overlapping a completed run of the same currency and merchants (409).',
        tags: ['settlements'],
        headers: StartHeaders,
        body: StartSettlementBody,
        response: withErrors({ 201: Type.Ref(SettlementRunView), 200: Type.Ref(SettlementRunView) }),
      },
    },
    async (request, reply) => {
      const started = await desk.start(
        request.body,
        request.headers['idempotency-key'],
        request.principal!.name,
      );
      request.log.info({ runId: started.run.runId, created: started.created }, 'settlement run started');
      return reply.status(started.created ? 201 : 200).send(asBody(started.run));
    },
  );

  app.get(
    '/v1/settlements',
    {
      config: { auth: { roles: ['finance'] } },
      schema: {
        summary: 'List settlement runs, newest first',
        description:
          'The runs PostgreSQL has recorded, newest first (by creation, then run id), `limit` at a time: pass ' +
          '`nextCursor` as `cursor` for the next page. A run appears once its workflow has recorded it (a run ' +
          'refused for an overlapping period never does). Filter by `status` and `currency`; a cursor this API ' +
          'did not return is a 400.',
        tags: ['settlements'],
        querystring: SettlementListQuery,
        response: withErrors({ 200: SettlementList }),
      },
    },
    async (request) => {
      const { limit, cursor, status, currency } = request.query;
      return desk.list({
        limit: limit ?? 20,
        ...(cursor !== undefined ? { cursor } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(currency !== undefined ? { currency } : {}),
      });
    },
  );

  app.get(
    '/v1/settlements/:id',
    {
      config: { auth: { roles: ['finance'] } },
      schema: {
        summary: 'A settlement run: progress while it runs, totals once completed',
        tags: ['settlements'],
        params: Params,
        response: withErrors({ 200: Type.Ref(SettlementRunView) }),
      },
    },
    async (request) => asBody(await desk.get(request.params.id)),
  );

  app.get(
    '/v1/settlements/:id/report.csv',
    {
      config: { auth: { roles: ['finance'] } },
      schema: {
        summary: "The run's per-merchant report (CSV), once completed",
        description:
          'One line per merchant: currency, lines settled, gross, refunds, fees, duties/taxes, carrier, reserve held ' +
          'and released, brought and carried forward, other, net, FX rate/source/time, payout currency and amount, ' +
          'transfer id, status, note; then a TOTAL line. Amounts are decimals. 409 while the run is running.',
        tags: ['settlements'],
        params: Params,
        produces: ['text/csv'],
        response: withErrors({
          200: Type.String({ description: 'text/csv; charset=utf-8' }),
        }),
      },
    },
    async (request, reply) => {
      const csv = await desk.report(request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="settlement-${request.params.id}.csv"`)
        .send(csv);
    },
  );
};
