/**
 * A payout retried after Stripe has forgotten its idempotency key (24 hours after first use).
 * The transfer is made but not recorded: the Stripe sandbox commits it and drops the connection
 * (`drop-after-commit`), so payBatch fails with the outcome unknown. The retry comes later:
 * - within PAYOUT_KEY_TRUST_MS of the run's preparation, the key answers it (one POST, replayed);
 * - 25 hours later (the sandbox's clock and the store's), payBatch looks the transfer up by its
 *   transfer group and metadata and records it: still one transfer;
 * - the control shows why: a POST with an expired key makes a second transfer.
 * Runs go through SettlementStore directly (open, prepare, payBatch, finish), no workflow.
 */
import type { Database } from '../../../src/infra/database';
import { LedgerStore } from '../../../src/infra/ledger';
import type { StripePayments } from '../../../src/infra/payments';
import { SettlementStore } from '../../../src/infra/settlement';
import { PAYOUT_KEY_TRUST_MS } from '../../../src/infra/settlement/settlement-store';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../../../src/infra/fx';
import { ManualClock, type StripeSandbox } from '../../../src/sandboxes/stripe';
import { openTestDatabase, uniqueId } from '../../helpers/database';
import { createMerchant, merchantBalance, postCapture } from '../../helpers/settlement';
import { startTestSandbox } from '../../helpers/stripe-sandbox';

jest.setTimeout(60_000);

const HOUR_MS = 60 * 60 * 1000;
const fx = new ReferenceRateSource(ECB_SAMPLE_DAYS);

let db: Database;
let ledger: LedgerStore;
let sandbox: StripeSandbox;
let payments: StripePayments;
const stripeClock = new ManualClock(Date.now());

beforeAll(async () => {
  db = openTestDatabase();
  ledger = new LedgerStore(db);
  ({ sandbox, payments } = await startTestSandbox({ clock: stripeClock }));
});
afterEach(() => sandbox.faults.clear());
afterAll(async () => {
  await sandbox?.close();
  await db?.$disconnect();
});

/** A store whose clock runs `offsetMs` ahead of the real one; the test moves `offsetMs`. */
function storeWithClock(): { store: SettlementStore; advance: (ms: number) => void } {
  let offsetMs = 0;
  return {
    store: new SettlementStore(db, () => new Date(Date.now() + offsetMs)),
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}

/** One merchant owed 5 000 EUR cents, in a run that is prepared (its payout pending). */
async function preparedRun(store: SettlementStore): Promise<{ runId: string; merchantId: string }> {
  const merchantId = await createMerchant(db, { platformFeeBps: 0 });
  await postCapture(ledger, { merchantId, goods: 5_000, occurredAt: '2026-11-16T10:00:00Z' });
  const runId = uniqueId('stl');
  await store.openRun({
    runId,
    workflowId: `settlement-${runId}`,
    currency: 'EUR',
    period: { from: '2026-11-16T00:00:00.000Z', to: '2026-11-17T00:00:00.000Z' },
    merchantIds: [merchantId],
    requestedBy: 'test',
  });
  await expect(store.prepare(runId, fx)).resolves.toMatchObject({ merchantsTotal: 1, pending: 1 });
  return { runId, merchantId };
}

/** payBatch while the sandbox commits every transfer and drops the connection: paid, not recorded. */
async function payAndLoseTheAnswer(store: SettlementStore, runId: string): Promise<void> {
  sandbox.faults.inject({
    kind: 'drop-after-commit',
    times: 'always',
    method: 'POST',
    path: '/v1/transfers',
  });
  await expect(store.payBatch(runId, 10, payments)).rejects.toMatchObject({
    code: 'PAYMENT_PROVIDER_ERROR',
    retryable: true,
  });
  sandbox.faults.clear();
  expect((await store.rows(runId))[0]).toMatchObject({ status: 'pending', transferId: null });
}

const transfersOf = (runId: string, merchantId: string) =>
  [...sandbox.state.transfers.values()].filter(
    (t) => t.metadata.payout_run_id === runId && t.metadata.merchant_id === merchantId,
  );

const requestsSince = (index: number) =>
  sandbox.requests.slice(index).filter((r) => r.path === '/v1/transfers');

it('within the window, the retry is answered by the idempotency key: one POST, no lookup', async () => {
  const { store, advance } = storeWithClock();
  const { runId, merchantId } = await preparedRun(store);
  await payAndLoseTheAnswer(store, runId);
  const [made] = transfersOf(runId, merchantId);
  expect(made).toBeDefined();

  // 22 hours later: the key is still known to Stripe and the store does not look anything up.
  stripeClock.advance(22 * HOUR_MS);
  advance(22 * HOUR_MS);
  expect(22 * HOUR_MS).toBeLessThan(PAYOUT_KEY_TRUST_MS);
  const mark = sandbox.requests.length;
  await expect(store.payBatch(runId, 10, payments)).resolves.toMatchObject({ paid: 1, remaining: 0 });
  expect(requestsSince(mark).map((r) => [r.method, r.replayed])).toEqual([['POST', true]]);
  expect(transfersOf(runId, merchantId)).toHaveLength(1);
  expect((await store.rows(runId))[0]).toMatchObject({ status: 'paid', transferId: made!.id });
});

it('25 hours later, with the key forgotten, finds the transfer made and records it: one transfer', async () => {
  const { store, advance } = storeWithClock();
  const { runId, merchantId } = await preparedRun(store);
  await payAndLoseTheAnswer(store, runId);
  const made = transfersOf(runId, merchantId);
  expect(made).toHaveLength(1);

  // A long outage: the activity retries 25 hours later, on both clocks.
  stripeClock.advance(25 * HOUR_MS);
  advance(25 * HOUR_MS);
  const mark = sandbox.requests.length;
  await expect(store.payBatch(runId, 10, payments)).resolves.toEqual({
    handled: 1,
    paid: 1,
    failed: 0,
    remaining: 0,
  });

  expect(requestsSince(mark).map((r) => [r.method, r.status])).toEqual([['GET', 200]]);
  expect(transfersOf(runId, merchantId)).toHaveLength(1);
  expect((await store.rows(runId))[0]).toMatchObject({
    status: 'paid',
    payoutAmount: 5_000,
    transferId: made[0]!.id,
  });
  await expect(store.finish(runId)).resolves.toMatchObject({ status: 'completed' });
  expect(await merchantBalance(db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
});

it('past the window with nothing made yet, looks up, finds nothing and makes the one transfer', async () => {
  const { store, advance } = storeWithClock();
  const { runId, merchantId } = await preparedRun(store);
  advance(PAYOUT_KEY_TRUST_MS);
  const mark = sandbox.requests.length;
  await expect(store.payBatch(runId, 10, payments)).resolves.toMatchObject({ paid: 1, remaining: 0 });
  expect(requestsSince(mark).map((r) => [r.method, r.replayed])).toEqual([
    ['GET', false],
    ['POST', false],
  ]);
  expect(transfersOf(runId, merchantId)).toHaveLength(1);
});

it('control: a retry that trusts an expired key makes a second transfer (what the guard prevents)', async () => {
  const { store } = storeWithClock();
  const { runId, merchantId } = await preparedRun(store);
  await payAndLoseTheAnswer(store, runId);

  // Only Stripe's clock moves: the store believes it is still within the window (it cannot be in
  // reality: a key first used after preparation lives 24 h), so it POSTs with the forgotten key.
  stripeClock.advance(25 * HOUR_MS);
  const mark = sandbox.requests.length;
  await expect(store.payBatch(runId, 10, payments)).resolves.toMatchObject({ paid: 1 });
  expect(requestsSince(mark).map((r) => [r.method, r.replayed])).toEqual([['POST', false]]);
  const transfers = transfersOf(runId, merchantId);
  expect(transfers).toHaveLength(2);
  expect(transfers.map((t) => t.amount)).toEqual([5_000, 5_000]);
  expect((await store.rows(runId))[0]!.transferId).toBe(transfers[1]!.id);
});
