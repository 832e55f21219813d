export {
  createDatabase,
  pingDatabase,
  sqlOf,
  warnOfIdleConnectionError,
  type Database,
  type DatabaseOptions,
} from './client';
export { migrate, readMigrations, checksum, MIGRATIONS_DIR, type MigrationResult } from './migrate';
export { startEmbeddedPostgres, embeddedPostgresUrl, type EmbeddedPostgres } from './embedded';
