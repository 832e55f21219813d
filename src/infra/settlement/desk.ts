import { createHash, randomBytes } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { currencyInfo } from '../../domain/money';
import {
  checkPeriod,
  DEFAULT_PAYOUT_BATCH_SIZE,
  settlementProgressQuery,
  settlementReportCsv,
  SETTLEMENT_TASK_QUEUE,
  settlementWorkflowId,
  type RunPhase,
  type RunStatus,
  type SettlementPeriod,
  type SettlementProgress,
  type SettlementWorkflowInput,
} from '../../domain/settlement';
import { AppError } from '../../errors';
import type { Database } from '../database';
import { hashRequest } from '../orders/desk';
import {
  overlapError,
  SettlementStore,
  type RunListFilter,
  type RunTotals,
  type StoredRun,
} from './settlement-store';

/** POST /v1/settlements, validated by the route's schema. */
export interface StartSettlementRequest {
  from: string;
  to: string;
  currency: string;
  merchantIds?: string[];
  payoutBatchSize?: number;
}

/** A run as the API shows it: progress while it runs, totals once completed. */
export interface SettlementRunView {
  runId: string;
  workflowId: string;
  status: RunStatus;
  phase: RunPhase;
  currency: string;
  period: SettlementPeriod;
  merchantIds: string[] | null;
  requestedBy: string;
  progress: { merchantsDone: number; merchantsTotal: number | null };
  linesSettled: number | null;
  createdAt: string | null;
  completedAt: string | null;
  totals: (Omit<RunTotals, 'outcomes' | 'payouts'> & { currency: string }) | null;
  outcomes: RunTotals['outcomes'] | null;
  payouts: RunTotals['payouts'] | null;
  refusal: { code: string; message: string } | null;
  report: string | null;
}

/**
 * A run as GET /v1/settlements lists it: what PostgreSQL recorded (a run appears once its
 * workflow has recorded it; a refused run never does).
 */
export interface SettlementRunSummary {
  runId: string;
  status: StoredRun['status'];
  currency: string;
  period: SettlementPeriod;
  merchantIds: string[] | null;
  requestedBy: string;
  /** Null until the run has claimed its lines and decided its payouts. */
  merchantsTotal: number | null;
  /** As SettlementRunView's; null until the run has claimed its lines. */
  linesSettled: number | null;
  createdAt: string;
  completedAt: string | null;
  /** Path of the CSV report, once completed. */
  report: string | null;
}

const QUERY_DEADLINE_MS = 5_000;
const IDEMPOTENCY_SCOPE = 'POST /v1/settlements';

/**
 * The settlement side of the API: starts runs (one workflow per run id; a retried request with
 * the same Idempotency-Key maps to the same run id and starts nothing new), shows their
 * progress (the running workflow's query) and totals (PostgreSQL once completed), and renders
 * the report.
 */
export class SettlementDesk {
  private readonly store: SettlementStore;

  constructor(
    db: Database,
    private readonly temporal: Client,
    private readonly taskQueue: string = SETTLEMENT_TASK_QUEUE,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.store = new SettlementStore(db);
  }

  /**
   * Validates the request and starts the run. Refused, with nothing written and nothing started:
   * an empty period or one ending in the future, an unknown currency or merchant (400), a
   * period overlapping a completed run of the same currency and merchants (409).
   */
  async start(
    request: StartSettlementRequest,
    idempotencyKey: string | undefined,
    requestedBy: string,
  ): Promise<{ created: boolean; run: SettlementRunView }> {
    const requestHash = hashRequest(request);
    const runId = idempotencyKey === undefined ? newRunId() : runIdForKey(idempotencyKey);
    if (idempotencyKey !== undefined) {
      const existing = await this.existing(runId, requestHash);
      if (existing) return { created: false, run: existing };
    }

    currencyInfo(request.currency, 'currency');
    const period = checkPeriod(request, this.now());
    const merchantIds = request.merchantIds === undefined ? null : [...new Set(request.merchantIds)].sort();
    if (merchantIds !== null) {
      const unknown = await this.store.unknownMerchants(merchantIds);
      if (unknown.length > 0) {
        throw new AppError('VALIDATION_FAILED', `unknown merchants: ${unknown.join(', ')}`, {
          field: 'merchantIds',
          details: { unknown },
        });
      }
    }
    const overlap = await this.store.findOverlap(request.currency, period, merchantIds);
    if (overlap) throw overlapError(overlap, request.currency);

    const input: SettlementWorkflowInput = {
      runId,
      currency: request.currency,
      period,
      merchantIds,
      requestedBy,
      payoutBatchSize: request.payoutBatchSize ?? DEFAULT_PAYOUT_BATCH_SIZE,
    };
    const startToken = randomBytes(8).toString('hex');
    let handle: WorkflowHandle;
    try {
      handle = await this.temporal.workflow.start('settlementWorkflow', {
        workflowId: settlementWorkflowId(runId),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { requestHash, startToken, input },
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const existing = await this.existing(runId, requestHash);
      if (!existing) throw error;
      return { created: false, run: existing };
    }
    const memo = (await handle.describe()).memo ?? {};
    if (memo.startToken !== startToken) {
      const raced = await this.existing(runId, requestHash);
      if (raced) return { created: false, run: raced };
    }
    return { created: true, run: viewOfInput(runId, input, 'starting') };
  }

  /** The run: the workflow's progress while it runs, the stored totals once completed. */
  async get(runId: string): Promise<SettlementRunView> {
    const stored = await this.store.getRun(runId);
    if (stored?.status === 'completed') return this.completedView(stored);
    const handle = this.temporal.workflow.getHandle(settlementWorkflowId(runId));
    try {
      const progress = await this.temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        handle.query(settlementProgressQuery),
      );
      if (progress.status === 'completed') {
        const done = await this.store.getRun(runId);
        if (done?.status === 'completed') return this.completedView(done);
      }
      return viewOfProgress(progress, stored);
    } catch (error) {
      if (stored) return viewOfStored(stored);
      if (error instanceof WorkflowNotFoundError) {
        throw new AppError('NOT_FOUND', `settlement run ${runId} does not exist`, { field: 'id' });
      }
      // Started, but no worker has answered yet: what was asked for.
      const description = await handle.describe().catch(() => undefined);
      const input = (description?.memo?.input ?? undefined) as SettlementWorkflowInput | undefined;
      if (input) return viewOfInput(runId, input, 'starting');
      throw error;
    }
  }

  /** Recorded runs, newest first, a page at a time (`nextCursor` is null on the last page). */
  async list(filter: RunListFilter): Promise<{ data: SettlementRunSummary[]; nextCursor: string | null }> {
    const page = await this.store.listRuns(filter);
    return { data: page.runs.map(summaryOf), nextCursor: page.nextCursor };
  }

  /** The per-merchant report (CSV) of a completed run. */
  async report(runId: string): Promise<string> {
    const stored = await this.store.getRun(runId);
    if (!stored) {
      await this.get(runId); // 404 for an unknown run; a run not yet recorded falls through
      throw new AppError('CONFLICT', `settlement run ${runId} has not completed; its report comes then`, {
        field: 'id',
      });
    }
    if (stored.status !== 'completed') {
      throw new AppError(
        'CONFLICT',
        `settlement run ${runId} is still running; its report comes when it completes`,
        {
          field: 'id',
        },
      );
    }
    return settlementReportCsv(stored.currency, await this.store.rows(runId));
  }

  /** The run this Idempotency-Key already started: with the same body, it; with another, refused. */
  private async existing(runId: string, requestHash: string): Promise<SettlementRunView | undefined> {
    let memo: Record<string, unknown>;
    try {
      memo = (await this.temporal.workflow.getHandle(settlementWorkflowId(runId)).describe()).memo ?? {};
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
    if (memo.requestHash !== requestHash) {
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key already started a settlement run with a different request',
        { field: 'idempotency-key' },
      );
    }
    return this.get(runId);
  }

  private async completedView(run: StoredRun): Promise<SettlementRunView> {
    const totals = await this.store.totals(run.runId);
    const { outcomes, payouts, ...amounts } = totals;
    return {
      ...viewOfStored(run),
      status: 'completed',
      phase: 'done',
      progress: { merchantsDone: run.merchantsTotal, merchantsTotal: run.merchantsTotal },
      totals: { currency: run.currency, ...amounts },
      outcomes,
      payouts,
      report: reportPath(run.runId),
    };
  }
}

const reportPath = (runId: string) => `/v1/settlements/${runId}/report.csv`;

function summaryOf(run: StoredRun): SettlementRunSummary {
  const prepared = run.preparedAt !== null;
  return {
    runId: run.runId,
    status: run.status,
    currency: run.currency,
    period: run.period,
    merchantIds: run.merchantIds,
    requestedBy: run.requestedBy,
    merchantsTotal: prepared ? run.merchantsTotal : null,
    linesSettled: prepared ? run.linesSettled : null,
    createdAt: run.createdAt,
    completedAt: run.completedAt,
    report: run.status === 'completed' ? reportPath(run.runId) : null,
  };
}

/** A run id from an Idempotency-Key: the same key always names the same run. */
export function runIdForKey(key: string): string {
  return `stl_${createHash('sha256').update(`${IDEMPOTENCY_SCOPE}\n${key}`).digest('hex').slice(0, 24)}`;
}

function newRunId(): string {
  return `stl_${randomBytes(12).toString('hex')}`;
}

function base(
  runId: string,
): Pick<
  SettlementRunView,
  | 'totals'
  | 'outcomes'
  | 'payouts'
  | 'refusal'
  | 'report'
  | 'createdAt'
  | 'completedAt'
  | 'workflowId'
  | 'runId'
> {
  return {
    runId,
    workflowId: settlementWorkflowId(runId),
    createdAt: null,
    completedAt: null,
    totals: null,
    outcomes: null,
    payouts: null,
    refusal: null,
    report: null,
  };
}

function viewOfInput(runId: string, input: SettlementWorkflowInput, status: RunStatus): SettlementRunView {
  return {
    ...base(runId),
    status,
    phase: 'opening',
    currency: input.currency,
    period: input.period!,
    merchantIds: input.merchantIds === null ? null : [...input.merchantIds],
    requestedBy: input.requestedBy,
    progress: { merchantsDone: 0, merchantsTotal: null },
    linesSettled: null,
  };
}

function viewOfStored(run: StoredRun): SettlementRunView {
  return {
    ...base(run.runId),
    status: 'running',
    phase: run.preparedAt === null ? 'claiming' : 'paying',
    currency: run.currency,
    period: run.period,
    merchantIds: run.merchantIds,
    requestedBy: run.requestedBy,
    progress: { merchantsDone: 0, merchantsTotal: run.preparedAt === null ? null : run.merchantsTotal },
    linesSettled: run.preparedAt === null ? null : run.linesSettled,
    createdAt: run.createdAt,
    completedAt: run.completedAt,
  };
}

function viewOfProgress(progress: SettlementProgress, stored: StoredRun | null): SettlementRunView {
  return {
    ...base(progress.runId),
    workflowId: progress.workflowId,
    status: progress.status,
    phase: progress.phase,
    currency: progress.currency,
    period: progress.period,
    merchantIds: progress.merchantIds === null ? null : [...progress.merchantIds],
    requestedBy: progress.requestedBy,
    progress: { merchantsDone: progress.merchantsDone, merchantsTotal: progress.merchantsTotal },
    linesSettled: progress.linesSettled,
    createdAt: stored?.createdAt ?? null,
    refusal: progress.refusal ?? null,
  };
}
