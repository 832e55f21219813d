/**
 * Checkout retries while no worker runs (a deploy, an outage): the order's workflow is started
 * but nothing has run it yet, so it cannot be queried and has no projection. Retries must still
 * get the order (200), never a 5xx, and concurrent duplicates must still give one workflow.
 */
import { orderWorkflowId } from '../../../src/domain/orders/temporal';
import {
  createQuote,
  orderRequest,
  placeOrder,
  startOrderWorld,
  type OrderWorld,
} from '../../helpers/order-world';

jest.setTimeout(60_000);

let world: OrderWorld;
const started: string[] = [];
beforeAll(async () => {
  world = await startOrderWorld({}, { worker: false });
});
afterAll(async () => {
  for (const orderId of started) {
    await world.temporal.client.workflow
      .getHandle(orderWorkflowId(orderId))
      .terminate('test over')
      .catch(() => undefined);
  }
  await world?.close();
});

it('answers a retried request with the order as first placed', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  started.push(body.orderId);
  const first = await placeOrder(world, body, `key-${body.orderId}`);
  expect(first.statusCode).toBe(201);

  const again = await placeOrder(world, body, `key-${body.orderId}`);
  expect(again.statusCode).toBe(200);
  expect(again.json()).toEqual(first.json());

  // Another key, same order: the start is refused by Temporal and the order answered.
  const otherKey = await placeOrder(world, body, `other-${body.orderId}`);
  expect(otherKey.statusCode).toBe(200);
  expect(otherKey.json()).toMatchObject({ orderId: body.orderId, status: 'received' });

  // The same order id with another body: 409, whatever the key.
  const changed = await placeOrder(
    world,
    { ...body, customer: { ...body.customer, name: 'Someone Else' } },
    `third-${body.orderId}`,
  );
  expect(changed.statusCode).toBe(409);
});

it('starts one workflow for concurrent duplicates under different keys', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  started.push(body.orderId);
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) => placeOrder(world, body, `dup-${i}-${body.orderId}`)),
  );
  const statuses = answers.map((a) => a.statusCode).sort();
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
  const runs = [];
  for await (const run of world.temporal.client.workflow.list({
    query: `WorkflowId = '${orderWorkflowId(body.orderId)}'`,
  })) {
    runs.push(run);
  }
  expect(runs).toHaveLength(1);
});
