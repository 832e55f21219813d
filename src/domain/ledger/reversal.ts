import { AppError } from '../../errors';
import { money } from '../money';
import { ledgerEntry, ledgerKeys, type LedgerEntryDraft } from './entry';

/** A posted entry: a draft with the id the ledger gave it. */
export type ReversibleEntry = LedgerEntryDraft & { readonly id: string };

export interface ReversalOptions {
  /** Business time of the correction. */
  readonly occurredAt: Date | string;
  /** Defaults to `reversal:<the entry's business key>`. */
  readonly businessKey?: string;
  readonly description?: string;
}

/**
 * The entry that undoes a posted entry (kind `reversal`): the same lines, in the same order, with
 * every amount negated, and `reversesEntryId` naming it. The database refuses a reversal that
 * does not negate its entry exactly, and a second reversal of the same entry.
 */
export function reversalOf(entry: ReversibleEntry, options: ReversalOptions): LedgerEntryDraft {
  if (typeof entry?.id !== 'string') {
    throw new AppError('VALIDATION_FAILED', 'only a posted entry (with its id) can be reversed', {
      field: 'entry.id',
    });
  }
  return ledgerEntry({
    businessKey: options.businessKey ?? ledgerKeys.reversal(entry.businessKey),
    kind: 'reversal',
    orderId: entry.orderId,
    merchantId: entry.merchantId,
    description: options.description ?? `Reversal of ${entry.businessKey}`,
    occurredAt: options.occurredAt,
    reversesEntryId: entry.id,
    lines: entry.lines.map((line) => ({
      account: line.account,
      amount: money(-line.amount.amount, line.amount.currency),
    })),
  });
}
