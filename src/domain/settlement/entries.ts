import { AppError } from '../../errors';
import { accounts, credit, debit, DEFAULT_PROCESSOR, ledgerEntry, type LedgerEntryDraft } from '../ledger';
import { money, type Money } from '../money';
import { idempotencyKeys } from '../payments/idempotency-keys';

/**
 * The ledger entries a settlement run posts, pure. Each names the lines the run claims
 * (settles) at once, in the transaction that posts it, so no other run can ever take them.
 */

/** Business keys of settlement entries; the payout's is also the transfer's idempotency key. */
export const settlementKeys = {
  /** `payout:<runId>:<merchantId>` (DESIGN.md): the same string as the transfer's idempotency key. */
  payout: (runId: string, merchantId: string): string => idempotencyKeys.payout(runId, merchantId),
  reserveRelease: (runId: string, merchantId: string): string =>
    `reserve_release:${idempotencyKeys.payout(runId, merchantId).slice('payout:'.length)}`,
  carryForward: (runId: string, merchantId: string): string =>
    `carry_forward:${idempotencyKeys.payout(runId, merchantId).slice('payout:'.length)}`,
} as const;

/** An entry to post, with the positions (0-based) of its lines the run settles, and how. */
export interface SettlementPosting {
  readonly entry: LedgerEntryDraft;
  readonly claims: readonly { readonly lineIndex: number; readonly component: 'payable' | 'reserve' }[];
  readonly merchantId: string;
}

function positive(m: Money, field: string): Money {
  const checked = money(m.amount, m.currency, field);
  if (checked.amount <= 0) throw new AppError('VALIDATION_FAILED', `${field} must be positive`, { field });
  return checked;
}

/**
 * `reserve_release:<runId>:<merchantId>` (kind reserve_release): the reserve held long enough
 * moves to the payable. debit merchant_reserve, credit merchant_payable (a negative `amount`, a
 * reserve with a debit balance, moves the other way). Both lines are settled by the run: the
 * reserve line so it is never released again, the payable line as part of what the run pays.
 */
export function reserveReleaseEntry(input: {
  runId: string;
  merchantId: string;
  amount: Money;
  occurredAt: string;
}): SettlementPosting {
  const { merchantId, amount } = input;
  const entry = ledgerEntry({
    businessKey: settlementKeys.reserveRelease(input.runId, merchantId),
    kind: 'reserve_release',
    merchantId,
    description: `Reserve released by settlement run ${input.runId}`,
    occurredAt: input.occurredAt,
    lines: [
      debit(accounts.merchantReserve(merchantId, amount.currency), amount),
      credit(accounts.merchantPayable(merchantId, amount.currency), amount),
    ],
  });
  return {
    entry,
    merchantId,
    claims: [
      { lineIndex: 0, component: 'reserve' },
      { lineIndex: 1, component: 'payable' },
    ],
  };
}

/**
 * `carry_forward:<runId>:<merchantId>` (kind adjustment): what a run does not pay (a negative
 * net, a held or failed payout) moves from the lines it settled to one new line left for the
 * next run. Two lines on the merchant's payable, so its balance does not change:
 *   - closing, settled by this run: debit `owed` (this run's lines now add up to zero);
 *   - opening, left unsettled: credit `owed` (the next run finds it as "brought forward").
 * `owed` is signed: positive when the platform still owes the merchant, negative when the
 * merchant owes the platform.
 */
export function carryForwardEntry(input: {
  runId: string;
  merchantId: string;
  owed: Money;
  occurredAt: string;
  reason: string;
}): SettlementPosting {
  const { merchantId, owed } = input;
  if (owed.amount === 0) {
    throw new AppError('VALIDATION_FAILED', 'nothing to carry forward', { field: 'owed' });
  }
  const account = accounts.merchantPayable(merchantId, owed.currency);
  const entry = ledgerEntry({
    businessKey: settlementKeys.carryForward(input.runId, merchantId),
    kind: 'adjustment',
    merchantId,
    description: `Carried forward by settlement run ${input.runId}: ${input.reason}`.slice(0, 500),
    occurredAt: input.occurredAt,
    lines: [debit(account, owed), credit(account, owed)],
  });
  return { entry, merchantId, claims: [{ lineIndex: 0, component: 'payable' }] };
}

/**
 * `payout:<runId>:<merchantId>` (kind payout): the merchant is paid `net` (run currency C)
 * as `paid` (settlement currency S) through the processor:
 *   same currency:  debit merchant_payable:<m>:C net, credit processor_clearing:stripe:C net;
 *   S differs:      debit merchant_payable:<m>:C net, credit fx_clearing:C net,
 *                   debit fx_clearing:S paid, credit processor_clearing:stripe:S paid.
 * The fx_clearing legs stay open until the platform's own conversion at the processor is booked
 * (any difference, rounding included, goes to fx_gain_loss then). The payable line is settled
 * by the run.
 */
export function payoutEntry(input: {
  runId: string;
  merchantId: string;
  net: Money;
  paid: Money;
  transferId: string;
  occurredAt: string;
  processor?: string;
}): SettlementPosting {
  const { merchantId } = input;
  const net = positive(input.net, 'net');
  const paid = positive(input.paid, 'paid');
  const processor = input.processor ?? DEFAULT_PROCESSOR;
  if (net.currency === paid.currency && net.amount !== paid.amount) {
    throw new AppError('VALIDATION_FAILED', 'a payout in the run currency pays exactly the net', {
      field: 'paid',
    });
  }
  const lines =
    net.currency === paid.currency
      ? [
          debit(accounts.merchantPayable(merchantId, net.currency), net),
          credit(accounts.processorClearing(processor, net.currency), net),
        ]
      : [
          debit(accounts.merchantPayable(merchantId, net.currency), net),
          credit(accounts.fxClearing(net.currency), net),
          debit(accounts.fxClearing(paid.currency), paid),
          credit(accounts.processorClearing(processor, paid.currency), paid),
        ];
  const entry = ledgerEntry({
    businessKey: settlementKeys.payout(input.runId, merchantId),
    kind: 'payout',
    merchantId,
    description: `Payout of settlement run ${input.runId} (transfer ${input.transferId})`.slice(0, 500),
    occurredAt: input.occurredAt,
    lines,
  });
  return { entry, merchantId, claims: [{ lineIndex: 0, component: 'payable' }] };
}
