import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { ORDERS_TASK_QUEUE } from '../domain/orders/temporal';

export const WORKFLOWS_PATH = require.resolve('../../workflows');

export interface WorkerComposition {
  worker: Worker;
  /** Resolves when the worker has stopped (after shutdown()), rejects if it crashed. */
  running: Promise<void>;
  /** Stops polling, lets activities in flight finish (up to the grace time), then resolves. */
  shutdown(): Promise<void>;
}

export interface StartWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  taskQueue?: string;
  /** A bundle prepared once (tests); otherwise the worker bundles workflows/ at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

/** Creates the worker that runs Borderline's workflows and activities, and starts it. */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerComposition> {
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? ORDERS_TASK_QUEUE,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(options.deps),
    shutdownGraceTime: options.shutdownGraceTime ?? '15 seconds',
  });
  const running = worker.run();
  return {
    worker,
    running,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
