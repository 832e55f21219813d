import { createHash, randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ORDERS_TASK_QUEUE } from '../../domain/orders/temporal';
import {
  checkReconciliationRequest,
  processorWindow,
  type CheckedReconciliationRequest,
  reconciliationProgressQuery,
  reconciliationWorkflowId,
  type FeeSummary,
  type MismatchKind,
  type ReconciliationProgress,
  type ReconciliationRequest,
  type ReconciliationTotals,
  type ReconciliationWorkflowInput,
} from '../../domain/reconciliation';
import { AppError } from '../../errors';
import type { Database } from '../database';
import {
  ReconciliationStore,
  storedSummaryOf,
  summaryOf,
  type ReconciliationSummary,
  type StoredMismatch,
} from './store';

/** A run as GET /v1/reconciliations/:id shows it. */
export interface ReconciliationView extends ReconciliationSummary {
  totals: ReconciliationTotals | null;
  fees: FeeSummary | null;
  /** While running: what the workflow has done so far (its query). */
  progress?: ReconciliationProgress;
  mismatches: StoredMismatch[];
  /** Pass as `mismatchCursor` for the next mismatches; null when there are no more. */
  nextMismatchCursor: string | null;
}

export interface MismatchQuery {
  kind?: MismatchKind;
  limit: number;
  cursor?: string;
}

const QUERY_DEADLINE_MS = 3_000;

export interface ReconciliationDeskOptions {
  /** Where reconciliation workflows run: the task queue the worker polls (default `orders`). */
  taskQueue?: string;
  /** Balance transactions per page, 1..100; default 100 (Stripe's maximum). */
  pageSize?: number;
  now?: () => Date;
}

/**
 * Finance's reconciliation runs: starts one (a row, then its workflow `reconciliation-<id>` on
 * the worker's task queue), reads one (the row and its mismatches; while running, the
 * workflow's progress), lists them newest first.
 */
export class ReconciliationDesk {
  private readonly store: ReconciliationStore;
  private readonly taskQueue: string;
  private readonly pageSize: number;
  private readonly now: () => Date;

  constructor(
    db: Database,
    private readonly temporal: Client,
    options: ReconciliationDeskOptions = {},
  ) {
    this.store = new ReconciliationStore(db);
    this.taskQueue = options.taskQueue ?? ORDERS_TASK_QUEUE;
    this.pageSize = options.pageSize ?? 100;
    this.now = options.now ?? (() => new Date());
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 100) {
      throw new AppError('VALIDATION_FAILED', 'pageSize must be an integer from 1 to 100', {
        field: 'pageSize',
      });
    }
  }

  /**
   * Starts a run for a past period and a currency. The same Idempotency-Key with the same body
   * answers the same run (`created: false`); with another body it is refused. Nothing is written
   * for a request that fails validation.
   */
  async start(
    request: ReconciliationRequest,
    idempotencyKey: string | undefined,
    requestedBy: string,
  ): Promise<{ created: boolean; run: ReconciliationView }> {
    const now = this.now();
    const checked = checkReconciliationRequest(request, now);
    const requestHash = requestHashOf(checked);
    if (idempotencyKey !== undefined) {
      const existing = await this.store.findByIdempotencyKey(idempotencyKey);
      if (existing) {
        this.checkSameRequest(existing.requestHash, requestHash);
        await this.ensureStarted(existing.id);
        return { created: false, run: await this.get(existing.id) };
      }
    }
    const id = idempotencyKey === undefined ? newRunId() : runIdForKey(idempotencyKey);
    const window = processorWindow(checked, now);
    const { created, row } = await this.store.create({
      id,
      workflowId: reconciliationWorkflowId(id),
      currency: checked.currency,
      period: { from: checked.from, to: checked.to },
      processorWindow: window,
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
      requestedBy,
    });
    if (!created) this.checkSameRequest(row.requestHash, requestHash);
    try {
      await this.ensureStarted(id);
    } catch (error) {
      if (created) await this.store.fail(id, 'the reconciliation workflow could not be started', this.now());
      throw error;
    }
    return { created, run: await this.get(id) };
  }

  async get(id: string, mismatches: MismatchQuery = { limit: 500 }): Promise<ReconciliationView> {
    const row = await this.store.require(id);
    const summary = summaryOf(row);
    const stored = storedSummaryOf(row);
    const page =
      row.status === 'completed'
        ? await this.store.mismatches(id, {
            limit: mismatches.limit,
            ...(mismatches.kind ? { kind: mismatches.kind } : {}),
            ...(mismatches.cursor ? { after: mismatches.cursor } : {}),
          })
        : { data: [], nextCursor: null };
    const progress = row.status === 'running' ? await this.progress(row.workflowId) : undefined;
    return {
      ...summary,
      totals: stored?.totals ?? null,
      fees: stored?.fees ?? null,
      ...(progress ? { progress } : {}),
      mismatches: page.data,
      nextMismatchCursor: page.nextCursor,
    };
  }

  list(
    limit: number,
    cursor?: string,
  ): Promise<{ data: ReconciliationSummary[]; nextCursor: string | null }> {
    return this.store.list(limit, cursor);
  }

  /** Starts the run's workflow unless it exists (running or closed): safe to call again. */
  private async ensureStarted(id: string): Promise<void> {
    const row = await this.store.require(id);
    const input: ReconciliationWorkflowInput = {
      reconciliationId: id,
      currency: row.currency,
      period: { from: row.periodFrom.toISOString(), to: row.periodTo.toISOString() },
      processorWindow: {
        from: row.processorWindowFrom.toISOString(),
        to: row.processorWindowTo.toISOString(),
      },
      pageSize: this.pageSize,
    };
    try {
      await this.temporal.workflow.start('reconciliationWorkflow', {
        workflowId: row.workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      // It ran already (and closed): the row holds its outcome.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** The workflow's progress, or nothing when it cannot answer in time. */
  private async progress(workflowId: string): Promise<ReconciliationProgress | undefined> {
    try {
      return await this.temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        this.temporal.workflow.getHandle(workflowId).query(reconciliationProgressQuery),
      );
    } catch {
      return undefined; // not started yet, closed meanwhile, or no worker answering: the row says enough
    }
  }

  private checkSameRequest(stored: string, requestHash: string): void {
    if (stored !== requestHash) {
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used for a reconciliation with another period or currency',
        { field: 'idempotency-key' },
      );
    }
  }
}

/** `rec_` + 24 hex characters. */
export const RECONCILIATION_ID_PATTERN = '^rec_[0-9a-f]{24}$';

function newRunId(): string {
  return `rec_${randomBytes(12).toString('hex')}`;
}

/** What a run was asked for, as a hash: the same Idempotency-Key must come with the same request. */
export function requestHashOf(request: CheckedReconciliationRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.from, request.to, request.currency]))
    .digest('hex');
}

/** The run a scheduled workflow opens: one per workflow id, so a retried opening finds its row. */
export function runIdForWorkflow(workflowId: string): string {
  return `rec_${createHash('sha256').update(`schedule\n${workflowId}`).digest('hex').slice(0, 24)}`;
}

/** The same key always names the same run (so concurrent retries meet on one row). */
function runIdForKey(key: string): string {
  return `rec_${createHash('sha256').update(`POST /v1/reconciliations\n${key}`).digest('hex').slice(0, 24)}`;
}
