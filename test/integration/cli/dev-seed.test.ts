import { Client } from 'pg';
import { DEV_MERCHANTS, seedDevMerchants } from '../../../src/cli/dev-seed';
import { migrate } from '../../../src/infra/database';
import { createEmptyDatabase } from '../../helpers/database';

describe('dev seed', () => {
  it('adds the sample merchants once, whatever the number of runs', async () => {
    const scratch = await createEmptyDatabase();
    try {
      await migrate({ databaseUrl: scratch.url });
      const said: string[] = [];
      const first = await seedDevMerchants({ databaseUrl: scratch.url, log: (m) => said.push(m) });
      await seedDevMerchants({ databaseUrl: scratch.url, log: (m) => said.push(m) });
      expect(first).toEqual(DEV_MERCHANTS.map((m) => m.id));
      expect(said[0]).toMatch(/^Dev merchants \(3 added\): mer_dev_us_outdoor \(US, USD\)/);
      expect(said[1]).toMatch(/^Dev merchants \(0 added\)/);
      const client = new Client({ connectionString: scratch.url });
      await client.connect();
      const { rows } = await client.query<{ id: string }>('SELECT id FROM merchants ORDER BY id');
      await client.end();
      expect(rows.map((r) => r.id)).toEqual(DEV_MERCHANTS.map((m) => m.id).sort());
    } finally {
      await scratch.drop();
    }
  });
});
