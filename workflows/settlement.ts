// A settlement run: one durable workflow per run (id `settlement-<runId>`). It records the run,
// has its lines claimed and aggregated in one set-based step, pays merchants a batch per activity
// and marks the run completed. Every step is idempotent by run id; a worker that dies mid-run
// leaves a step that runs again, and the payout's idempotency key keeps transfers to one each.
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { SettlementActivities } from '../activities/settlement';
import { settlementProgressQuery } from '../src/domain/settlement/messages';
import { dailyPeriod, runIdFromWorkflowId, scheduledTimeOf } from '../src/domain/settlement/period';
import {
  DEFAULT_PAYOUT_BATCH_SIZE,
  type SettlementProgress,
  type SettlementWorkflowInput,
} from '../src/domain/settlement/types';
import { payoutStep, PREPARE_STEP, RUN_RECORD_STEP } from './settlement-policies';

export async function settlementWorkflow(input: SettlementWorkflowInput): Promise<SettlementProgress> {
  const { workflowId } = workflowInfo();
  const runId = input.runId ?? runIdFromWorkflowId(workflowId);
  // A scheduled run settles the UTC day before its scheduled time (named in its workflow id).
  const period = input.period ?? dailyPeriod(scheduledTimeOf(workflowId) ?? new Date());
  const batchSize = input.payoutBatchSize ?? DEFAULT_PAYOUT_BATCH_SIZE;
  const records = proxyActivities<SettlementActivities>(RUN_RECORD_STEP);
  const heavy = proxyActivities<SettlementActivities>(PREPARE_STEP);
  const payouts = proxyActivities<SettlementActivities>(payoutStep(batchSize));

  const progress: SettlementProgress = {
    runId,
    workflowId,
    status: 'running',
    phase: 'opening',
    currency: input.currency,
    period,
    merchantIds: input.merchantIds,
    requestedBy: input.requestedBy,
    merchantsTotal: null,
    merchantsDone: 0,
    linesSettled: null,
  };
  setHandler(settlementProgressQuery, () => progress);

  try {
    await records.openSettlementRun({
      runId,
      workflowId,
      currency: input.currency,
      period,
      merchantIds: input.merchantIds,
      requestedBy: input.requestedBy,
    });
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    if (cause instanceof ApplicationFailure && cause.nonRetryable) {
      // Refused (it overlaps a completed run): nothing was written.
      progress.status = 'refused';
      progress.phase = 'done';
      progress.refusal = { code: cause.type ?? 'CONFLICT', message: cause.message };
      return progress;
    }
    throw error;
  }

  progress.phase = 'claiming';
  const prepared = await heavy.prepareSettlement({ runId });
  progress.merchantsTotal = prepared.merchantsTotal;
  progress.merchantsDone = prepared.merchantsTotal - prepared.pending;
  progress.linesSettled = prepared.linesSettled;

  progress.phase = 'paying';
  let remaining = prepared.pending;
  while (remaining > 0) {
    const batch = await payouts.payMerchants({ runId, limit: batchSize });
    if (batch.handled === 0 && batch.remaining >= remaining) {
      throw ApplicationFailure.nonRetryable(
        `settlement run ${runId}: a payout batch made no progress`,
        'INTERNAL',
      );
    }
    remaining = batch.remaining;
    progress.merchantsDone = prepared.merchantsTotal - remaining;
  }

  progress.phase = 'finishing';
  const finished = await records.finishSettlementRun({ runId });
  progress.linesSettled = finished.linesSettled;
  progress.status = 'completed';
  progress.phase = 'done';
  return progress;
}
