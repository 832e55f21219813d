import { defineQuery } from '@temporalio/workflow';
import type { ReconciliationCounts } from './types';

/** One workflow per reconciliation run, its id derived from the run's id. */
export function reconciliationWorkflowId(reconciliationId: string): string {
  return `reconciliation-${reconciliationId}`;
}

export interface ReconciliationWorkflowInput {
  reconciliationId: string;
  currency: string;
  period: { from: string; to: string };
  /** Where the processor's transactions are read (the period widened; see request.ts). */
  processorWindow: { from: string; to: string };
  /** Balance transactions per page (1..100). */
  pageSize: number;
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
