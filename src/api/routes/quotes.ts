import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  issueQuote,
  issueQuoteOnce,
  type QuoteDesk,
  quoteStatus,
  type StoredQuote,
} from '../../domain/quotes';
import { quoteIdForKey } from '../../infra/quotes';
import { AppError } from '../../errors';
import { withErrors } from '../schemas';
import { QuoteIdParams, QuoteRequestBody, QuoteView } from './quotes-schemas';

export interface QuoteRoutesDependencies {
  desk: QuoteDesk;
  /** The clock quotes are made and read with; default the system clock. */
  now?: () => Date;
}

type QuoteBody = Static<typeof QuoteView>;

/** The stored quote as the API shows it. */
function view(quote: StoredQuote, now: Date): QuoteBody {
  const b = quote.breakdown;
  const body = {
    id: quote.id,
    status: quoteStatus(quote, now),
    merchantId: quote.merchantId,
    currency: quote.currency,
    incoterm: quote.incoterm,
    shipFrom: quote.request.shipFrom,
    shipTo: quote.request.shipTo,
    createdAt: quote.createdAt.toISOString(),
    expiresAt: quote.expiresAt.toISOString(),
    consumedByOrderId: quote.consumedByOrderId,
    lines: b.lines,
    shipping: b.shipping,
    totals: b.totals,
    collection: b.collection,
    regime: b.regime,
    destination: b.destination,
    destinationTotals: b.destinationTotals,
    rulesUsed: b.rulesUsed,
    fx: b.fx,
    screening: b.screening,
    notes: b.notes,
  };
  // The domain's types are deeply readonly; the response schema's static type is not.
  return body as unknown as QuoteBody;
}

const QuoteHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_.:-]{1,255}$',
      description:
        'Repeating the request with the same key and body answers 200 with the quote it issued (as it is ' +
        'now: maybe used or expired since); the same key with another body is refused 409. Keys are per API key.',
    }),
  ),
});

const PRICE_LOCK =
  'A quote is a price lock: until `expiresAt` (QUOTE_TTL_SECONDS after the quote, 30 minutes by default) ' +
  'the order saga charges exactly `totals.chargeNow` (goods, shipping and whatever duties and taxes are ' +
  'collected at checkout) and nothing else; it refuses a quote that has expired, that another order has ' +
  'used, or whose screening decision is BLOCK, and never re-prices. With DAP, `totals.dueOnDelivery` is an ' +
  'estimate the buyer pays the carrier on delivery. All amounts are integer minor units of `currency`.';

/** POST /v1/quotes and GET /v1/quotes/:id. */
export const quoteRoutes: FastifyPluginAsyncTypebox<QuoteRoutesDependencies> = async (app, deps) => {
  const now = deps.now ?? (() => new Date());
  app.addSchema(QuoteView);

  app.post(
    '/v1/quotes',
    {
      config: { auth: { roles: ['checkout'] } },
      schema: {
        summary: 'Quote the landed cost of a cart: shipping, duties, taxes, screening',
        description:
          `${PRICE_LOCK}\n\n` +
          'Shipping: the cheapest service delivering within `shipping.deliveryPromiseDays` business days, or the ' +
          'fastest costing at most `shipping.priceCap`, or (neither) the cheapest. Exchange rates are the ' +
          'reference rates in force at the quote time; the quote records each rate, its source and time, and ' +
          'every rule version used.\n\n' +
          'Errors: 400 names the offending field (e.g. `lines.2.unitPrice` for "10.5" in JPY, a zero quantity, ' +
          'an unknown currency or country, an unsupported destination, amounts beyond exact integers); 422 ' +
          'with field `merchantId` for an unknown merchant, or when no shipping service can carry the cart. ' +
          'Nothing is stored for a refused request.\n\n' +
          'With an `Idempotency-Key`, a retried request issues one quote: the repeat answers 200 with it; the ' +
          'key with another body is 409.',
        tags: ['quotes'],
        headers: QuoteHeaders,
        body: QuoteRequestBody,
        response: withErrors({ 201: Type.Ref(QuoteView), 200: Type.Ref(QuoteView) }),
      },
    },
    async (request, reply) => {
      const quoteTime = now();
      const key = request.headers['idempotency-key'];
      const { quote, created } =
        key === undefined
          ? { quote: await issueQuote(deps.desk, request.body, quoteTime), created: true }
          : await issueQuoteOnce(
              deps.desk,
              request.body,
              quoteTime,
              quoteIdForKey(request.principal!.keyId, key),
            );
      request.log.info(
        {
          quoteId: quote.id,
          merchantId: quote.merchantId,
          chargeNow: quote.chargeNow,
          screening: quote.screeningDecision,
          ...(created ? {} : { repeated: true }),
        },
        created ? 'quote issued' : 'quote answered again (same Idempotency-Key)',
      );
      return reply.status(created ? 201 : 200).send(view(quote, quoteTime));
    },
  );

  app.get(
    '/v1/quotes/:id',
    {
      config: { auth: { roles: ['checkout', 'support', 'finance'] } },
      schema: {
        summary: 'Read a quote: its breakdown and whether it can still be used',
        description: PRICE_LOCK,
        tags: ['quotes'],
        params: QuoteIdParams,
        response: withErrors({ 200: Type.Ref(QuoteView) }),
      },
    },
    async (request) => {
      const quote = await deps.desk.quotes.find(request.params.id);
      if (quote === null) {
        throw new AppError('NOT_FOUND', `quote ${request.params.id} does not exist`, { field: 'id' });
      }
      return view(quote, now());
    },
  );
};
