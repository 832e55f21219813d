import { Client, Connection, type ScheduleHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, payloadKeyringFrom } from '../../src/config';
import { EncryptionCodec, encryptedDataConverter } from '../../src/infra/temporal';

/**
 * The payload codec of the test run: the default (published development) key, as the API and
 * the workers that tests spawn with NODE_ENV=test use, so they all read each other's payloads.
 */
export function testPayloadCodec(): EncryptionCodec {
  return new EncryptionCodec(payloadKeyringFrom(loadConfig({ NODE_ENV: 'test' })));
}

export interface TestTemporal {
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  namespace: string;
  /** What `client` encrypts and decrypts payloads with; give it to test workers. */
  payloadCodec: EncryptionCodec;
  close(): Promise<void>;
}

/** Connections to the test run's Temporal server (see global-setup). */
export async function connectTestTemporal(address = process.env.TEMPORAL_ADDRESS): Promise<TestTemporal> {
  if (!address)
    throw new Error('TEMPORAL_ADDRESS is not set: run integration tests through jest (global-setup)');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const payloadCodec = testPayloadCodec();
  return {
    client: new Client({ connection, namespace, dataConverter: encryptedDataConverter(payloadCodec) }),
    connection,
    nativeConnection,
    namespace,
    payloadCodec,
    close: async () => {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

/** The product workflows, bundled once per test run by global-setup. */
export function productWorkflowBundle(): { codePath: string } {
  const codePath = process.env.BORDERLINE_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('BORDERLINE_WORKFLOW_BUNDLE is not set: run integration tests through jest');
  return { codePath };
}

/** Triggers a schedule now and answers the id of the workflow it started (waits up to 10 s). */
export async function triggerSchedule(handle: ScheduleHandle): Promise<string> {
  await handle.trigger();
  for (let i = 0; i < 100; i++) {
    const action = (await handle.describe()).info.recentActions[0]?.action;
    if (action?.type === 'startWorkflow') return action.workflow.workflowId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`schedule ${handle.scheduleId} started no workflow within 10 s`);
}
