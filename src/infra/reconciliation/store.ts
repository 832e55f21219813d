import type { Prisma } from '../../generated/prisma/client';
import { money, toSafeAmount } from '../../domain/money';
import type {
  FeeSummary,
  LedgerRef,
  Mismatch,
  MismatchKind,
  MovementCategory,
  ProcessorItem,
  ProcessorRef,
  ReconciliationCounts,
  ReconciliationResult,
  ReconciliationTotals,
} from '../../domain/reconciliation';
import { AppError } from '../../errors';
import type { Database } from '../database';
import { decodeCursor, keysetPage, olderThan } from '../database/keyset';

export type ReconciliationStatus = 'running' | 'completed' | 'failed';

/** A run as lists show it. JSON-safe. */
export interface ReconciliationSummary {
  id: string;
  status: ReconciliationStatus;
  processor: string;
  currency: string;
  period: { from: string; to: string };
  processorWindow: { from: string; to: string };
  requestedBy: string;
  createdAt: string;
  completedAt: string | null;
  counts: ReconciliationCounts | null;
  error: string | null;
}

/** A stored mismatch: the domain's, with its row id. */
export interface StoredMismatch extends Omit<Mismatch, 'processor' | 'ledger'> {
  id: string;
  processor: ProcessorRef[];
  ledger: LedgerRef[];
}

/** What the run keeps beside its counts: the totals and the fee summary. */
export interface StoredSummary {
  counts: ReconciliationCounts;
  totals: ReconciliationTotals;
  fees: FeeSummary;
}

export interface NewRun {
  id: string;
  workflowId: string;
  currency: string;
  period: { from: string; to: string };
  processorWindow: { from: string; to: string };
  idempotencyKey: string | null;
  requestHash: string;
  requestedBy: string;
}

export interface StoredPage {
  pageNo: number;
  itemCount: number;
  nextStartingAfter: string | null;
}

type RunRow = Prisma.ReconciliationGetPayload<object>;

/** The longest reason a mismatch row keeps (the column's size). */
const MAX_REASON = 2_000;
const MISMATCH_WRITE_BATCH = 1_000;

/**
 * reconciliations, reconciliation_mismatches and reconciliation_processor_pages: runs, what
 * they found, and the processor pages they read.
 */
export class ReconciliationStore {
  constructor(private readonly db: Database) {}

  /** Inserts the run unless its id exists; answers the stored run and whether this call made it. */
  async create(run: NewRun): Promise<{ created: boolean; row: RunRow }> {
    const { count } = await this.db.reconciliation.createMany({
      data: [
        {
          id: run.id,
          workflowId: run.workflowId,
          currency: run.currency,
          periodFrom: new Date(run.period.from),
          periodTo: new Date(run.period.to),
          processorWindowFrom: new Date(run.processorWindow.from),
          processorWindowTo: new Date(run.processorWindow.to),
          idempotencyKey: run.idempotencyKey,
          requestHash: run.requestHash,
          requestedBy: run.requestedBy,
        },
      ],
      skipDuplicates: true,
    });
    const row = await this.db.reconciliation.findUnique({ where: { id: run.id } });
    if (!row) throw new AppError('INTERNAL', `reconciliation ${run.id} neither inserted nor found; retry`);
    return { created: count === 1, row };
  }

  async find(id: string): Promise<RunRow | null> {
    return this.db.reconciliation.findUnique({ where: { id } });
  }

  async findByIdempotencyKey(key: string): Promise<RunRow | null> {
    return this.db.reconciliation.findUnique({ where: { idempotencyKey: key } });
  }

  async require(id: string): Promise<RunRow> {
    const row = await this.find(id);
    if (!row) throw new AppError('NOT_FOUND', `reconciliation ${id} does not exist`, { field: 'id' });
    return row;
  }

  /** A page read before (a retried activity answers from it, so the cursor never moves twice). */
  async findPage(id: string, pageNo: number): Promise<StoredPage | null> {
    const row = await this.db.reconciliationProcessorPage.findUnique({
      where: { reconciliationId_pageNo: { reconciliationId: id, pageNo } },
      select: { pageNo: true, itemCount: true, nextStartingAfter: true },
    });
    return row;
  }

  async savePage(
    id: string,
    pageNo: number,
    startingAfter: string | null,
    nextStartingAfter: string | null,
    items: ProcessorItem[],
  ): Promise<StoredPage> {
    await this.db.reconciliationProcessorPage.createMany({
      data: [
        {
          reconciliationId: id,
          pageNo,
          startingAfter,
          nextStartingAfter,
          items: items as unknown as Prisma.InputJsonValue,
          itemCount: items.length,
        },
      ],
      skipDuplicates: true,
    });
    return (await this.findPage(id, pageNo))!;
  }

  /** Every processor transaction the run read, page by page. */
  async processorItems(id: string): Promise<ProcessorItem[]> {
    const pages = await this.db.reconciliationProcessorPage.findMany({
      where: { reconciliationId: id },
      orderBy: { pageNo: 'asc' },
      select: { items: true },
    });
    return pages.flatMap((page) => page.items as unknown as ProcessorItem[]);
  }

  /**
   * Stores what the run found, once: its mismatches, counts and summary, in one transaction. A
   * run already completed is left as it is (a retried activity).
   */
  async complete(id: string, result: ReconciliationResult, completedAt: Date): Promise<void> {
    await this.db.$transaction(
      async (tx) => {
        const run = await tx.reconciliation.findUnique({ where: { id }, select: { status: true } });
        if (!run) throw new AppError('NOT_FOUND', `reconciliation ${id} does not exist`, { field: 'id' });
        if (run.status === 'completed') return;
        await tx.reconciliationMismatch.deleteMany({ where: { reconciliationId: id } });
        for (let i = 0; i < result.mismatches.length; i += MISMATCH_WRITE_BATCH) {
          await tx.reconciliationMismatch.createMany({
            data: result.mismatches.slice(i, i + MISMATCH_WRITE_BATCH).map((m) => ({
              reconciliationId: id,
              kind: m.kind,
              category: m.category,
              matchKey: m.matchKey,
              orderId: m.orderId,
              currency: result.currency,
              processorAmount: m.processorAmount === null ? null : BigInt(m.processorAmount.amount),
              ledgerAmount: m.ledgerAmount === null ? null : BigInt(m.ledgerAmount.amount),
              difference: BigInt(m.difference.amount),
              processor: m.processor as unknown as Prisma.InputJsonValue,
              ledger: m.ledger as unknown as Prisma.InputJsonValue,
              reason: m.reason.length > MAX_REASON ? `${m.reason.slice(0, MAX_REASON - 1)}…` : m.reason,
            })),
          });
        }
        const summary: StoredSummary = { counts: result.counts, totals: result.totals, fees: result.fees };
        await tx.reconciliation.update({
          where: { id },
          data: {
            status: 'completed',
            processorTransactions: result.counts.processorTransactions,
            ledgerEntries: result.counts.ledgerEntries,
            matchedCount: result.counts.matched,
            missingCount: result.counts.missing,
            extraCount: result.counts.extra,
            differentAmountCount: result.counts.differentAmount,
            summary: summary as unknown as Prisma.InputJsonValue,
            error: null,
            completedAt,
          },
        });
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  /** Marks a run that could not finish (it keeps whatever pages it read). */
  async fail(id: string, message: string, at: Date): Promise<void> {
    await this.db.reconciliation.updateMany({
      where: { id, status: 'running' },
      data: { status: 'failed', error: message.slice(0, 1_000), completedAt: at },
    });
  }

  /** Runs newest first; keyset pagination on (created_at, id). */
  async list(
    limit: number,
    cursor?: string,
  ): Promise<{ data: ReconciliationSummary[]; nextCursor: string | null }> {
    const rows = await this.db.reconciliation.findMany({
      where: cursor ? olderThan(decodeCursor(cursor)) : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = keysetPage(rows, limit);
    return { data: page.rows.map(summaryOf), nextCursor: page.nextCursor };
  }

  /** A run's mismatches in a stable order (by row id), optionally of one kind; cursor = last id. */
  async mismatches(
    id: string,
    options: { kind?: MismatchKind; limit: number; after?: string },
  ): Promise<{ data: StoredMismatch[]; nextCursor: string | null }> {
    let afterId: bigint | undefined;
    if (options.after !== undefined) {
      if (!/^[0-9]{1,18}$/.test(options.after)) {
        throw new AppError('VALIDATION_FAILED', 'mismatchCursor is not one this API returned', {
          field: 'mismatchCursor',
        });
      }
      afterId = BigInt(options.after);
    }
    const rows = await this.db.reconciliationMismatch.findMany({
      where: {
        reconciliationId: id,
        ...(options.kind ? { kind: options.kind } : {}),
        ...(afterId !== undefined ? { id: { gt: afterId } } : {}),
      },
      orderBy: { id: 'asc' },
      take: options.limit + 1,
    });
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      data: page.map((row) => {
        const amount = (value: bigint | null) =>
          value === null ? null : money(toSafeAmount(value), row.currency);
        return {
          id: row.id.toString(),
          kind: row.kind as MismatchKind,
          category: row.category as MovementCategory,
          matchKey: row.matchKey,
          orderId: row.orderId,
          processorAmount: amount(row.processorAmount),
          ledgerAmount: amount(row.ledgerAmount),
          difference: money(toSafeAmount(row.difference), row.currency),
          processor: row.processor as unknown as ProcessorRef[],
          ledger: row.ledger as unknown as LedgerRef[],
          reason: row.reason,
        };
      }),
      nextCursor: rows.length > options.limit && last ? last.id.toString() : null,
    };
  }
}

export function summaryOf(row: RunRow): ReconciliationSummary {
  const stored = row.summary as unknown as StoredSummary | null;
  return {
    id: row.id,
    status: row.status as ReconciliationStatus,
    processor: row.processor,
    currency: row.currency,
    period: { from: row.periodFrom.toISOString(), to: row.periodTo.toISOString() },
    processorWindow: {
      from: row.processorWindowFrom.toISOString(),
      to: row.processorWindowTo.toISOString(),
    },
    requestedBy: row.requestedBy,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    counts: row.status === 'completed' && stored ? stored.counts : null,
    error: row.error,
  };
}

export function storedSummaryOf(row: RunRow): StoredSummary | null {
  return row.status === 'completed' ? (row.summary as unknown as StoredSummary | null) : null;
}
