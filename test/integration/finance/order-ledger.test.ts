/**
 * GET /v1/orders/:id/ledger: an order's entries (capture, refund, the processor fee reconciliation
 * books), which settlement run settled each merchant line, and where the money went. Reads only
 * its own orders and settles only its own merchant, so the shared ledger does not matter.
 */
import { processorFeeEntries } from '../../../src/domain/reconciliation';
import { LedgerStore } from '../../../src/infra/ledger';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../../../src/infra/fx';
import { SettlementStore } from '../../../src/infra/settlement';
import { startTestApi, type TestApi } from '../../helpers/api';
import { uniqueId } from '../../helpers/database';
import { processorItem } from '../../helpers/processor-items';
import { createMerchant, postCapture, postRefund, RecordingTransfers } from '../../helpers/settlement';

jest.setTimeout(60_000);

let api: TestApi;
let ledger: LedgerStore;
beforeAll(async () => {
  api = await startTestApi();
  ledger = new LedgerStore(api.db);
});
afterAll(async () => {
  await api?.close();
});

const ledgerOf = (orderId: string, role: 'finance' | 'support' = 'finance') =>
  api.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/ledger`, headers: api.auth(role) });
const eur = (amount: number) => ({ amount, currency: 'EUR' });

test("shows the order's entries oldest first, the run that settled each merchant line, and where the money went", async () => {
  const merchantId = await createMerchant(api.db, { platformFeeBps: 1000 });
  const orderId = uniqueId('ord-ledger');
  const capture = await postCapture(ledger, {
    merchantId,
    orderId,
    goods: 10_000,
    shipping: 1_000,
    taxes: 2_000,
    carrier: 700,
    occurredAt: '2026-11-10T10:00:00.000Z',
  });
  const refund = await postRefund(ledger, capture, 1_300, '2026-11-12T10:00:00.000Z');
  const [fee] = processorFeeEntries(
    [
      processorItem({
        transactionId: `txn_${orderId.replace(/[^A-Za-z0-9]/g, '')}`,
        type: 'charge',
        amount: 13_000,
        fee: 407,
        currency: 'EUR',
        orderId,
        createdAt: '2026-11-10T10:00:01.000Z',
      }),
    ],
    { from: '2026-11-10T00:00:00.000Z', to: '2026-11-11T00:00:00.000Z' },
    'EUR',
  );
  await ledger.postMany([fee!]);

  // A settlement run of this merchant up to the 11th settles the capture's merchant line only.
  const store = new SettlementStore(api.db);
  const runId = uniqueId('stl');
  await store.openRun({
    runId,
    workflowId: `settlement-${runId}`,
    currency: 'EUR',
    period: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-11T00:00:00.000Z' },
    merchantIds: [merchantId],
    requestedBy: 'test',
  });
  await store.prepare(runId, new ReferenceRateSource(ECB_SAMPLE_DAYS));
  await store.payBatch(runId, 10, new RecordingTransfers());
  await store.finish(runId);

  const res = await ledgerOf(orderId);
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(body.entries.map((e: { businessKey: string }) => e.businessKey)).toEqual([
    `order:${orderId}:capture`,
    fee!.businessKey,
    refund.businessKey,
  ]);
  const [captured, booked, refunded] = body.entries;
  expect(booked).toMatchObject({
    kind: 'processor_fee',
    reverses: null,
    lines: [
      { account: 'processor_fees:stripe:EUR', amount: eur(407), settlementRunId: null },
      { account: 'processor_clearing:stripe:EUR', amount: eur(-407), settlementRunId: null },
    ],
  });
  const payable = `merchant_payable:${merchantId}:EUR`;
  expect(captured.lines.find((l: { account: string }) => l.account === payable)).toMatchObject({
    settlementRunId: runId,
  });
  expect(refunded.lines.find((l: { account: string }) => l.account === payable)).toMatchObject({
    settlementRunId: null,
  });
  for (const line of captured.lines.filter((l: { account: string }) => l.account !== payable)) {
    expect(line.settlementRunId).toBeNull();
  }

  // Goods + shipping 11,000 at 10 %: fee 1,100; the merchant 11,000 − 1,100 − 700 = 9,200. The
  // refund of 1,300 of 13,000 takes a tenth of each refundable part back.
  expect(body.money).toEqual([
    {
      currency: 'EUR',
      captured: 13_000,
      refunded: 1_300,
      processorFees: 407,
      platformFees: 1_100 - 110,
      merchant: 9_200 - 990,
      carrier: 700,
      dutiesAndTaxes: 2_000 - 200,
    },
  ]);
});

test('an order with no entries yet answers them empty; an unknown order is 404; support may not read it', async () => {
  const merchantId = await createMerchant(api.db);
  const orderId = uniqueId('ord-noledger');
  await api.db.order.create({
    data: {
      id: orderId,
      merchantId,
      status: 'received',
      currency: 'EUR',
      totalAmount: 1_000n,
      shipFromCountry: 'DE',
      shipToCountry: 'FR',
      workflowId: `order-${orderId}`,
    },
  });
  const empty = await ledgerOf(orderId);
  expect(empty.statusCode).toBe(200);
  expect(empty.json()).toEqual({ orderId, entries: [], money: [] });

  const unknown = await ledgerOf(uniqueId('ord-unknown'));
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json().error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  expect((await ledgerOf(orderId, 'support')).statusCode).toBe(403);
  expect((await ledgerOf('not an id')).statusCode).toBe(400);
});
