import { AppError } from '../../errors';
import {
  DEFAULT_PROCESSOR,
  accounts,
  credit,
  debit,
  ledgerEntry,
  ledgerKeys,
  type LedgerEntryDraft,
} from '../ledger';
import { ID_PATTERN } from '../ledger/accounts';
import { money } from '../money';
import { isProcessorFee } from './keys';
import type { Period, ProcessorItem } from './types';

/**
 * What the processor charged on one balance transaction, in minor units (positive: a cost; negative:
 * a fee given back): its `fee`, and for the processor's own fee transactions (`stripe_fee`, …) the
 * amount they took from the balance.
 */
export function feeOf(item: ProcessorItem): number {
  return item.fee - (isProcessorFee(item) ? item.amount : 0);
}

/**
 * The ledger entry that books the processor's fee on one balance transaction (kind
 * `processor_fee`, key `processor-fee:<txn>`, at the transaction's time): the fee is an expense
 * of the platform, paid out of the money the processor holds for it, so it debits
 * `processor_fees:<processor>:<CCY>` and credits `processor_clearing:<processor>:<CCY>` (a fee
 * given back, the other way round). The entry names the transaction's order when its source did.
 * Null when the transaction cost nothing.
 */
export function processorFeeEntry(
  item: ProcessorItem,
  processor: string = DEFAULT_PROCESSOR,
): LedgerEntryDraft | null {
  const fee = feeOf(item);
  if (fee === 0) return null;
  const cost = money(Math.abs(fee), item.currency, 'fee');
  const expense = accounts.processorFees(processor, item.currency);
  const clearing = accounts.processorClearing(processor, item.currency);
  const on = item.sourceId ? `${item.type} ${item.sourceId}` : item.type;
  return ledgerEntry({
    businessKey: ledgerKeys.processorFee(item.transactionId),
    kind: 'processor_fee',
    // Metadata is the processor's to keep, so an order id the ledger cannot hold is left out.
    orderId: item.orderId !== null && ID_PATTERN.test(item.orderId) ? item.orderId : null,
    description: `${processor} fee on ${on} (${item.transactionId})${fee < 0 ? ', given back' : ''}`,
    occurredAt: item.createdAt,
    lines:
      fee > 0
        ? [debit(expense, cost), credit(clearing, cost)]
        : [debit(clearing, cost), credit(expense, cost)],
  });
}

/**
 * The entries that book the processor's fees on the period's transactions of one currency, one per
 * transaction that cost something, in the order given. Transactions outside the period are left to
 * their own period's run.
 */
export function processorFeeEntries(
  items: readonly ProcessorItem[],
  period: Period,
  currency: string,
  processor: string = DEFAULT_PROCESSOR,
): LedgerEntryDraft[] {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  if (!(from < to)) {
    throw new AppError('VALIDATION_FAILED', 'the period must end after it starts', { field: 'period.to' });
  }
  const entries: LedgerEntryDraft[] = [];
  for (const item of items) {
    const at = Date.parse(item.createdAt);
    if (item.currency !== currency || at < from || at >= to) continue;
    const entry = processorFeeEntry(item, processor);
    if (entry !== null) entries.push(entry);
  }
  return entries;
}
