import type { Database } from '../src/infra/database';

export interface SystemActivityDeps {
  db: Database;
}

/** Activities that check the worker's own dependencies. */
export function createSystemActivities({ db }: SystemActivityDeps) {
  return {
    async checkDatabase(): Promise<{ serverVersion: string; latencyMs: number }> {
      const started = performance.now();
      const rows = await db.$queryRaw<
        { server_version: string }[]
      >`SELECT current_setting('server_version') AS server_version`;
      return { serverVersion: rows[0]!.server_version, latencyMs: Math.round(performance.now() - started) };
    },
  };
}

export type SystemActivities = ReturnType<typeof createSystemActivities>;
