// The baseline of bench/saga-throughput.ts: a workflow with the shape of a happy-path order and
// none of its work. It runs `activities` no-op activities one after the other (the order saga's
// count, taken from real orders' histories in the same run), `localActivities` of them as local
// activities spread evenly among the others (the order's projection writes; 0: all on the task
// queue), with the saga's options for each kind, then one timer of the order's refund window.
// Bundled on its own for a worker of its own (bench/saga-worker.ts, mode `baseline`) with the
// same worker options as the orders' one.
import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import { DATABASE_STEP, PROJECTION_WRITE } from '../workflows/order-policies';

export interface BaselineActivities {
  noop(input: { step: number }): Promise<{ step: number }>;
}

export interface BaselineInput {
  /** All the no-op activities, local ones included. */
  activities: number;
  /** How many of them run as local activities. */
  localActivities: number;
  timerMs: number;
}

const { noop } = proxyActivities<BaselineActivities>(DATABASE_STEP);
const local = proxyLocalActivities<BaselineActivities>(PROJECTION_WRITE);

/** Whether step `step` of `total` is one of the `locals` local ones (spread evenly). */
export function isLocalStep(step: number, total: number, locals: number): boolean {
  return Math.floor(((step + 1) * locals) / total) > Math.floor((step * locals) / total);
}

export async function baselineWorkflow(input: BaselineInput): Promise<{ done: number }> {
  for (let step = 0; step < input.activities; step++) {
    if (isLocalStep(step, input.activities, input.localActivities)) await local.noop({ step });
    else await noop({ step });
  }
  if (input.timerMs > 0) await sleep(input.timerMs);
  return { done: input.activities };
}
