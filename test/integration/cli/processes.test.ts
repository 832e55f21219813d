import { spawnCli } from '../../helpers/processes';
import { testDatabaseUrl } from '../../helpers/database';

const services = () => ({
  DATABASE_URL: testDatabaseUrl(),
  TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
  LOG_LEVEL: 'info',
  NODE_ENV: 'production',
  STRIPE_SECRET_KEY: 'sk_test_borderline_processes',
  STRIPE_WEBHOOK_SECRET: 'whsec_borderline_processes',
  CUSTOMS_BROKER_URL: 'http://127.0.0.1:9',
  CUSTOMS_BROKER_API_KEY: 'cb_test_processes',
  CARRIER_API_URL: 'http://127.0.0.1:9',
  CARRIER_API_KEY: 'ck_test_processes',
  CARRIER_WEBHOOK_SECRET: 'carrier_whsec_processes',
  TEMPORAL_PAYLOAD_KEYS: `processes-1:${Buffer.alloc(32, 5).toString('base64')}`,
  TEMPORAL_PAYLOAD_KEY_ID: 'processes-1',
});

describe('commands refuse a bad environment, naming the variable', () => {
  it.each([
    ['api', { API_PORT: 'eighty' }, 'API_PORT'],
    ['worker', { TEMPORAL_ADDRESS: 'no-port-here' }, 'TEMPORAL_ADDRESS'],
    ['api', { NODE_ENV: 'production' }, 'DATABASE_URL'],
    ['migrate', { DATABASE_POOL_SIZE: '-1' }, 'DATABASE_POOL_SIZE'],
  ])('%s with %j', async (command, env, variable) => {
    const run = spawnCli(command, [], env);
    const code = await run.exited;
    expect(code).not.toBe(0);
    expect(run.output()).toContain(variable);
  });
});

describe('npm run keys', () => {
  it('creates a key for a role, lists it and revokes it', async () => {
    const create = spawnCli(
      'keys',
      ['create', '--role', 'finance', '--name', 'Finance CLI test'],
      services(),
    );
    expect(await create.exited).toBe(0);
    const key = /^(bl_finance_\S+)$/m.exec(create.output())?.[1];
    const id = /\(id ([0-9a-f-]{36})\)/.exec(create.output())?.[1];
    expect(key).toBeDefined();

    const list = spawnCli('keys', ['list'], services());
    expect(await list.exited).toBe(0);
    expect(list.output()).toMatch(new RegExp(`${id}\\s+finance.*active.*Finance CLI test`));

    const revoke = spawnCli('keys', ['revoke', id!], services());
    expect(await revoke.exited).toBe(0);
    expect(revoke.output()).toContain(`Revoked finance key "Finance CLI test"`);
  });

  it('refuses an unknown role, naming --role', async () => {
    const run = spawnCli('keys', ['create', '--role', 'root', '--name', 'x'], services());
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('--role must be one of checkout, support, finance, admin');
  });
});

describe('npm run api and npm run worker', () => {
  it('serve, then stop cleanly on SIGTERM', async () => {
    const api = spawnCli('api', [], { ...services(), API_PORT: '0' });
    const worker = spawnCli('worker', [], services());
    try {
      const listening = await api.waitFor(/API listening on/);
      const address = /listening on (http:\/\/[^\s"]+?)(?: |\(|")/.exec(listening)?.[1];
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${address}/health`);
      expect(health.status).toBe(200);
      await worker.waitFor(/worker running/);
    } finally {
      api.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
    }
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect(api.output()).toContain('API stopped');
    expect(worker.output()).toContain('worker stopped');
  });
});
