import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { OrderSearchAttributes } from '../../../src/domain/orders/temporal';
import type { Database } from '../../../src/infra/database';
import { encryptedDataConverter } from '../../../src/infra/temporal';
import { startWorker } from '../../../src/worker';
import { createFixtureActivities } from '../../fixtures/activities';
import { openTestDatabase, uniqueId } from '../../helpers/database';
import { connectTestTemporal, productWorkflowBundle, type TestTemporal } from '../../helpers/temporal';

let temporal: TestTemporal;
let db: Database;
beforeAll(async () => {
  temporal = await connectTestTemporal();
  db = openTestDatabase();
});
afterAll(async () => {
  await temporal?.close();
  await db?.$disconnect();
});

it('runs the product worker: the system check reaches PostgreSQL through an activity', async () => {
  const taskQueue = uniqueId('system-check');
  const worker = await startWorker({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    // The system check only reaches the database; the partners' ports must not be called.
    deps: {
      db,
      payments: notCalled('payments'),
      customs: notCalled('customs'),
      carrier: notCalled('carrier'),
      ledger: notCalled('ledger'),
    },
    payloadCodec: temporal.payloadCodec,
    workflowBundle: productWorkflowBundle(),
  });
  try {
    const result = await temporal.client.workflow.execute('systemCheckWorkflow', {
      taskQueue,
      workflowId: uniqueId('system-check'),
    });
    expect(result.taskQueue).toBe(taskQueue);
    expect(result.database.serverVersion).toMatch(/^\d+/);
  } finally {
    await worker.shutdown();
  }
  expect(worker.worker.getState()).toBe('STOPPED');
});

it('runs a fixture workflow whose retried activity writes exactly one row, with search attributes', async () => {
  const taskQueue = uniqueId('fixture');
  const merchantId = uniqueId('mer');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../fixtures/workflows/record-merchant'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: { code },
    activities: createFixtureActivities(db),
    dataConverter: encryptedDataConverter(temporal.payloadCodec),
  });
  const workflowId = uniqueId('record-merchant');
  const result = await worker.runUntil(
    temporal.client.workflow.execute('recordMerchantWorkflow', {
      taskQueue,
      workflowId,
      args: [{ id: merchantId, name: 'Fixture Merchant', country: 'DE', settlementCurrency: 'EUR' }],
      retry: { maximumAttempts: 1 },
      typedSearchAttributes: [{ key: OrderSearchAttributes.MerchantId, value: merchantId }],
    }),
  );
  expect(result).toEqual({ saved: merchantId, attempts: 2 });
  expect(await db.merchant.count({ where: { id: merchantId } })).toBe(1);

  const description = await temporal.client.workflow.getHandle(workflowId).describe();
  expect(description.typedSearchAttributes.get(OrderSearchAttributes.MerchantId)).toBe(merchantId);
  expect(description.typedSearchAttributes.get(OrderSearchAttributes.OrderStatus)).toBe('merchant-recorded');
});

function notCalled<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => () => {
      throw new Error(`${name}.${String(property)} must not be called by the system check`);
    },
  });
}
