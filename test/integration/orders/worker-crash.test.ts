/**
 * The worker process is killed (SIGKILL) again and again while orders run; a new worker
 * finishes them. Every order ends with exactly one authorisation, one capture of the quoted
 * total, one declaration and one label.
 */
import type { OrderView } from '../../../src/domain/orders/types';
import {
  createQuote,
  getOrder,
  orderRequest,
  placeOrder,
  startOrderWorld,
  type OrderWorld,
  spawnWorkerProcess,
} from '../../helpers/order-world';
import type { Spawned } from '../../helpers/processes';

jest.setTimeout(240_000);

let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld({}, { worker: false, customsDelayMs: 400 });
});
afterAll(async () => {
  await world?.close();
});

function spawnWorker(): Spawned {
  return spawnWorkerProcess(world);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('finishes every order with one charge each although the worker is killed three times', async () => {
  const orders: { orderId: string; charge: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const quote = await createQuote(world);
    const body = orderRequest(quote.id);
    expect((await placeOrder(world, body)).statusCode).toBe(201);
    orders.push({ orderId: body.orderId, charge: quote.chargeNow.amount });
  }

  const views = async () => Promise.all(orders.map((o) => getOrder(world, o.orderId).catch(() => undefined)));
  const progress = async () => (await views()).map((v) => `${v?.status}:${v?.currentStep}`).join(',');

  let kills = 0;
  for (; kills < 3; kills++) {
    const worker = spawnWorker();
    await worker.waitFor(/worker running/, 60_000);
    // Let it work for a moment, mid-saga, then kill it without warning.
    const before = await progress();
    const deadline = Date.now() + 20_000;
    while ((await progress()) === before && Date.now() < deadline) await sleep(100);
    await sleep(300 + kills * 400);
    await worker.killHard();
  }

  const survivor = spawnWorker();
  try {
    await survivor.waitFor(/worker running/, 60_000);
    const deadline = Date.now() + 150_000;
    let last: (OrderView | undefined)[] = [];
    while (Date.now() < deadline) {
      last = await views();
      if (last.every((v) => v?.status === 'awaiting_handover')) break;
      await sleep(500);
    }
    expect(last.map((v) => v?.status)).toEqual(orders.map(() => 'awaiting_handover'));
  } finally {
    survivor.child.kill('SIGTERM');
    await survivor.exited;
  }

  for (const { orderId, charge } of orders) {
    const intents = [...world.stripe.state.paymentIntents.values()].filter(
      (pi) => pi.metadata.order_id === orderId,
    );
    expect({ orderId, intents: intents.length }).toEqual({ orderId, intents: 1 });
    const charges = [...world.stripe.state.charges.values()].filter(
      (c) => c.paymentIntent === intents[0]!.id,
    );
    expect({ orderId, charges: charges.length, received: intents[0]!.amountReceived }).toEqual({
      orderId,
      charges: 1,
      received: charge,
    });
    const declarations = world.customs.declarations().filter((d) => d.orderId === orderId);
    expect({ orderId, declarations: declarations.length }).toEqual({ orderId, declarations: 1 });
    const shipment = world.carrier.findByReference(`order:${orderId}:shipment`);
    const labels = world.carrier.charges.filter(
      (c) => c.shipmentId === shipment?.shipmentId && c.kind === 'label',
    );
    expect({ orderId, labels: labels.length }).toEqual({ orderId, labels: 1 });
  }
  process.stdout.write(
    `worker-crash: ${orders.length} orders, ${kills} SIGKILLs, all captured exactly once\n`,
  );
});
