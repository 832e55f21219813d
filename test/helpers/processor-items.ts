import type { ProcessorItem } from '../../src/domain/reconciliation';

let seq = 0;

/**
 * A processor balance transaction as reconciliation stages it: a fresh `txn_…` id and source id
 * each call, no fee, nothing named, in USD on 2026-11-01 at noon unless overridden.
 */
export function processorItem(
  overrides: Partial<ProcessorItem> & Pick<ProcessorItem, 'type' | 'amount'>,
): ProcessorItem {
  seq += 1;
  return {
    transactionId: `txn_${seq}`,
    fee: 0,
    currency: 'USD',
    createdAt: '2026-11-01T12:00:00.000Z',
    sourceId: `src_${seq}`,
    paymentIntentId: null,
    chargeId: null,
    transferId: null,
    orderId: null,
    refundId: null,
    runId: null,
    merchantId: null,
    reversalId: null,
    ...overrides,
  };
}
