import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** Temporal Cloud API key; turns TLS on. */
  apiKey?: string | undefined;
  tls?: boolean;
}

export interface TemporalConnections {
  target: TemporalTarget;
  /** For clients (API, tests): starting workflows, queries, updates. */
  connection: Connection;
  client: Client;
  close(): Promise<void>;
}

function tlsOptions(target: TemporalTarget): { tls?: boolean; apiKey?: string } {
  return {
    ...(target.tls || target.apiKey ? { tls: true } : {}),
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
  };
}

/** Connects a Temporal client to a running frontend (a cluster, Temporal Cloud or the dev server). */
export async function connectClient(target: TemporalTarget): Promise<TemporalConnections> {
  const connection = await Connection.connect({ address: target.address, ...tlsOptions(target) });
  const client = new Client({ connection, namespace: target.namespace });
  return { target, connection, client, close: () => connection.close() };
}

/** Connects the worker's native connection. */
export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect({ address: target.address, ...tlsOptions(target) });
}

/** Cheap round trip used by the readiness check. */
export async function pingTemporal(connection: Connection, namespace: string): Promise<void> {
  await connection.workflowService.describeNamespace({ namespace });
}
