import { Type } from '@sinclair/typebox';
import { MISMATCH_KINDS, MOVEMENT_CATEGORIES } from '../../domain/reconciliation';
import { RECONCILIATION_ID_PATTERN } from '../../infra/reconciliation';

const Money = Type.Object(
  {
    amount: Type.Integer({ description: 'Minor units of the currency (cents; yen; fils), signed.' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { additionalProperties: false },
);
const Instant = Type.String({ format: 'date-time' });
const Period = Type.Object({ from: Instant, to: Instant });

export const StartReconciliationBody = Type.Object(
  {
    from: Type.String({
      maxLength: 40,
      description:
        'Start of the period (inclusive): an ISO 8601 date (`2026-11-24`, midnight UTC) or date-time with a zone. Not in the future.',
    }),
    to: Type.String({
      maxLength: 40,
      description:
        'End of the period (exclusive), a date or date-time as `from`: after `from`, not in the future, at most 92 days later.',
    }),
    currency: Type.String({
      pattern: '^[A-Z]{3}$',
      description: 'The balance currency to reconcile (an active ISO 4217 code Stripe holds).',
    }),
  },
  { additionalProperties: false },
);

export const OptionalIdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_.:-]{1,255}$',
      description: 'Optional. The same key with the same body answers the same run; with another body 409.',
    }),
  ),
});

export const ReconciliationIdParams = Type.Object({
  id: Type.String({ pattern: RECONCILIATION_ID_PATTERN }),
});

export const ReconciliationQuery = Type.Object(
  {
    kind: Type.Optional(
      Type.Union(
        MISMATCH_KINDS.map((k) => Type.Literal(k)),
        { description: 'Only mismatches of this kind.' },
      ),
    ),
    mismatchLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
    mismatchCursor: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,18}$', description: '`nextMismatchCursor` of the previous answer.' }),
    ),
  },
  { additionalProperties: false },
);

export const ReconciliationListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' })),
  },
  { additionalProperties: false },
);

const Counts = Type.Object(
  {
    processorTransactions: Type.Integer({ description: "The period's processor transactions (fees aside)." }),
    ledgerEntries: Type.Integer({
      description: "The period's ledger entries on processor clearing (fees aside).",
    }),
    matched: Type.Integer(),
    missing: Type.Integer({ description: 'Processor transactions with no ledger entry.' }),
    extra: Type.Integer({ description: 'Ledger entries with no processor transaction.' }),
    differentAmount: Type.Integer({ description: 'Matched, but the amounts differ.' }),
    matchedAcrossPeriods: Type.Integer({ description: 'Matches with a side outside the period (timing).' }),
    unpostedNetZero: Type.Integer({
      description:
        'Charged and fully refunded at the processor, never posted (orders cancelled after capture).',
    }),
  },
  { additionalProperties: false },
);

const Status = Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]);

const summaryFields = {
  id: Type.String(),
  status: Status,
  processor: Type.String(),
  currency: Type.String(),
  period: Period,
  processorWindow: Type.Object(
    { from: Instant, to: Instant },
    { description: "Where the processor's transactions were read: the period widened, for counterparts." },
  ),
  requestedBy: Type.String(),
  createdAt: Instant,
  completedAt: Type.Union([Instant, Type.Null()]),
  counts: Type.Union([Counts, Type.Null()], { description: 'Set once completed.' }),
  error: Type.Union([Type.String(), Type.Null()]),
};

export const ReconciliationSummary = Type.Object(summaryFields, { title: 'ReconciliationSummary' });

const ProcessorRef = Type.Object({
  transactionId: Type.String({ description: 'Balance transaction (txn_…).' }),
  type: Type.String(),
  sourceId: Type.Union([Type.String(), Type.Null()], { description: 'ch_…, re_…, tr_…, trr_…' }),
  paymentIntentId: Type.Union([Type.String(), Type.Null()]),
  amount: Money,
  fee: Money,
  createdAt: Instant,
  inPeriod: Type.Boolean(),
});

const LedgerRef = Type.Object({
  entryId: Type.String(),
  businessKey: Type.String(),
  kind: Type.String(),
  amount: Type.Composite([Money], { description: 'Its movement on processor clearing (debit positive).' }),
  occurredAt: Instant,
  inPeriod: Type.Boolean(),
});

const MismatchBody = Type.Object({
  id: Type.String(),
  kind: Type.Union(MISMATCH_KINDS.map((k) => Type.Literal(k))),
  category: Type.Union(MOVEMENT_CATEGORIES.map((c) => Type.Literal(c))),
  matchKey: Type.String({
    description: 'order:<orderId>, refund:<refundId>, payout:<runId>:<merchantId>, …',
  }),
  orderId: Type.Union([Type.String(), Type.Null()]),
  processorAmount: Type.Union([Money, Type.Null()]),
  ledgerAmount: Type.Union([Money, Type.Null()]),
  difference: Type.Composite([Money], { description: 'processor − ledger.' }),
  processor: Type.Array(ProcessorRef),
  ledger: Type.Array(LedgerRef),
  reason: Type.String(),
});

export const ReconciliationView = Type.Object(
  {
    ...summaryFields,
    totals: Type.Union([
      Type.Object({
        processorGross: Money,
        processorFees: Money,
        processorNet: Money,
        ledgerClearing: Money,
      }),
      Type.Null(),
    ]),
    fees: Type.Union([
      Type.Object({
        processor: Money,
        ledger: Money,
        difference: Money,
        ledgerPostsFees: Type.Boolean(),
        note: Type.String(),
      }),
      Type.Null(),
    ]),
    progress: Type.Optional(
      Type.Object({
        phase: Type.Union(['processor', 'matching', 'completed', 'failed'].map((p) => Type.Literal(p))),
        processorPages: Type.Integer(),
        processorTransactions: Type.Integer(),
        counts: Type.Optional(Counts),
        error: Type.Optional(Type.String()),
      }),
    ),
    mismatches: Type.Array(MismatchBody),
    nextMismatchCursor: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Reconciliation', title: 'Reconciliation' },
);

export const ReconciliationList = Type.Object({
  data: Type.Array(ReconciliationSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
