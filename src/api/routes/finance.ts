import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../errors';
import type { FinanceReports } from '../../infra/finance';
import { withErrors } from '../schemas';
import { Money, OrderIdParams } from './orders-schemas';

export interface FinanceRoutesDependencies {
  reports: FinanceReports;
  /** The clock the default period ends with; default the system clock. */
  now?: () => Date;
}

const DAY = 86_400_000;
/** The longest period one request may ask for. */
export const MAX_DAILY_TOTALS_DAYS = 366;

const Day = (description: string) =>
  Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: `${description} (YYYY-MM-DD, UTC).` });

export const DailyTotalsQuery = Type.Object(
  {
    from: Type.Optional(Day('First day, inclusive; default 29 days before `to`')),
    to: Type.Optional(Day('Last day, inclusive; default today')),
    currency: Type.Optional(
      Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217; default every currency.' }),
    ),
  },
  { additionalProperties: false },
);

const Amount = (description: string) => Type.Integer({ description: `${description} Minor units.` });

export const DailyTotalsBody = Type.Object(
  {
    from: Type.String({ description: 'First day, inclusive.' }),
    to: Type.String({ description: 'Last day, inclusive.' }),
    currency: Type.Union([Type.String(), Type.Null()]),
    currencies: Type.Array(Type.String(), { description: 'Currencies with a movement in the period.' }),
    days: Type.Array(
      Type.Object({
        day: Type.String({ description: 'YYYY-MM-DD, UTC.' }),
        currency: Type.String(),
        captured: Amount('Captured from buyers, net of reversed captures.'),
        refunded: Amount('Refunded to buyers, net of reversed refunds.'),
        paidOut: Amount('Paid out to merchants by settlement runs, net of reversed payouts.'),
        processorFees: Amount(
          "The payment processor's own fees, as reconciliation booked them (a fee given back lowers it).",
        ),
      }),
      { description: 'Days with a movement only, by day then currency.' },
    ),
    totals: Type.Array(
      Type.Object({
        currency: Type.String(),
        captured: Type.Integer(),
        refunded: Type.Integer(),
        paidOut: Type.Integer(),
        processorFees: Type.Integer(),
      }),
    ),
  },
  { title: 'DailyTotals' },
);

const ENTRY_KINDS_DOC =
  'capture, refund, processor_fee, reversal, payout, reserve_release, fx_conversion, adjustment, …';

export const OrderLedgerBody = Type.Object(
  {
    orderId: Type.String(),
    entries: Type.Array(
      Type.Object({
        id: Type.String(),
        businessKey: Type.String({
          description: 'order:<id>:capture, refund:<refundId>, processor-fee:<txn>, …',
        }),
        kind: Type.String({ description: ENTRY_KINDS_DOC }),
        reverses: Type.Union([Type.String(), Type.Null()], {
          description: 'For a reversal: the business key of the entry it reverses.',
        }),
        description: Type.String(),
        occurredAt: Type.String({ description: 'Business time.' }),
        postedAt: Type.String(),
        lines: Type.Array(
          Type.Object({
            lineNo: Type.Integer(),
            account: Type.String({ description: '<kind>[:<party>]:<CCY>, e.g. merchant_payable:mer_1:EUR.' }),
            amount: Type.Composite([Money], { description: 'Signed: debit positive, credit negative.' }),
            settlementRunId: Type.Union([Type.String(), Type.Null()], {
              description: 'The settlement run that settled this merchant line; null while unsettled.',
            }),
          }),
        ),
      }),
      { description: 'Oldest first.' },
    ),
    money: Type.Array(
      Type.Object({
        currency: Type.String(),
        captured: Amount('Taken from the buyer.'),
        refunded: Amount('Given back to the buyer.'),
        processorFees: Amount('Kept by the payment processor (booked by reconciliation).'),
        platformFees: Amount("The platform's percentage and fixed fees, less what refunds took back."),
        merchant: Amount('Owed to the merchant: payable and reserve.'),
        carrier: Amount('Owed to the carrier for the label.'),
        dutiesAndTaxes: Amount("Owed to the destination's customs and tax authorities."),
      }),
      { description: 'Where the money went, per currency.' },
    ),
  },
  { title: 'OrderLedger' },
);

/** Finance's read-only reports (the console's chart). */
export const financeRoutes: FastifyPluginAsyncTypebox<FinanceRoutesDependencies> = async (app, deps) => {
  const now = deps.now ?? (() => new Date());

  app.get(
    '/v1/orders/:id/ledger',
    {
      config: { auth: { roles: ['finance'] } },
      schema: {
        summary:
          "An order's ledger entries, which settlement run settled each merchant line, and where its money went",
        description:
          'Every journal entry naming the order (its capture, refunds and their reversals, the processor fee ' +
          'reconciliation booked), oldest first, with their lines. A merchant line shows the settlement run that ' +
          'settled it. `money` sums them per currency: captured, refunded, processor and platform fees, and what ' +
          'the merchant, the carrier and the authorities are owed. An order without entries yet answers them empty; ' +
          'an unknown order is 404.',
        tags: ['finance'],
        params: OrderIdParams,
        response: withErrors({ 200: OrderLedgerBody }),
      },
    },
    async (request) => {
      const ledger = await deps.reports.orderLedger(request.params.id);
      if (!ledger) {
        throw new AppError('NOT_FOUND', `order ${request.params.id} does not exist`, { field: 'id' });
      }
      return ledger;
    },
  );

  app.get(
    '/v1/finance/daily-totals',
    {
      config: { auth: { roles: ['finance', 'admin'] } },
      schema: {
        summary:
          'Captured, refunded, paid out and processor fees per day (UTC) and currency, from the ledger',
        description:
          "Sums of the processor clearing accounts' lines by entry kind: captures, refunds, settlement payouts " +
          'and the processor fees reconciliation booked ' +
          '(a reversal counts as the kind it reverses). Days without a movement are left out. At most ' +
          `${MAX_DAILY_TOTALS_DAYS} days; \`from\` after \`to\` is a 400.`,
        tags: ['finance'],
        querystring: DailyTotalsQuery,
        response: withErrors({ 200: DailyTotalsBody }),
      },
    },
    async (request) => {
      const today = startOfDay(now());
      const to = request.query.to ? parseDay(request.query.to, 'to') : today;
      const from = request.query.from
        ? parseDay(request.query.from, 'from')
        : new Date(to.getTime() - 29 * DAY);
      if (from > to) {
        throw new AppError('VALIDATION_FAILED', '`from` must not be after `to`', { field: 'from' });
      }
      if ((to.getTime() - from.getTime()) / DAY + 1 > MAX_DAILY_TOTALS_DAYS) {
        throw new AppError('VALIDATION_FAILED', `at most ${MAX_DAILY_TOTALS_DAYS} days at once`, {
          field: 'from',
        });
      }
      const currency = request.query.currency;
      const days = await deps.reports.dailyTotals({
        from,
        to: new Date(to.getTime() + DAY),
        ...(currency ? { currency } : {}),
      });
      const totals = new Map<
        string,
        { currency: string; captured: number; refunded: number; paidOut: number; processorFees: number }
      >();
      for (const d of days) {
        const t = totals.get(d.currency) ?? {
          currency: d.currency,
          captured: 0,
          refunded: 0,
          paidOut: 0,
          processorFees: 0,
        };
        t.captured += d.captured;
        t.refunded += d.refunded;
        t.paidOut += d.paidOut;
        t.processorFees += d.processorFees;
        totals.set(d.currency, t);
      }
      return {
        from: isoDay(from),
        to: isoDay(to),
        currency: currency ?? null,
        currencies: [...totals.keys()].sort(),
        days,
        totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
      };
    },
  );
};

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function parseDay(value: string, field: string): Date {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || isoDay(date) !== value) {
    throw new AppError('VALIDATION_FAILED', `${field} is not a date: ${value}`, { field });
  }
  return date;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
