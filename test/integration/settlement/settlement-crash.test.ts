/**
 * The worker process is killed (SIGKILL) in the middle of a settlement run's payouts, twice,
 * each time while a transfer is in flight at the Stripe sandbox (which completes it anyway); a
 * new worker finishes the run. Every merchant is paid by exactly one transfer, every line is
 * settled once, and the ledger's payables end at zero.
 */
import type { SettlementRunView } from '../../../src/infra/settlement';
import { startOrderWorld, type OrderWorld, spawnWorkerProcess } from '../../helpers/order-world';
import type { Spawned } from '../../helpers/processes';
import { claimsOf, merchantBalance, seedMerchantSales } from '../../helpers/settlement';

jest.setTimeout(240_000);

let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld({}, { worker: false });
});
afterAll(async () => {
  await world?.close();
});

function spawnWorker(): Spawned {
  return spawnWorkerProcess(world);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function getRun(runId: string): Promise<SettlementRunView | undefined> {
  const res = await world.api.app.inject({
    method: 'GET',
    url: `/v1/settlements/${runId}`,
    headers: world.auth('finance'),
  });
  return res.statusCode === 200 ? (res.json() as SettlementRunView) : undefined;
}

const transferRequests = () =>
  world.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/transfers');

it('pays every merchant exactly once although the worker is killed mid-payout twice', async () => {
  const { merchants, owed } = await seedMerchantSales(world.db, 6, 3);
  // Each transfer takes 800 ms at the sandbox, which completes it even if the caller is gone.
  world.stripe.faults.inject({
    kind: 'slow',
    delayMs: 800,
    times: 'always',
    method: 'POST',
    path: '/v1/transfers',
  });

  const res = await world.api.app.inject({
    method: 'POST',
    url: '/v1/settlements',
    headers: world.auth('finance'),
    payload: {
      from: '2026-11-16',
      to: '2026-11-17',
      currency: 'EUR',
      merchantIds: merchants,
      payoutBatchSize: 2,
    },
  });
  expect(res.statusCode).toBe(201);
  const runId = (res.json() as SettlementRunView).runId;

  let kills = 0;
  let inFlightWhenKilled = 0;
  for (const inFlightAfter of [1, 3]) {
    const worker = spawnWorker();
    await worker.waitFor(/worker running/, 60_000);
    // Kill it while a transfer is in flight (asked, not yet answered), after some were done.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const requests = transferRequests();
      if (requests.length > inFlightAfter && requests.at(-1)!.status === 0) break;
      await sleep(20);
    }
    inFlightWhenKilled += transferRequests().filter((r) => r.status === 0).length;
    await worker.killHard();
    kills += 1;
  }

  const survivor = spawnWorker();
  let done: SettlementRunView | undefined;
  try {
    await survivor.waitFor(/worker running/, 60_000);
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      done = await getRun(runId);
      if (done?.status === 'completed') break;
      await sleep(300);
    }
  } finally {
    survivor.child.kill('SIGTERM');
    await survivor.exited;
    world.stripe.faults.clear();
  }
  expect(done).toMatchObject({ status: 'completed', outcomes: { paid: 6, pending: 0 } });

  // One transfer per merchant, of what it was owed; retries were answered from the saved result.
  const transfers = [...world.stripe.state.transfers.values()].filter(
    (t) => t.metadata.payout_run_id === runId,
  );
  expect(transfers.map((t) => [t.metadata.merchant_id, t.amount]).sort()).toEqual(
    merchants.map((m) => [m, owed.get(m)]).sort(),
  );
  const requests = transferRequests().filter((r) => r.idempotencyKey?.startsWith(`payout:${runId}:`));
  const replayed = requests.filter((r) => r.replayed);
  process.stdout.write(
    `settlement crash: ${kills} SIGKILLs (${inFlightWhenKilled} transfers in flight), ` +
      `${requests.length} transfer requests, ${replayed.length} answered from the idempotency store, ` +
      `${transfers.length} transfers\n`,
  );
  expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(6);
  expect(replayed.length).toBeGreaterThanOrEqual(1);

  // Every line settled once, by this run; every payable back to zero; one payout entry each.
  const items = await claimsOf(world.db, merchants);
  const lines = await world.db.journalLine.count({
    where: { accountCode: { in: merchants.map((m) => `merchant_payable:${m}:EUR`) } },
  });
  expect(items).toHaveLength(lines);
  expect(new Set(items.map((i) => i.runId))).toEqual(new Set([runId]));
  for (const merchantId of merchants) {
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
  }
  expect(
    await world.db.journalEntry.count({
      where: { kind: 'payout', businessKey: { startsWith: `payout:${runId}:` } },
    }),
  ).toBe(6);
  process.stdout.write(
    `settlement-crash: ${kills} SIGKILLs (${inFlightWhenKilled} transfers in flight when killed), ` +
      `${requests.length} transfer requests, ${replayed.length} answered from the idempotency key, 6 transfers\n`,
  );
});
