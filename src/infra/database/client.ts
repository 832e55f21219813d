import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client';

export type Database = PrismaClient;

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
}

/**
 * The Prisma client over node-postgres (`@prisma/adapter-pg`): queries are compiled in
 * WebAssembly, no native query engine is involved.
 */
export function createDatabase(options: DatabaseOptions): Database {
  const adapter = new PrismaPg({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: 'borderline',
  });
  return new PrismaClient({ adapter });
}

/** Cheap round trip used by the readiness check. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
