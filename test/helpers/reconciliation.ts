/**
 * Helpers of the reconciliation tests: orders in a currency of the test's own (the test run's
 * ledger is shared by every test file, and a reconciliation reads a whole currency), hand-posted
 * ledger entries, and waiting for a run.
 */
import { accounts, type EntryKind } from '../../src/domain/ledger';
import type { ReconciliationView } from '../../src/infra/reconciliation';
import type { LedgerStore } from '../../src/infra/ledger';
import {
  createQuote,
  hasStatus,
  orderRequest,
  placeOrder,
  shipmentOf,
  waitForOrder,
  type OrderWorld,
} from './order-world';

export const MERCHANT = 'mer_test_outdoor';

/** Places an order and waits until it is captured (awaiting the carrier's pick-up). */
export async function placeCapturedOrder(world: OrderWorld, currency: string, quantity = 2) {
  const quote = await createQuote(world, { currency, quantity });
  const body = orderRequest(quote.id);
  const placed = await placeOrder(world, body);
  if (placed.statusCode !== 201) throw new Error(`order failed: ${placed.statusCode} ${placed.body}`);
  const view = await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'), 60_000);
  return { orderId: body.orderId, chargeNow: quote.chargeNow, paymentIntentId: view.paymentIntentId! };
}

/** Runs an order through the whole saga: captured, shipped, delivered, posted to the ledger. */
export async function completeOrder(world: OrderWorld, orderId: string): Promise<void> {
  const shipment = shipmentOf(world, orderId);
  world.carrier.advance(shipment.shipmentId, 'handover');
  await waitForOrder(world, orderId, hasStatus('in_transit'), 30_000);
  world.carrier.advance(shipment.shipmentId, 'deliver');
  await waitForOrder(world, orderId, hasStatus('completed'), 60_000);
}

/**
 * Posts a balanced entry moving `clearing` (signed, debit positive) on processor clearing, the
 * other side on the merchant's payable: enough for reconciliation, which reads clearing only.
 */
export async function postClearingEntry(
  store: LedgerStore,
  entry: {
    businessKey: string;
    kind: EntryKind;
    clearing: number;
    currency: string;
    orderId?: string;
    occurredAt?: string;
  },
) {
  return store.post({
    businessKey: entry.businessKey,
    kind: entry.kind,
    orderId: entry.orderId ?? null,
    merchantId: MERCHANT,
    description: `test entry ${entry.businessKey}`,
    occurredAt: entry.occurredAt ?? new Date(),
    lines: [
      {
        account: accounts.processorClearing('stripe', entry.currency),
        amount: { amount: entry.clearing, currency: entry.currency },
      },
      {
        account: accounts.merchantPayable(MERCHANT, entry.currency),
        amount: { amount: -entry.clearing, currency: entry.currency },
      },
    ],
  });
}

/** Reads the run through the API until `predicate` holds. */
export async function waitForReconciliation(
  world: OrderWorld,
  id: string,
  predicate: (view: ReconciliationView) => boolean = (view) => view.status !== 'running',
  timeoutMs = 60_000,
): Promise<ReconciliationView> {
  const deadline = Date.now() + timeoutMs;
  let last: ReconciliationView | undefined;
  while (Date.now() < deadline) {
    const res = await world.api.app.inject({
      method: 'GET',
      url: `/v1/reconciliations/${id}`,
      headers: world.auth('finance'),
    });
    if (res.statusCode !== 200) throw new Error(`GET reconciliation failed: ${res.statusCode} ${res.body}`);
    last = res.json() as ReconciliationView;
    if (predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `reconciliation ${id} did not reach the expected state; last: ${JSON.stringify(last, null, 2)}`,
  );
}

/** A whole second at or before now, minus one: Stripe's timestamps are whole seconds. */
export function periodStart(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
}
