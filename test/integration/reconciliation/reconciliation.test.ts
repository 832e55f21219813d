/**
 * Reconciliation end to end: orders run through the saga (captures posted to the ledger by the
 * workflow), refunds and transfers made with the Stripe adapter, then things broken on purpose;
 * the reconciliation workflow (on the world's worker, reading the Stripe sandbox page by page)
 * must report each planted mismatch exactly once and match everything else.
 *
 * The test run's ledger is shared by every test file: this file keeps to CAD (and KRW for the
 * transfer reversals), which no other file posts, so a reconciliation sees this file's entries only.
 */
import { createReconciliationActivities } from '../../../activities/reconciliation';
import { idempotencyKeys } from '../../../src/domain/payments';
import { reconciliationProgressQuery, reconciliationWorkflowId } from '../../../src/domain/reconciliation';
import { LedgerStore } from '../../../src/infra/ledger';
import {
  ReconciliationDesk,
  ReconciliationStore,
  type ReconciliationView,
} from '../../../src/infra/reconciliation';
import { reconciliationWorkflow } from '../../../workflows/reconciliation';
import { uniqueId } from '../../helpers/database';
import { hasStatus, startOrderWorld, waitForOrder, type OrderWorld } from '../../helpers/order-world';
import {
  MERCHANT,
  completeOrder,
  periodStart,
  placeCapturedOrder,
  postClearingEntry,
  waitForReconciliation,
} from '../../helpers/reconciliation';
import { recordWorkflowHistory } from '../../helpers/histories';

jest.setTimeout(300_000);

const CCY = 'CAD';
const cad = (amount: number) => ({ amount, currency: CCY });

let world: OrderWorld;
let ledger: LedgerStore;
let desk: ReconciliationDesk;

beforeAll(async () => {
  world = await startOrderWorld();
  ledger = new LedgerStore(world.db);
  // Three transactions a page, so that the workflow reads the processor in several pages.
  desk = new ReconciliationDesk(world.db, world.temporal.client, { taskQueue: world.taskQueue, pageSize: 3 });
});
afterAll(async () => {
  await world?.close();
});

/** A charge made straight at Stripe (no saga, so nothing posted). */
async function chargeDirectly(orderId: string, amount: number) {
  const payment = await world.deps.payments.authorizePayment({
    orderId,
    amount: cad(amount),
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: idempotencyKeys.authorize(orderId),
  });
  return world.deps.payments.capturePayment({
    providerPaymentId: payment.providerPaymentId,
    idempotencyKey: idempotencyKeys.capture(orderId),
  });
}

async function refund(paymentIntentId: string, refundId: string, amount: number) {
  return world.deps.payments.refundPayment({
    providerPaymentId: paymentIntentId,
    refundId,
    amount: cad(amount),
    idempotencyKey: idempotencyKeys.refund(refundId),
  });
}

async function pay(runId: string, amount: number) {
  return world.deps.payments.transferToMerchant({
    runId,
    merchantId: MERCHANT,
    destinationAccountId: 'acct_1TestOutdoor',
    amount: cad(amount),
    idempotencyKey: idempotencyKeys.payout(runId, MERCHANT),
  });
}

interface Planted {
  period: { from: string; to: string };
  orders: { a: string; b: string; cancelled: string; ghost: string; wrong: string; phantom: string };
  refunds: { ok: string; different: string; lost: string };
  runs: { paid: string; unposted: string };
}

let planted: Planted;
let first: ReconciliationView;

test('reports each planted mismatch exactly once and matches everything else', async () => {
  const from = periodStart();

  // Orders through the saga: two delivered (their captures posted by the workflow), one
  // cancelled after its capture (refunded by the saga's compensation, never posted by design).
  const [a, b, cancelled] = await Promise.all([
    placeCapturedOrder(world, CCY, 2),
    placeCapturedOrder(world, CCY, 3),
    placeCapturedOrder(world, CCY, 1),
  ]);
  const cancel = await world.api.app.inject({
    method: 'POST',
    url: `/v1/orders/${cancelled.orderId}/cancel`,
    headers: world.auth('support'),
    payload: { reason: 'customer changed their mind' },
  });
  expect(cancel.statusCode).toBe(200);
  await Promise.all([completeOrder(world, a.orderId), completeOrder(world, b.orderId)]);
  await waitForOrder(world, cancelled.orderId, hasStatus('cancelled'));
  const captureA = await ledger.getEntry(`order:${a.orderId}:capture`);
  expect(captureA?.lines.find((l) => l.account === `processor_clearing:stripe:${CCY}`)?.amount).toEqual(
    a.chargeNow,
  );

  // Refunds at Stripe with the adapter, and their ledger entries by hand.
  const refunds = { ok: uniqueId('rf-ok'), different: uniqueId('rf-diff'), lost: uniqueId('rf-lost') };
  await refund(a.paymentIntentId, refunds.ok, 1_000);
  await postClearingEntry(ledger, {
    businessKey: `refund:${refunds.ok}`,
    kind: 'refund',
    clearing: -1_000,
    currency: CCY,
    orderId: a.orderId,
  });
  const rDiff = await refund(b.paymentIntentId, refunds.different, 500);
  await postClearingEntry(ledger, {
    businessKey: `refund:${refunds.different}`,
    kind: 'refund',
    clearing: -600, // posted wrong on purpose
    currency: CCY,
    orderId: b.orderId,
  });
  const rLost = await refund(a.paymentIntentId, refunds.lost, 300); // never posted

  // Payouts: one transfer with its payout entry (as settlement posts it), one without.
  const runs = { paid: uniqueId('run'), unposted: uniqueId('run') };
  await pay(runs.paid, 2_000);
  await postClearingEntry(ledger, {
    businessKey: `payout:${runs.paid}:${MERCHANT}`,
    kind: 'payout',
    clearing: -2_000,
    currency: CCY,
  });
  const tUnposted = await pay(runs.unposted, 700);

  // Broken on purpose: a charge the ledger never heard of, a capture entry Stripe never saw, and
  // a capture posted with another amount than was charged.
  const orders = {
    a: a.orderId,
    b: b.orderId,
    cancelled: cancelled.orderId,
    ghost: uniqueId('ord-ghost'),
    wrong: uniqueId('ord-wrong'),
    phantom: uniqueId('ord-phantom'),
  };
  const ghost = await chargeDirectly(orders.ghost, 4_200);
  const wrong = await chargeDirectly(orders.wrong, 5_000);
  await postClearingEntry(ledger, {
    businessKey: `order:${orders.wrong}:capture`,
    kind: 'capture',
    clearing: 4_000,
    currency: CCY,
    orderId: orders.wrong,
  });
  await postClearingEntry(ledger, {
    businessKey: `order:${orders.phantom}:capture`,
    kind: 'capture',
    clearing: 4_321,
    currency: CCY,
    orderId: orders.phantom,
  });

  await new Promise((resolve) => setTimeout(resolve, 20));
  const to = new Date().toISOString();
  const started = await desk.start({ from, to, currency: CCY }, undefined, 'reconciliation test');
  expect(started).toMatchObject({ created: true, run: { status: 'running', currency: CCY } });
  const done = await waitForReconciliation(world, started.run.id);
  expect(done.status).toBe('completed');

  // 5 charges, 4 refunds (one the saga's compensation), 2 transfers; 7 ledger entries, plus the
  // cancelled order's capture and compensation refund when the saga posts them (it posts the
  // capture when it captures; before that change it posted on delivery only, and the cancelled
  // order then nets to zero unposted: matched all the same).
  // (The run also booked the fee on its charge under the order: not a clearing movement matched.)
  const cancelledEntries = (await ledger.entriesForOrder(cancelled.orderId)).filter(
    (e) => e.kind !== 'processor_fee',
  ).length;
  expect([0, 2]).toContain(cancelledEntries);
  expect(done.counts).toEqual({
    processorTransactions: 11,
    ledgerEntries: 7 + cancelledEntries,
    matched: 6,
    missing: 3,
    extra: 1,
    differentAmount: 2,
    matchedAcrossPeriods: 0,
    unpostedNetZero: cancelledEntries === 0 ? 2 : 0,
  });
  const summary = done.mismatches.map((m) => ({
    kind: m.kind,
    category: m.category,
    matchKey: m.matchKey,
    orderId: m.orderId,
    processorAmount: m.processorAmount,
    ledgerAmount: m.ledgerAmount,
    difference: m.difference,
    processor: m.processor.map((p) => p.sourceId),
    ledger: m.ledger.map((l) => l.businessKey),
  }));
  const rows = [
    {
      kind: 'missing',
      category: 'charge',
      matchKey: `order:${orders.ghost}`,
      orderId: orders.ghost,
      processorAmount: cad(4_200),
      ledgerAmount: null,
      difference: cad(4_200),
      processor: [ghost.providerChargeId],
      ledger: [],
    },
    {
      kind: 'missing',
      category: 'refund',
      matchKey: `refund:${refunds.lost}`,
      orderId: orders.a, // from the orders projection, by PaymentIntent
      processorAmount: cad(-300),
      ledgerAmount: null,
      difference: cad(-300),
      processor: [rLost.providerRefundId],
      ledger: [],
    },
    {
      kind: 'missing',
      category: 'transfer',
      matchKey: `payout:${runs.unposted}:${MERCHANT}`,
      orderId: null,
      processorAmount: cad(-700),
      ledgerAmount: null,
      difference: cad(-700),
      processor: [tUnposted.providerTransferId],
      ledger: [],
    },
    {
      kind: 'extra',
      category: 'charge',
      matchKey: `order:${orders.phantom}`,
      orderId: orders.phantom,
      processorAmount: null,
      ledgerAmount: cad(4_321),
      difference: cad(-4_321),
      processor: [],
      ledger: [`order:${orders.phantom}:capture`],
    },
    {
      kind: 'different_amount',
      category: 'charge',
      matchKey: `order:${orders.wrong}`,
      orderId: orders.wrong,
      processorAmount: cad(5_000),
      ledgerAmount: cad(4_000),
      difference: cad(1_000),
      processor: [wrong.providerChargeId],
      ledger: [`order:${orders.wrong}:capture`],
    },
    {
      kind: 'different_amount',
      category: 'refund',
      matchKey: `refund:${refunds.different}`,
      orderId: orders.b,
      processorAmount: cad(-500),
      ledgerAmount: cad(-600),
      difference: cad(100),
      processor: [rDiff.providerRefundId],
      ledger: [`refund:${refunds.different}`],
    },
  ];
  // Sorted the way the domain sorts them (kind, category, key), to compare as lists.
  expect(summary).toEqual(rows);
  for (const m of done.mismatches) {
    expect(m.reason.length).toBeGreaterThan(20);
    for (const p of m.processor) expect(p.transactionId).toMatch(/^txn_/);
    for (const l of m.ledger) expect(l.entryId).toMatch(/^[0-9a-f-]{36}$/);
  }

  // The run booked the processor's fee on each charge: one processor_fee entry per balance
  // transaction, an expense paid out of clearing, naming the charge's order.
  const charged = world.stripe.state.balanceTransactions.filter((t) => t.currency === 'cad' && t.fee !== 0);
  expect(charged.map((t) => t.type)).toEqual(Array(5).fill('charge'));
  const fees = charged.reduce((s, t) => s + t.fee, 0);
  expect(fees).toBeGreaterThan(0);
  for (const txn of charged) {
    const entry = await ledger.getEntry(`processor-fee:${txn.id}`);
    expect(entry).toMatchObject({
      kind: 'processor_fee',
      occurredAt: new Date(txn.created * 1000).toISOString(),
      lines: [
        { account: 'processor_fees:stripe:CAD', amount: cad(txn.fee) },
        { account: 'processor_clearing:stripe:CAD', amount: cad(-txn.fee) },
      ],
    });
  }
  expect((await ledger.getEntry(`processor-fee:${charged[0]!.id}`))?.orderId).toEqual(expect.any(String));
  expect(done.fees).toEqual({
    processor: cad(fees),
    ledger: cad(fees),
    difference: cad(0),
    ledgerPostsFees: true,
    note: expect.stringMatching(/booked .* of processor fees/),
  });
  const gross = world.stripe.state.balanceTransactions
    .filter((t) => t.currency === 'cad')
    .reduce((s, t) => s + t.amount, 0);
  expect(done.totals).toEqual({
    processorGross: cad(gross),
    processorFees: cad(fees),
    processorNet: cad(gross - fees),
    ledgerClearing: cad(a.chargeNow.amount + b.chargeNow.amount - 1_000 - 600 - 2_000 + 4_000 + 4_321 - fees),
  });

  // Stored once: one row per mismatch, and the pages the workflow read (3 transactions each).
  const stored = await world.db.reconciliationMismatch.findMany({ where: { reconciliationId: done.id } });
  expect(stored).toHaveLength(6);
  const pages = await world.db.reconciliationProcessorPage.findMany({
    where: { reconciliationId: done.id },
    orderBy: { pageNo: 'asc' },
  });
  expect(pages.map((p) => p.itemCount)).toEqual([3, 3, 3, 2]);
  const progress = await world.temporal.client.workflow
    .getHandle(reconciliationWorkflowId(done.id))
    .query(reconciliationProgressQuery);
  expect(progress).toMatchObject({ phase: 'completed', processorPages: 4, processorTransactions: 11 });

  planted = { period: { from, to }, orders, refunds, runs };
  first = done;
  await recordWorkflowHistory(
    world.temporal.client,
    reconciliationWorkflowId(done.id),
    'reconciliation-mismatches',
  );
});

test('while it runs, GET shows the workflow’s progress; a failed page is retried without reading twice', async () => {
  expect(planted).toBeDefined();
  // Reading the page fails once (Stripe 500): the activity is retried, and then answers slowly.
  world.stripe.faults.inject({ kind: '500', method: 'GET', path: '/v1/balance_transactions' });
  world.stripe.faults.inject({
    kind: 'slow',
    delayMs: 2_500,
    method: 'GET',
    path: '/v1/balance_transactions',
  });
  const res = await world.api.app.inject({
    method: 'POST',
    url: '/v1/reconciliations',
    headers: world.auth('finance'),
    payload: { ...planted.period, currency: CCY },
  });
  expect(res.statusCode).toBe(202);
  const id = (res.json() as ReconciliationView).id;
  const running = await waitForReconciliation(world, id, (view) => view.progress !== undefined, 10_000);
  expect(running).toMatchObject({
    status: 'running',
    counts: null,
    mismatches: [],
    progress: { phase: 'processor', processorPages: 0, processorTransactions: 0 },
  });

  const done = await waitForReconciliation(world, id);
  expect(done.status).toBe('completed');
  expect(done.counts).toEqual(first.counts);
  expect(done.mismatches.map((m) => m.matchKey)).toEqual(first.mismatches.map((m) => m.matchKey));
  // This desk (the API's) reads 100 transactions a page: one page.
  const pages = await world.db.reconciliationProcessorPage.findMany({ where: { reconciliationId: id } });
  expect(pages.map((p) => p.itemCount)).toEqual([11]);
  expect(world.stripe.faults.triggered.map((f) => f.kind)).toEqual(['500', 'slow']);

  // A page asked for again (an activity whose answer was lost) is answered from staging.
  const reads = () =>
    world.stripe.requests.filter((r) => r.path.startsWith('/v1/balance_transactions')).length;
  const before = reads();
  const again = await createReconciliationActivities(world.deps).fetchProcessorPage({
    reconciliationId: id,
    currency: CCY,
    window: done.processorWindow,
    pageNo: 0,
    startingAfter: null,
    pageSize: 100,
  });
  expect(again).toMatchObject({ pageNo: 0, count: 11, nextStartingAfter: null });
  expect(reads()).toBe(before);
});

test('a ledger fixed with a reversal and the missing entries leaves only what is still wrong', async () => {
  // Finance books the lost refund and the unposted payout, and reverses the phantom capture.
  await postClearingEntry(ledger, {
    businessKey: `refund:${planted.refunds.lost}`,
    kind: 'refund',
    clearing: -300,
    currency: CCY,
    orderId: planted.orders.a,
  });
  await postClearingEntry(ledger, {
    businessKey: `payout:${planted.runs.unposted}:${MERCHANT}`,
    kind: 'payout',
    clearing: -700,
    currency: CCY,
  });
  const phantom = (await ledger.getEntry(`order:${planted.orders.phantom}:capture`))!;
  await ledger.post({
    businessKey: `reversal:${phantom.businessKey}`,
    kind: 'reversal',
    reversesEntryId: phantom.id,
    orderId: phantom.orderId,
    merchantId: phantom.merchantId,
    description: 'phantom capture reversed',
    occurredAt: new Date(),
    lines: phantom.lines.map((l) => ({
      account: l.account,
      amount: { ...l.amount, amount: -l.amount.amount },
    })),
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const to = new Date().toISOString();
  const started = await desk.start({ from: planted.period.from, to, currency: CCY }, undefined, 'test');
  const done = await waitForReconciliation(world, started.run.id);
  expect(done.counts).toMatchObject({ missing: 1, extra: 0, differentAmount: 2, matched: 9 });
  // The fees the earlier runs of this period booked are not booked again.
  expect(done.fees).toMatchObject({ ledgerPostsFees: true, difference: cad(0) });
  expect(done.mismatches.map((m) => `${m.kind} ${m.matchKey}`)).toEqual([
    `missing order:${planted.orders.ghost}`,
    `different_amount order:${planted.orders.wrong}`,
    `different_amount refund:${planted.refunds.different}`,
  ]);
});

test('transfers and their reversals match payout and payout-reversal entries (KRW, zero decimals)', async () => {
  const from = periodStart();
  const runId = uniqueId('run-jpy');
  const reversalId = uniqueId('rv');
  const transfer = await world.deps.payments.transferToMerchant({
    runId,
    merchantId: MERCHANT,
    destinationAccountId: 'acct_1TestOutdoor',
    amount: { amount: 5_000, currency: 'KRW' },
    idempotencyKey: idempotencyKeys.payout(runId, MERCHANT),
  });
  await world.deps.payments.reverseTransfer({
    providerTransferId: transfer.providerTransferId,
    reversalId,
    amount: { amount: 2_000, currency: 'KRW' },
    idempotencyKey: idempotencyKeys.payoutReversal(runId, MERCHANT, reversalId),
  });
  const page = await world.deps.payments.listBalanceTransactions({ currency: 'KRW', expandSource: true });
  expect(page.items.map((t) => [t.type, t.amount.amount, t.source])).toEqual([
    [
      'transfer_refund',
      2_000,
      expect.objectContaining({
        object: 'transfer_reversal',
        reversalId,
        providerTransferId: transfer.providerTransferId,
      }),
    ],
    [
      'transfer',
      -5_000,
      expect.objectContaining({
        object: 'transfer',
        runId,
        merchantId: MERCHANT,
        id: transfer.providerTransferId,
      }),
    ],
  ]);

  await postClearingEntry(ledger, {
    businessKey: `payout:${runId}:${MERCHANT}`,
    kind: 'payout',
    clearing: -5_000,
    currency: 'KRW',
  });
  await postClearingEntry(ledger, {
    businessKey: `payout-reversal:${runId}:${MERCHANT}:${reversalId}`,
    kind: 'adjustment',
    clearing: 2_000,
    currency: 'KRW',
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = await desk.start(
    { from, to: new Date().toISOString(), currency: 'KRW' },
    undefined,
    'test',
  );
  const done = await waitForReconciliation(world, started.run.id);
  expect(done.counts).toMatchObject({
    processorTransactions: 2,
    ledgerEntries: 2,
    matched: 2,
    missing: 0,
    extra: 0,
  });
  expect(done.totals?.processorGross).toEqual({ amount: -3_000, currency: 'KRW' });
});

test('a run that cannot read the processor fails, and says why', async () => {
  const id = `rec_${'f'.repeat(12)}${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
  const period = { from: periodStart(), to: new Date().toISOString() };
  await new ReconciliationStore(world.db).create({
    id,
    workflowId: reconciliationWorkflowId(id),
    currency: CCY,
    period,
    processorWindow: period,
    idempotencyKey: null,
    requestHash: '0'.repeat(64),
    requestedBy: 'test',
  });
  // A page size the adapter refuses: VALIDATION_FAILED is not retried.
  const handle = await world.temporal.client.workflow.start(reconciliationWorkflow, {
    workflowId: reconciliationWorkflowId(id),
    taskQueue: world.taskQueue,
    args: [{ reconciliationId: id, currency: CCY, period, processorWindow: period, pageSize: 0 }],
  });
  await expect(handle.result()).rejects.toThrow();
  const failed = await waitForReconciliation(world, id);
  expect(failed).toMatchObject({
    status: 'failed',
    counts: null,
    completedAt: expect.any(String),
    error: expect.stringMatching(/VALIDATION_FAILED: limit must be an integer from 1 to 100/),
  });
  expect(await handle.query(reconciliationProgressQuery)).toMatchObject({ phase: 'failed' });
});
