import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export interface TestTemporal {
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  namespace: string;
  close(): Promise<void>;
}

/** Connections to the test run's Temporal server (see global-setup). */
export async function connectTestTemporal(): Promise<TestTemporal> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_ADDRESS is not set: run integration tests through jest (global-setup)');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    client: new Client({ connection, namespace }),
    connection,
    nativeConnection,
    namespace,
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
