// A reconciliation run (id `reconciliation-<id>`, or `reconciliation-daily-<CCY>-<time>` when the
// daily schedule started it): reads the processor's balance transactions of the period (widened,
// see src/domain/reconciliation/request.ts) page by page into staging, then books the
// processor's fees and matches the transactions with the ledger and stores the mismatches. The
// workflow only orchestrates: pages and results live in PostgreSQL, so its history stays small
// whatever the period holds.
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { FetchedPage, ReconciliationActivities } from '../activities/reconciliation';
import {
  reconciliationProgressQuery,
  type OpenedReconciliation,
  type ReconciliationProgress,
  type ReconciliationWorkflowInput,
} from '../src/domain/reconciliation/temporal';
import { scheduledTimeOf } from '../src/domain/time/daily';
import type { ReconciliationCounts } from '../src/domain/reconciliation/types';

const HEARTBEAT = { heartbeatTimeout: '10 seconds' } as const;

/** A page of the processor: the adapter's own timeout is 30 s; retried, then the run fails. */
const PROCESSOR_PAGE = {
  ...HEARTBEAT,
  startToCloseTimeout: '45 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
} as const;

/** Reading the ledger, matching and storing: one transaction, minutes at most. */
const MATCHING = {
  ...HEARTBEAT,
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
  },
} as const;

const DATABASE = {
  ...HEARTBEAT,
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
} as const;

export interface ReconciliationOutcome {
  reconciliationId: string;
  counts: ReconciliationCounts;
  processorPages: number;
}

export async function reconciliationWorkflow(
  input: ReconciliationWorkflowInput,
): Promise<ReconciliationOutcome> {
  const { fetchProcessorPage } = proxyActivities<ReconciliationActivities>(PROCESSOR_PAGE);
  const { matchReconciliation } = proxyActivities<ReconciliationActivities>(MATCHING);
  const { failReconciliation, openScheduledReconciliation } =
    proxyActivities<ReconciliationActivities>(DATABASE);

  const progress: ReconciliationProgress = {
    phase: 'processor',
    processorPages: 0,
    processorTransactions: 0,
  };
  setHandler(reconciliationProgressQuery, () => progress);

  // A run finance asked for has its row already; a scheduled one opens it, for the UTC day before
  // its scheduled time (named in its workflow id). Nothing to mark failed if that is refused.
  let run: OpenedReconciliation;
  if ('reconciliationId' in input) {
    run = input;
  } else {
    const { workflowId } = workflowInfo();
    try {
      run = await openScheduledReconciliation({
        workflowId,
        currency: input.currency,
        scheduledAt: (scheduledTimeOf(workflowId) ?? new Date()).toISOString(),
        requestedBy: input.requestedBy,
      });
    } catch (error) {
      const message = failureMessage(error);
      progress.phase = 'failed';
      progress.error = message;
      throw ApplicationFailure.nonRetryable(message, 'RECONCILIATION_FAILED');
    }
  }

  try {
    let startingAfter: string | null = null;
    do {
      const page: FetchedPage = await fetchProcessorPage({
        reconciliationId: run.reconciliationId,
        currency: input.currency,
        window: run.processorWindow,
        pageNo: progress.processorPages,
        startingAfter,
        pageSize: input.pageSize,
      });
      progress.processorPages += 1;
      progress.processorTransactions += page.count;
      startingAfter = page.nextStartingAfter;
    } while (startingAfter !== null);

    progress.phase = 'matching';
    const { counts } = await matchReconciliation({ reconciliationId: run.reconciliationId });
    progress.phase = 'completed';
    progress.counts = counts;
    return { reconciliationId: run.reconciliationId, counts, processorPages: progress.processorPages };
  } catch (error) {
    const message = failureMessage(error);
    progress.phase = 'failed';
    progress.error = message;
    await failReconciliation({ reconciliationId: run.reconciliationId, message });
    throw ApplicationFailure.nonRetryable(message, 'RECONCILIATION_FAILED');
  }
}

function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'ERROR'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
