// The baseline of bench/saga-throughput.ts: a workflow with the shape of a happy-path order and
// none of its work. It runs `activities` no-op activities one after the other (the order saga's
// count, taken from a real order's history in the same run) with the saga's database-step
// options, then one timer of the order's refund window. Bundled on its own for a worker of its
// own (bench/saga-worker.ts, mode `baseline`) with the same worker options as the orders' one.
import { proxyActivities, sleep } from '@temporalio/workflow';

export interface BaselineActivities {
  noop(input: { step: number }): Promise<{ step: number }>;
}

export interface BaselineInput {
  activities: number;
  timerMs: number;
}

const { noop } = proxyActivities<BaselineActivities>({
  heartbeatTimeout: '10 seconds',
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function baselineWorkflow(input: BaselineInput): Promise<{ done: number }> {
  for (let step = 0; step < input.activities; step++) await noop({ step });
  if (input.timerMs > 0) await sleep(input.timerMs);
  return { done: input.activities };
}
