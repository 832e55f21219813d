import { Client, Connection, type ClientInterceptors } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { encryptedDataConverter } from './payload-codec';

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** Temporal Cloud API key; turns TLS on. */
  apiKey?: string | undefined;
  tls?: boolean;
  /**
   * Encrypts every payload the client sends and decrypts what it reads (EncryptionCodec, from
   * TEMPORAL_PAYLOAD_KEYS). Required: null only for connections that carry no payloads
   * (registering search attributes, health checks).
   */
  payloadCodec: PayloadCodec | null;
  /** Interceptors of the client (OpenTelemetry's when OTEL_TRACING is on). */
  clientInterceptors?: ClientInterceptors;
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
  const client = new Client({
    connection,
    namespace: target.namespace,
    ...(target.payloadCodec ? { dataConverter: encryptedDataConverter(target.payloadCodec) } : {}),
    ...(target.clientInterceptors ? { interceptors: target.clientInterceptors } : {}),
  });
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
