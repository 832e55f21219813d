import type { FastifyInstance } from 'fastify';
import { ApiKeyStore } from '../access';
import { createDatabase, pingDatabase, type Database } from '../infra/database';
import {
  connectClient,
  pingTemporal,
  type TemporalConnections,
  type TemporalTarget,
} from '../infra/temporal';
import { buildApp, type AppOptions } from './app';

export interface ApiComposition {
  app: FastifyInstance;
  db: Database;
  temporal: TemporalConnections;
  /** Closes the app (in-flight requests finish), then the connections. */
  close(): Promise<void>;
}

export interface ComposeApiOptions {
  databaseUrl: string;
  databasePoolSize?: number;
  temporal: TemporalTarget;
  logger?: AppOptions['logger'];
  bodyLimit?: number;
  version?: string;
}

/** Wires the API to its real dependencies: used by `npm run api`, `npm run dev` and tests. */
export async function composeApi(options: ComposeApiOptions): Promise<ApiComposition> {
  const db = createDatabase({ url: options.databaseUrl, poolSize: options.databasePoolSize ?? 10 });
  const temporal = await connectClient(options.temporal);
  const app = await buildApp({
    deps: {
      keys: new ApiKeyStore(db),
      readiness: {
        database: () => pingDatabase(db),
        temporal: () => pingTemporal(temporal.connection, options.temporal.namespace),
      },
    },
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    version: options.version,
  });
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    temporal,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await Promise.allSettled([db.$disconnect(), temporal.close()]);
      })()),
  };
}
