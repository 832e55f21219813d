/**
 * schema.prisma and the SQL migrations must describe the same database. The generated client's
 * model metadata (tables, columns, types) and schema.prisma's optional markers (nullability)
 * are compared with the live catalog of the migrated test database, both ways.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDatabase } from '../../../src/infra/database';
import { testDatabaseUrl } from '../../helpers/database';

interface RuntimeField {
  name: string;
  kind: 'scalar' | 'object' | 'enum';
  type: string;
  dbName?: string;
}
interface RuntimeModel {
  fields: RuntimeField[];
  dbName: string | null;
}

const TYPE_FAMILIES: Record<string, string[]> = {
  String: ['character varying', 'character', 'text', 'uuid'],
  Int: ['integer'],
  BigInt: ['bigint'],
  Boolean: ['boolean'],
  DateTime: ['timestamp with time zone', 'timestamp without time zone', 'date'],
  Json: ['jsonb', 'json'],
  Decimal: ['numeric'],
};

/** Optional markers per model and field, read from schema.prisma. */
function optionalFields(): Map<string, Set<string>> {
  const schema = readFileSync(join(__dirname, '..', '..', '..', 'prisma', 'schema.prisma'), 'utf8');
  const result = new Map<string, Set<string>>();
  for (const block of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const optional = new Set<string>();
    for (const line of block[2]!.split('\n')) {
      const match = /^\s+(\w+)\s+\w+(\[\])?(\?)?/.exec(line);
      if (match && match[3]) optional.add(match[1]!);
    }
    result.set(block[1]!, optional);
  }
  return result;
}

describe('schema.prisma and the migrations agree', () => {
  let catalog: Map<string, Map<string, { type: string; nullable: boolean }>>;
  let models: Record<string, RuntimeModel>;

  beforeAll(async () => {
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    await client.end();
    catalog = new Map();
    for (const row of rows) {
      if (!catalog.has(row.table_name)) catalog.set(row.table_name, new Map());
      catalog
        .get(row.table_name)!
        .set(row.column_name, { type: row.data_type, nullable: row.is_nullable === 'YES' });
    }
    const prisma = createDatabase({ url: testDatabaseUrl(), poolSize: 1 });
    models = (prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })
      ._runtimeDataModel.models;
    await prisma.$disconnect();
  });

  const columnsOf = (model: RuntimeModel) =>
    model.fields.filter((f) => f.kind !== 'object').map((f) => ({ ...f, column: f.dbName ?? f.name }));

  it('every model is a table and every table is a model', () => {
    const modelTables = Object.entries(models).map(([name, m]) => m.dbName ?? name);
    expect([...catalog.keys()].sort()).toEqual(modelTables.sort());
    expect(modelTables.length).toBeGreaterThanOrEqual(5);
  });

  it('every field is a column of the right type and nullability, and every column a field', () => {
    const optional = optionalFields();
    for (const [name, model] of Object.entries(models)) {
      const table = catalog.get(model.dbName ?? name)!;
      const fields = columnsOf(model);
      expect({ table: model.dbName, columns: [...table.keys()].sort() }).toEqual({
        table: model.dbName,
        columns: fields.map((f) => f.column).sort(),
      });
      for (const field of fields) {
        const column = table.get(field.column)!;
        const allowed = field.kind === 'enum' ? ['USER-DEFINED'] : TYPE_FAMILIES[field.type];
        expect({
          field: `${name}.${field.name}`,
          type: column.type,
          ok: allowed?.includes(column.type),
        }).toEqual({
          field: `${name}.${field.name}`,
          type: column.type,
          ok: true,
        });
        expect({ field: `${name}.${field.name}`, nullable: column.nullable }).toEqual({
          field: `${name}.${field.name}`,
          nullable: optional.get(name)?.has(field.name) ?? false,
        });
      }
    }
  });
});
