/**
 * The daily reconciliation: a Temporal Schedule starts a run for the previous UTC day, which opens
 * its own row (GET /v1/reconciliations shows it as any run), books Stripe's fees of that day and
 * matches the day's charges with the ledger. The Stripe sandbox runs on a manual clock here, so
 * that its charges can be made "yesterday".
 *
 * Keeps to PLN, which no other test file posts or reconciles.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { createReconciliationActivities } from '../../../activities/reconciliation';
import { idempotencyKeys } from '../../../src/domain/payments';
import { dailyReconciliationScheduleId } from '../../../src/domain/reconciliation';
import { dailyPeriod } from '../../../src/domain/time/daily';
import { LedgerStore } from '../../../src/infra/ledger';
import { ensureDailyReconciliationSchedule } from '../../../src/infra/reconciliation';
import { ManualClock } from '../../../src/sandboxes/shared/clock';
import { reconciliationWorkflow } from '../../../workflows/reconciliation';
import { triggerSchedule } from '../../helpers/temporal';
import { uniqueId } from '../../helpers/database';
import { recordWorkflowHistory } from '../../helpers/histories';
import { startOrderWorld, type OrderWorld } from '../../helpers/order-world';
import { MERCHANT, postClearingEntry, waitForReconciliation } from '../../helpers/reconciliation';

jest.setTimeout(120_000);

const CCY = 'PLN';
const HOUR = 3_600_000;
const clock = new ManualClock();
let world: OrderWorld;
let ledger: LedgerStore;

beforeAll(async () => {
  world = await startOrderWorld({}, { stripeClock: clock });
  ledger = new LedgerStore(world.db);
  await world.db.merchant.createMany({
    data: [{ id: MERCHANT, name: 'Test Outdoor Co', country: 'US', settlementCurrency: 'USD' }],
    skipDuplicates: true,
  });
});
afterAll(async () => {
  await world?.close();
});

/** A charge made straight at Stripe at the sandbox clock's time (no saga, so nothing posted). */
async function chargeAt(at: number, amount: number) {
  clock.set(at);
  const orderId = uniqueId('ord-daily');
  const payment = await world.deps.payments.authorizePayment({
    orderId,
    amount: { amount, currency: CCY },
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: idempotencyKeys.authorize(orderId),
  });
  await world.deps.payments.capturePayment({
    providerPaymentId: payment.providerPaymentId,
    idempotencyKey: idempotencyKeys.capture(orderId),
  });
  clock.set(Date.now());
  return orderId;
}

test('runs every day from a Temporal Schedule: the previous UTC day, its fees booked, its charges matched', async () => {
  const yesterday = dailyPeriod(new Date());
  const dayStart = Date.parse(yesterday.from);
  // Yesterday at Stripe: two charges; the ledger has the first one's capture, not the second's.
  const posted = await chargeAt(dayStart + 10 * HOUR, 12_000);
  const unposted = await chargeAt(dayStart + 15 * HOUR, 3_000);
  await postClearingEntry(ledger, {
    businessKey: `order:${posted}:capture`,
    kind: 'capture',
    clearing: 12_000,
    currency: CCY,
    orderId: posted,
    occurredAt: new Date(dayStart + 11 * HOUR).toISOString(),
  });

  const options = { currency: CCY, at: '03:00', taskQueue: world.taskQueue };
  const scheduleId = dailyReconciliationScheduleId(CCY);
  expect(await ensureDailyReconciliationSchedule(world.temporal.client, options)).toEqual({
    scheduleId: 'reconciliation-daily-PLN',
    outcome: 'created',
  });
  expect(await ensureDailyReconciliationSchedule(world.temporal.client, options)).toEqual({
    scheduleId,
    outcome: 'updated',
  });
  const handle = world.temporal.client.schedule.getHandle(scheduleId);
  try {
    const described = await handle.describe();
    expect(described.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 3, end: 3, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconciliationWorkflow' });

    const workflowId = await triggerSchedule(handle);
    expect(workflowId).toMatch(/^reconciliation-daily-PLN-\d{4}-\d\d-\d\dT/);
    const outcome = await world.temporal.client.workflow.getHandle(workflowId).result();
    expect(outcome.reconciliationId).toMatch(/^rec_[0-9a-f]{24}$/);

    const run = await waitForReconciliation(world, outcome.reconciliationId);
    expect(run).toMatchObject({
      status: 'completed',
      currency: CCY,
      period: yesterday,
      requestedBy: 'schedule:reconciliation-daily-PLN',
      counts: { processorTransactions: 2, ledgerEntries: 1, matched: 1, missing: 1, extra: 0 },
      fees: { ledgerPostsFees: true, difference: { amount: 0, currency: CCY } },
    });
    expect(run.mismatches.map((m) => `${m.kind} ${m.matchKey}`)).toEqual([`missing order:${unposted}`]);
    // Stripe's fee on each of yesterday's charges is in the ledger, at the charge's time.
    const charges = world.stripe.state.balanceTransactions.filter((t) => t.currency === 'pln');
    expect(charges).toHaveLength(2);
    for (const txn of charges) {
      expect(txn.fee).toBeGreaterThan(0);
      expect(await ledger.getEntry(`processor-fee:${txn.id}`)).toMatchObject({
        kind: 'processor_fee',
        occurredAt: new Date(txn.created * 1000).toISOString(),
        lines: [
          { account: 'processor_fees:stripe:PLN', amount: { amount: txn.fee, currency: CCY } },
          { account: 'processor_clearing:stripe:PLN', amount: { amount: -txn.fee, currency: CCY } },
        ],
      });
    }

    // A retried opening (the activity run again) finds the run it wrote: one row per workflow.
    const activities = createReconciliationActivities({ db: world.db, payments: world.deps.payments });
    const again = await activities.openScheduledReconciliation({
      workflowId: workflowId,
      currency: CCY,
      scheduledAt: new Date().toISOString(),
      requestedBy: 'schedule:reconciliation-daily-PLN',
    });
    expect(again).toMatchObject({ reconciliationId: outcome.reconciliationId, period: yesterday });
    expect(await world.db.reconciliation.count({ where: { workflowId: workflowId } })).toBe(1);
    await recordWorkflowHistory(world.temporal.client, workflowId, 'reconciliation-scheduled');
  } finally {
    await handle.delete();
  }
});

test('a scheduled run for a day that has not ended is refused, and writes nothing', async () => {
  const tomorrow = new Date(Date.parse(dailyPeriod(new Date()).to) + 24 * HOUR + 3 * HOUR);
  const workflowId = `reconciliation-daily-${CCY}-${tomorrow.toISOString().replace('.000Z', 'Z')}`;
  const run = world.temporal.client.workflow.execute(reconciliationWorkflow, {
    workflowId,
    taskQueue: world.taskQueue,
    args: [{ currency: CCY, pageSize: 100, requestedBy: 'test' }],
  });
  const failure = await run.then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({
    type: 'RECONCILIATION_FAILED',
    message: expect.stringMatching(/VALIDATION_FAILED: to is in the future/),
  });
  expect(await world.db.reconciliation.count({ where: { workflowId } })).toBe(0);
});

test('the schedule refuses a currency Stripe cannot hold, a time that is not HH:MM, and a bad page size', async () => {
  const client = world.temporal.client;
  await expect(
    ensureDailyReconciliationSchedule(client, { currency: 'IQD', at: '03:00' }),
  ).rejects.toMatchObject({
    code: 'VALIDATION_FAILED',
    field: 'currency',
  });
  await expect(
    ensureDailyReconciliationSchedule(client, { currency: CCY, at: '24:00' }),
  ).rejects.toMatchObject({
    code: 'VALIDATION_FAILED',
    field: 'at',
  });
  await expect(
    ensureDailyReconciliationSchedule(client, { currency: CCY, at: '03:00', pageSize: 101 }),
  ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'pageSize' });
  await expect(client.schedule.getHandle(dailyReconciliationScheduleId(CCY)).describe()).rejects.toThrow();
});
