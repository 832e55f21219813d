import type { PayloadCodec } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { compensationNames } from '../../activities/activity';
import { ORDERS_TASK_QUEUE } from '../domain/orders/temporal';
import type { Tracing } from '../infra/telemetry';
import { encryptedDataConverter } from '../infra/temporal/payload-codec';
import { sagaMetricsInterceptor } from './saga-metrics';

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
  /**
   * Encrypts what the worker sends to Temporal and decrypts what it reads (the same keys as the
   * clients'). The workflows themselves never see ciphertext: codecs run outside the sandbox.
   */
  payloadCodec: PayloadCodec;
  taskQueue?: string;
  /** A bundle prepared once (tests); otherwise the worker bundles workflows/ at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /**
   * OpenTelemetry interceptors and the workflow span sink (OTEL_TRACING); omitted: none. The
   * workflow interceptors are bundled with the workflows, so a prepared `workflowBundle` must
   * have been built with `tracing.workflowModules` to trace workflows.
   */
  tracing?: Tracing['worker'];
}

/** Creates the worker that runs Borderline's workflows and activities, and starts it. */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerComposition> {
  const activities = createActivities(options.deps);
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? ORDERS_TASK_QUEUE,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities,
    dataConverter: encryptedDataConverter(options.payloadCodec),
    interceptors: {
      // Saga step counters on the SDK's metric meter (the worker's Prometheus endpoint).
      activity: [
        ...(options.tracing?.activity ?? []),
        sagaMetricsInterceptor({ compensations: new Set(compensationNames(activities)) }),
      ],
      ...(options.tracing ? { workflowModules: options.tracing.workflowModules } : {}),
    },
    ...(options.tracing ? { sinks: options.tracing.sinks } : {}),
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
