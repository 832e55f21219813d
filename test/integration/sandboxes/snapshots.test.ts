/**
 * The partners' sandboxes keep their state in a file (`stateFile`), as `npm run dev` has them do
 * in DATA_DIR: a sandbox started again on the file finds the payments, declarations and shipments
 * made before, answers a retried request with the same idempotency key as before, and goes on
 * with what it had started (an authorisation captured later, a declaration decided when due, a
 * label handed over and delivered).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idempotencyKeys } from '../../../src/domain/payments';
import { startCarrierSandbox } from '../../../src/sandboxes/carrier';
import { startCustomsBrokerSandbox } from '../../../src/sandboxes/customs-broker';
import { brokerFor, sampleDeclaration } from '../../helpers/customs-sandbox';
import { carrierFor, sampleShipment } from '../../helpers/carrier-sandbox';
import { paymentsFor, startTestSandbox } from '../../helpers/stripe-sandbox';

jest.setTimeout(30_000);

const folder = () => mkdtempSync(join(tmpdir(), 'borderline-sandbox-state-'));
const eventually = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

test('Stripe: an authorisation made before a restart is captured after it; a retried request replays its answer', async () => {
  const stateFile = join(folder(), 'stripe.json');
  const first = await startTestSandbox({ stateFile });
  const orderId = 'ord-snapshot-1';
  const request = {
    orderId,
    amount: { amount: 12_345, currency: 'EUR' },
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: idempotencyKeys.authorize(orderId),
  };
  const authorized = await first.payments.authorizePayment(request);
  await first.sandbox.close();
  expect(existsSync(stateFile)).toBe(true);

  const second = await startTestSandbox({ stateFile });
  try {
    expect(second.sandbox.port).not.toBe(first.sandbox.port);
    const payments = paymentsFor(second.sandbox);
    // The same request under the same key: the first answer, not a second authorisation.
    expect((await payments.authorizePayment(request)).providerPaymentId).toBe(authorized.providerPaymentId);
    expect(second.sandbox.state.paymentIntents.size).toBe(1);
    const captured = await payments.capturePayment({
      providerPaymentId: authorized.providerPaymentId,
      amount: request.amount,
      idempotencyKey: idempotencyKeys.capture(orderId),
    });
    expect(captured).toMatchObject({ status: 'succeeded', amountReceived: request.amount });
    expect(second.sandbox.state.balanceTransactions.map((t) => t.type)).toEqual(['charge']);
  } finally {
    await second.sandbox.close();
  }
});

test('customs: a declaration filed before a restart is found after it and decided when due', async () => {
  const stateFile = join(folder(), 'customs-broker.json');
  const first = await startCustomsBrokerSandbox({
    processingDelayMs: 600,
    seed: 'snapshot-tests',
    stateFile,
  });
  const request = sampleDeclaration();
  const submitted = await brokerFor(first).submitDeclaration(request);
  expect(submitted.status).toBe('pending');
  await first.close();

  const second = await startCustomsBrokerSandbox({ processingDelayMs: 600, stateFile });
  try {
    const broker = brokerFor(second);
    await eventually(async () => (await broker.getDeclaration(submitted.declarationId)).status !== 'pending');
    expect(await broker.getDeclaration(submitted.declarationId)).toMatchObject({
      declarationId: submitted.declarationId,
      status: 'accepted',
    });
    // The same submission again is the same declaration; a new one gets a new id.
    expect((await broker.submitDeclaration(request)).declarationId).toBe(submitted.declarationId);
    const other = await broker.submitDeclaration(sampleDeclaration());
    expect(other.declarationId).not.toBe(submitted.declarationId);
  } finally {
    await second.close();
  }
});

test('carrier: a label bought before a restart is handed over and delivered after it, with new ids after the old', async () => {
  const stateFile = join(folder(), 'carrier.json');
  const progression = { handoverAfterMs: 400, outForDeliveryAfterMs: 100, deliverAfterMs: 100 };
  const first = await startCarrierSandbox({ seed: 'snapshot-tests', progression, stateFile });
  const bought = async () => {
    const created = await carrierFor(first).createShipment(sampleShipment());
    const rate = created.rates.find((r) => r.service === 'standard' && r.deliveryDutiesPaid)!;
    await carrierFor(first).buyLabel(created.shipmentId, rate.rateId);
    return created;
  };
  const shipment = await bought();
  // A second one already handed over when the sandbox stops: it goes on from there.
  const underway = await bought();
  first.advance(underway.shipmentId, 'handover');
  await first.close();

  const second = await startCarrierSandbox({ progression, stateFile });
  try {
    const carrier = carrierFor(second);
    for (const { shipmentId } of [shipment, underway]) {
      await eventually(async () => (await carrier.getShipment(shipmentId)).status === 'delivered');
    }
    const events = await carrier.trackingEvents(shipment.shipmentId);
    expect(events.map((event) => event.status)).toEqual(
      expect.arrayContaining(['in_transit', 'out_for_delivery', 'delivered']),
    );
    expect(second.charges.filter((charge) => charge.shipmentId === shipment.shipmentId)).toHaveLength(1);
    const next = await carrier.createShipment(sampleShipment());
    expect(next.shipmentId).not.toBe(shipment.shipmentId);
  } finally {
    await second.close();
  }
});

test('a file that is not a snapshot is set aside, and the sandbox starts empty and says so', async () => {
  const dir = folder();
  const stateFile = join(dir, 'stripe.json');
  writeFileSync(stateFile, '{"version": 0, "data": {}}');
  const said: string[] = [];
  const { sandbox } = await startTestSandbox({ stateFile, log: (message) => said.push(message) });
  try {
    expect(sandbox.state.paymentIntents.size).toBe(0);
    expect(said.join('\n')).toMatch(/not a snapshot of version 1; set aside/);
    expect(readdirSync(dir).some((name) => name.startsWith('stripe.json.unreadable-'))).toBe(true);
  } finally {
    await sandbox.close();
  }
  // Closing wrote a snapshot of its (empty) state in the file's place.
  expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ version: 1 });
});
