// Reconciliation's activities: read the processor's balance transactions page by page into
// staging (reconciliation_processor_pages), then read the ledger in batches, match (the pure
// src/domain/reconciliation) and store the result. Each is idempotent, so a retry never reads a
// page twice or stores a mismatch twice.
import type { BalanceTransaction, PaymentsPort } from '../src/domain/payments';
import {
  checkReconciliationRequest,
  ledgerKeysFor,
  processorFeeEntries,
  processorWindow,
  reconcile,
  type OpenedReconciliation,
  type ProcessorItem,
  type ReconciliationCounts,
} from '../src/domain/reconciliation';
import { dailyPeriod } from '../src/domain/time/daily';
import { AppError } from '../src/errors';
import type { Database } from '../src/infra/database';
import { LedgerStore } from '../src/infra/ledger';
import { ReconciliationLedgerSource } from '../src/infra/reconciliation/ledger-source';
import { requestHashOf, runIdForWorkflow } from '../src/infra/reconciliation/desk';
import { ReconciliationStore } from '../src/infra/reconciliation/store';
import { activity } from './activity';

export interface ReconciliationActivityDeps {
  db: Database;
  payments: PaymentsPort;
}

export interface FetchProcessorPageInput {
  reconciliationId: string;
  currency: string;
  /** Where to read (the period widened), [from, to). */
  window: { from: string; to: string };
  pageNo: number;
  /** null for the first page. */
  startingAfter: string | null;
  pageSize: number;
}

export interface FetchedPage {
  pageNo: number;
  count: number;
  /** The cursor of the next page; null: this was the last. */
  nextStartingAfter: string | null;
}

export function createReconciliationActivities({ db, payments }: ReconciliationActivityDeps) {
  const store = new ReconciliationStore(db);
  const ledger = new ReconciliationLedgerSource(db);
  const ledgerStore = new LedgerStore(db);

  return {
    /**
     * Opens the run of a workflow the daily schedule started: the UTC day before its scheduled
     * time, in its currency, under an id derived from the workflow id, so a retry finds the row
     * it wrote (and answers its period and window as stored). A day that has not ended yet, or a
     * currency Stripe cannot hold, is refused (VALIDATION_FAILED, not retried) and nothing is written.
     */
    openScheduledReconciliation: activity(
      async (input: {
        workflowId: string;
        currency: string;
        scheduledAt: string;
        requestedBy: string;
      }): Promise<OpenedReconciliation> => {
        const now = new Date();
        const checked = checkReconciliationRequest(
          { ...dailyPeriod(new Date(input.scheduledAt)), currency: input.currency },
          now,
        );
        const { row } = await store.create({
          id: runIdForWorkflow(input.workflowId),
          workflowId: input.workflowId,
          currency: checked.currency,
          period: { from: checked.from, to: checked.to },
          processorWindow: processorWindow(checked, now),
          idempotencyKey: null,
          requestHash: requestHashOf(checked),
          requestedBy: input.requestedBy,
        });
        return {
          reconciliationId: row.id,
          period: { from: row.periodFrom.toISOString(), to: row.periodTo.toISOString() },
          processorWindow: {
            from: row.processorWindowFrom.toISOString(),
            to: row.processorWindowTo.toISOString(),
          },
        };
      },
    ),

    /**
     * Reads one page of the processor's balance transactions (with their sources, in one request)
     * and stages it; refunds (and charges without an order in their metadata) get their order from
     * the orders projection by PaymentIntent, in one query per page. A page read before answers
     * from staging.
     */
    fetchProcessorPage: activity(async (input: FetchProcessorPageInput): Promise<FetchedPage> => {
      await store.require(input.reconciliationId);
      const staged = await store.findPage(input.reconciliationId, input.pageNo);
      if (staged) {
        return {
          pageNo: staged.pageNo,
          count: staged.itemCount,
          nextStartingAfter: staged.nextStartingAfter,
        };
      }
      const page = await payments.listBalanceTransactions({
        createdFrom: input.window.from,
        createdBefore: input.window.to,
        currency: input.currency,
        expandSource: true,
        limit: input.pageSize,
        ...(input.startingAfter ? { startingAfter: input.startingAfter } : {}),
      });
      const items = page.items.filter((t) => t.amount.currency === input.currency).map(toProcessorItem);
      const resolved = await withOrders(db, items);
      const saved = await store.savePage(
        input.reconciliationId,
        input.pageNo,
        input.startingAfter,
        page.hasMore ? page.nextStartingAfter : null,
        resolved,
      );
      return { pageNo: saved.pageNo, count: saved.itemCount, nextStartingAfter: saved.nextStartingAfter };
    }),

    /**
     * Reads the staged processor transactions, books the processor's fees on the period's
     * transactions (one `processor_fee` entry each, key `processor-fee:<txn>`: posted once
     * whichever run or retry gets there first), reads the ledger (the period's entries in
     * batches, then the counterparts of the processor's transactions by business key, in
     * batches), matches them and stores the result in one transaction. A completed run answers
     * its stored counts.
     */
    matchReconciliation: activity(
      async (input: { reconciliationId: string }): Promise<{ counts: ReconciliationCounts }> => {
        const run = await store.require(input.reconciliationId);
        if (run.status === 'completed' && run.summary) {
          return { counts: (run.summary as unknown as { counts: ReconciliationCounts }).counts };
        }
        if (run.status === 'failed') {
          throw new AppError('CONFLICT', `reconciliation ${run.id} has failed: ${run.error ?? ''}`, {
            field: 'id',
          });
        }
        const period = { from: run.periodFrom.toISOString(), to: run.periodTo.toISOString() };
        const processor = await store.processorItems(run.id);
        await ledgerStore.postMany(processorFeeEntries(processor, period, run.currency));
        const inPeriod = await ledger.entriesInPeriod(run.currency, period);
        const wanted = processor.map(ledgerKeysFor);
        const counterparts = await ledger.entriesByKeys(
          run.currency,
          wanted.flatMap((w) => w.businessKeys),
          wanted.flatMap((w) => w.reversalIds),
        );
        const result = reconcile({
          period,
          currency: run.currency,
          processor,
          ledger: [...inPeriod, ...counterparts],
        });
        await store.complete(run.id, result, new Date());
        return { counts: result.counts };
      },
    ),

    /** Marks the run failed (the workflow gives up: a page or the matching failed for good). */
    failReconciliation: activity(async (input: { reconciliationId: string; message: string }) => {
      await store.fail(input.reconciliationId, input.message, new Date());
      return {};
    }),
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;

export function toProcessorItem(transaction: BalanceTransaction): ProcessorItem {
  const source = transaction.source ?? null;
  return {
    transactionId: transaction.providerBalanceTransactionId,
    type: transaction.type,
    amount: transaction.amount.amount,
    fee: transaction.fee.amount,
    currency: transaction.amount.currency,
    createdAt: transaction.createdAt,
    sourceId: transaction.sourceId,
    paymentIntentId: source?.providerPaymentId ?? null,
    chargeId: source?.providerChargeId ?? null,
    transferId: source?.providerTransferId ?? null,
    orderId: source?.object === 'charge' ? source.orderId : null,
    refundId: source?.object === 'refund' ? source.refundId : null,
    runId: source?.object === 'transfer' ? source.runId : null,
    merchantId: source?.object === 'transfer' ? source.merchantId : null,
    reversalId: source?.object === 'transfer_reversal' ? source.reversalId : null,
  };
}

/** Fills in the order of refunds and unlabelled charges from orders.payment_intent_id (one query). */
async function withOrders(db: Database, items: ProcessorItem[]): Promise<ProcessorItem[]> {
  const intents = [
    ...new Set(items.filter((i) => i.orderId === null && i.paymentIntentId).map((i) => i.paymentIntentId!)),
  ];
  if (intents.length === 0) return items;
  const rows = await db.order.findMany({
    where: { paymentIntentId: { in: intents } },
    select: { id: true, paymentIntentId: true },
  });
  const orderOf = new Map(rows.map((row) => [row.paymentIntentId!, row.id]));
  return items.map((item) =>
    item.orderId === null && item.paymentIntentId && orderOf.has(item.paymentIntentId)
      ? { ...item, orderId: orderOf.get(item.paymentIntentId)! }
      : item,
  );
}
