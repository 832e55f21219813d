import { cpSync, mkdtempSync, mkdirSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { checksum, migrate, MIGRATIONS_DIR, readMigrations } from '../../../src/infra/database';
import { createEmptyDatabase } from '../../helpers/database';

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'borderline-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'migration.sql'), sql);
}

describe('migration runner', () => {
  let db: { url: string; drop: () => Promise<void> };
  let dir: string;
  beforeEach(async () => {
    db = await createEmptyDatabase();
    dir = copyOfMigrations();
  });
  afterEach(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every migration once and records it as Prisma does', async () => {
    const files = readMigrations(dir);
    const first = await migrate({ databaseUrl: db.url, migrationsDir: dir });
    expect(first.applied).toEqual(files.map((f) => f.name));

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
    }>(db.url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(files[i]!.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    const second = await migrate({ databaseUrl: db.url, migrationsDir: dir });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(files.map((f) => f.name));
  });

  it('checksums are SHA-256 of the file, as `prisma migrate` computes them', () => {
    expect(checksum('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuses to go on when an applied migration file has changed', async () => {
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    const [first] = readMigrations(dir);
    appendFileSync(join(dir, first!.name, 'migration.sql'), '\n-- edited after it was applied\n');
    addMigration(dir, '29990101000000_later', 'CREATE TABLE later_table (id INT);');
    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(
      new RegExp(`migration ${first!.name} was changed after it was applied`),
    );
    // Nothing after the refusal ran.
    const later = await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'later_table'");
    expect(later).toHaveLength(0);
  });

  it('rolls a failing migration back whole, records the failure and applies it once fixed', async () => {
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    addMigration(
      dir,
      '29990101000000_broken',
      'CREATE TABLE half_done (id INT);\nSELECT * FROM no_such_table;',
    );
    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(
      /failed and was rolled back/,
    );
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toHaveLength(0);
    const [failed] = await query<{ logs: string; rolled_back_at: Date | null; finished_at: Date | null }>(
      db.url,
      "SELECT logs, rolled_back_at, finished_at FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'",
    );
    expect(failed!.logs).toMatch(/no_such_table/);
    expect(failed!.rolled_back_at).toBeInstanceOf(Date);
    expect(failed!.finished_at).toBeNull();

    writeFileSync(join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id INT);');
    const fixed = await migrate({ databaseUrl: db.url, migrationsDir: dir });
    expect(fixed.applied).toEqual(['29990101000000_broken']);
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toHaveLength(1);
  });

  it('refuses to go on after a migration that started and never finished', async () => {
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    await query(
      db.url,
      "INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('00000000-0000-0000-0000-000000000001', 'x', '29990101000000_crashed')",
    );
    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(
      /29990101000000_crashed started but did not finish/,
    );
  });

  it('applies each migration once when several processes start at once', async () => {
    addMigration(
      dir,
      '29990101000000_counted',
      'CREATE TABLE counted (id INT);\nINSERT INTO counted VALUES (1);',
    );
    const results = await Promise.all(
      Array.from({ length: 5 }, () => migrate({ databaseUrl: db.url, migrationsDir: dir })),
    );
    const appliedBy = results.filter((r) => r.applied.includes('29990101000000_counted'));
    expect(appliedBy).toHaveLength(1);
    expect(await query(db.url, 'SELECT * FROM counted')).toHaveLength(1);
    const rows = await query(
      db.url,
      "SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990101000000_counted'",
    );
    expect(rows).toHaveLength(1);
  });

  it('leaves alone migrations a newer release applied', async () => {
    addMigration(dir, '29990101000000_newer', 'CREATE TABLE newer (id INT);');
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    rmSync(join(dir, '29990101000000_newer'), { recursive: true });
    const result = await migrate({ databaseUrl: db.url, migrationsDir: dir });
    expect(result.unknown).toEqual(['29990101000000_newer']);
  });
});
