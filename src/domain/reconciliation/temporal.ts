import { defineQuery } from '@temporalio/workflow';
import type { ReconciliationCounts } from './types';

/** One workflow per reconciliation run, its id derived from the run's id. */
export function reconciliationWorkflowId(reconciliationId: string): string {
  return `reconciliation-${reconciliationId}`;
}

/** The id of the daily schedule of one currency; its runs' workflows are `reconciliation-daily-<CCY>-<time>`. */
export function dailyReconciliationScheduleId(currency: string): string {
  return `reconciliation-daily-${currency}`;
}

/** A run finance asked for (POST /v1/reconciliations): its row is written before its workflow starts. */
export interface RequestedReconciliationInput {
  reconciliationId: string;
  currency: string;
  period: { from: string; to: string };
  /** Where the processor's transactions are read (the period widened; see request.ts). */
  processorWindow: { from: string; to: string };
  /** Balance transactions per page (1..100). */
  pageSize: number;
}

/**
 * A run the daily schedule started: the workflow opens its own row (its id derived from the
 * workflow id) for the UTC day before its scheduled time.
 */
export interface ScheduledReconciliationInput {
  currency: string;
  /** Balance transactions per page (1..100). */
  pageSize: number;
  /** `schedule:<schedule id>`. */
  requestedBy: string;
}

export type ReconciliationWorkflowInput = RequestedReconciliationInput | ScheduledReconciliationInput;

/** What a scheduled run's opening wrote: the run it reconciles. */
export interface OpenedReconciliation {
  reconciliationId: string;
  period: { from: string; to: string };
  processorWindow: { from: string; to: string };
}

export type ReconciliationPhase = 'processor' | 'matching' | 'completed' | 'failed';

/** What a running reconciliation has done so far (GET /v1/reconciliations/:id while running). */
export interface ReconciliationProgress {
  phase: ReconciliationPhase;
  processorPages: number;
  processorTransactions: number;
  counts?: ReconciliationCounts;
  error?: string;
}

export const reconciliationProgressQuery = defineQuery<ReconciliationProgress>('reconciliationProgress');
