import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SystemActivities } from '../activities/system';

const { checkDatabase } = proxyActivities<SystemActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 milliseconds' },
});

export interface SystemCheckResult {
  taskQueue: string;
  database: { serverVersion: string; latencyMs: number };
}

/**
 * Proves the whole path works: Temporal hands a workflow task to a worker, the worker runs an
 * activity, and the activity reaches PostgreSQL. `npm run dev` runs it once at start-up.
 */
export async function systemCheckWorkflow(): Promise<SystemCheckResult> {
  const database = await checkDatabase();
  return { taskQueue: workflowInfo().taskQueue, database };
}
