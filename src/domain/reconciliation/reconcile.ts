import { AppError } from '../../errors';
import { currencyInfo, formatMoney, money, toSafeAmount } from '../money';
import type { Money } from '../money/types';
import { feeOf } from './fees';
import { isLedgerFee, isProcessorFee, ledgerIdentity, processorIdentity } from './keys';
import type {
  LedgerItem,
  LedgerRef,
  Match,
  MatchGroup,
  MatchNote,
  Mismatch,
  MismatchKind,
  MovementCategory,
  ProcessorItem,
  ProcessorRef,
  ReconcileInput,
  ReconciliationResult,
} from './types';

interface Group {
  key: string;
  category: MovementCategory;
  orderId: string | null;
  processor: ProcessorItem[];
  ledger: LedgerItem[];
}

type Verdict = { match: MatchNote } | { mismatch: MismatchKind };

const KIND_ORDER: Record<MismatchKind, number> = { missing: 0, extra: 1, different_amount: 2 };

/**
 * Compares the processor's transactions with the ledger's entries for one period and currency.
 *
 * Items are grouped by match key (keys.ts); a group is reconciled when at least one of its items
 * lies in the period (items outside it are counterparts only: a charge of last month whose
 * capture was posted this month matches, and is noted as across periods). Per group, amounts
 * are summed on each side:
 * - processor items and no ledger entry → `missing` (the ledger never posted it);
 * - ledger entries and no processor item → `extra` (unless they net to zero: posted and reversed);
 * - both, sums equal → matched; sums differ → `different_amount`.
 * A charge and refunds of one order that are all missing and net to zero at the processor are
 * matched as `unposted_net_zero` (an order cancelled after capture, never posted by design).
 * Fee entries and the processor's fee transactions are compared as totals (`fees`), not matched.
 *
 * Every period item (processor transaction, non-fee ledger entry) ends up in exactly one match or
 * one mismatch; each mismatch appears once. Pure and deterministic.
 */
export function reconcile(input: ReconcileInput): ReconciliationResult {
  const { currency } = input;
  currencyInfo(currency, 'currency');
  const from = instant(input.period.from, 'period.from');
  const to = instant(input.period.to, 'period.to');
  if (from >= to) {
    throw new AppError('VALIDATION_FAILED', 'the period must end after it starts', { field: 'period.to' });
  }
  const inPeriod = (iso: string) => {
    const t = Date.parse(iso);
    return t >= from && t < to;
  };

  const processor = unique(input.processor, (p) => p.transactionId);
  const ledger = unique(input.ledger, (l) => l.entryId);
  for (const item of processor) checkCurrency(item.currency, currency, `processor ${item.transactionId}`);
  for (const item of ledger) checkCurrency(item.currency, currency, `ledger entry ${item.businessKey}`);

  const groups = new Map<string, Group>();
  const groupOf = (key: string, category: MovementCategory, orderId: string | null): Group => {
    let group = groups.get(key);
    if (!group) {
      group = { key, category, orderId, processor: [], ledger: [] };
      groups.set(key, group);
    }
    group.orderId ??= orderId;
    return group;
  };

  // Refunds name their order through their charge when the source did not say it.
  const orderOfCharge = new Map<string, string>();
  for (const item of processor) {
    if (item.chargeId && item.orderId && processorIdentity(item).category === 'charge') {
      orderOfCharge.set(item.chargeId, item.orderId);
    }
  }

  const processorFees: ProcessorItem[] = [];
  for (const item of processor) {
    if (isProcessorFee(item)) {
      processorFees.push(item);
      continue;
    }
    const identity = processorIdentity(item);
    const orderId = identity.orderId ?? (item.chargeId ? (orderOfCharge.get(item.chargeId) ?? null) : null);
    groupOf(identity.key, identity.category, orderId).processor.push(item);
  }
  const ledgerFees: LedgerItem[] = [];
  for (const item of ledger) {
    if (isLedgerFee(item)) {
      ledgerFees.push(item);
      continue;
    }
    const identity = ledgerIdentity(item);
    groupOf(identity.key, identity.category, identity.orderId).ledger.push(item);
  }

  const verdicts = new Map<string, Verdict>();
  for (const group of groups.values()) verdicts.set(group.key, judge(group, inPeriod));
  netUnpostedOrders(groups, verdicts);

  const matches: Match[] = [];
  const mismatches: Mismatch[] = [];
  for (const group of [...groups.values()].sort((a, b) => compareText(a.key, b.key))) {
    const inScope =
      group.processor.some((p) => inPeriod(p.createdAt)) || group.ledger.some((l) => inPeriod(l.occurredAt));
    if (!inScope) continue;
    const view = groupView(group, currency, inPeriod);
    const verdict = verdicts.get(group.key)!;
    if ('match' in verdict) {
      matches.push({ ...view, note: verdict.match });
    } else {
      mismatches.push(mismatchOf(view, verdict.mismatch, currency));
    }
  }
  mismatches.sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      compareText(a.category, b.category) ||
      compareText(a.matchKey, b.matchKey),
  );

  const periodProcessor = processor.filter((p) => inPeriod(p.createdAt));
  const periodLedger = ledger.filter((l) => inPeriod(l.occurredAt));
  const total = (values: number[]) => money(sumOf(values), currency);
  // The processor's fees: the fee on each transaction, plus its own fee transactions (debits).
  const processorFeeTotal = total(periodProcessor.map(feeOf));
  const periodLedgerFees = ledgerFees.filter((l) => inPeriod(l.occurredAt));
  const ledgerFeeTotal = total(periodLedgerFees.map((l) => -l.amount));
  const ledgerPostsFees = periodLedgerFees.length > 0;
  const feeDifference = money(
    toSafeAmount(BigInt(processorFeeTotal.amount) - BigInt(ledgerFeeTotal.amount)),
    currency,
  );
  const gross = total(periodProcessor.filter((p) => !isProcessorFee(p)).map((p) => p.amount));

  return {
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    currency,
    counts: {
      processorTransactions: periodProcessor.filter((p) => !isProcessorFee(p)).length,
      ledgerEntries: periodLedger.filter((l) => !isLedgerFee(l)).length,
      matched: matches.length,
      missing: mismatches.filter((m) => m.kind === 'missing').length,
      extra: mismatches.filter((m) => m.kind === 'extra').length,
      differentAmount: mismatches.filter((m) => m.kind === 'different_amount').length,
      matchedAcrossPeriods: matches.filter((m) => m.note === 'matched_across_periods').length,
      unpostedNetZero: matches.filter((m) => m.note === 'unposted_net_zero').length,
    },
    totals: {
      processorGross: gross,
      processorFees: processorFeeTotal,
      processorNet: money(toSafeAmount(BigInt(gross.amount) - BigInt(processorFeeTotal.amount)), currency),
      ledgerClearing: total(periodLedger.map((l) => l.amount)),
    },
    fees: {
      processor: processorFeeTotal,
      ledger: ledgerFeeTotal,
      difference: feeDifference,
      ledgerPostsFees,
      note: ledgerPostsFees
        ? `The ledger booked ${formatMoney(ledgerFeeTotal)} ${currency} of processor fees in the period; the processor charged ${formatMoney(processorFeeTotal)}.`
        : processorFeeTotal.amount === 0
          ? 'Neither the processor nor the ledger has fees in the period.'
          : `The ledger booked no processor fees in the period; the processor charged ${formatMoney(processorFeeTotal)} ${currency} ` +
            '(amounts are compared gross of fees).',
    },
    matches,
    mismatches,
  };
}

function judge(group: Group, inPeriod: (iso: string) => boolean): Verdict {
  const processorSum = sumOf(group.processor.map((p) => p.amount));
  const ledgerSum = sumOf(group.ledger.map((l) => l.amount));
  if (group.ledger.length === 0) return { mismatch: 'missing' };
  if (group.processor.length === 0) {
    return ledgerSum === 0n ? { match: 'ledger_net_zero' } : { mismatch: 'extra' };
  }
  if (processorSum !== ledgerSum) return { mismatch: 'different_amount' };
  const across =
    group.processor.some((p) => !inPeriod(p.createdAt)) || group.ledger.some((l) => !inPeriod(l.occurredAt));
  return { match: across ? 'matched_across_periods' : 'matched' };
}

/**
 * An order charged and refunded in full at the processor, with none of it in the ledger: its
 * missing charge and missing refunds net to zero, and are matched as `unposted_net_zero`.
 */
function netUnpostedOrders(groups: Map<string, Group>, verdicts: Map<string, Verdict>): void {
  const missing = (group: Group) => {
    const verdict = verdicts.get(group.key);
    return verdict !== undefined && 'mismatch' in verdict && verdict.mismatch === 'missing';
  };
  const refundsByOrder = new Map<string, Group[]>();
  for (const group of groups.values()) {
    if (group.category === 'refund' && group.orderId && missing(group)) {
      const list = refundsByOrder.get(group.orderId) ?? [];
      list.push(group);
      refundsByOrder.set(group.orderId, list);
    }
  }
  for (const [orderId, refunds] of refundsByOrder) {
    const charge = groups.get(`order:${orderId}`);
    if (!charge || charge.category !== 'charge' || !missing(charge)) continue;
    const net = sumOf([...charge.processor, ...refunds.flatMap((r) => r.processor)].map((p) => p.amount));
    if (net !== 0n) continue;
    for (const group of [charge, ...refunds]) verdicts.set(group.key, { match: 'unposted_net_zero' });
  }
}

function groupView(group: Group, currency: string, inPeriod: (iso: string) => boolean): MatchGroup {
  const m = (amount: number) => money(amount, currency);
  const processor: ProcessorRef[] = [...group.processor]
    .sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.transactionId, b.transactionId))
    .map((p) => ({
      transactionId: p.transactionId,
      type: p.type,
      sourceId: p.sourceId,
      paymentIntentId: p.paymentIntentId,
      amount: m(p.amount),
      fee: m(p.fee),
      createdAt: p.createdAt,
      inPeriod: inPeriod(p.createdAt),
    }));
  const ledger: LedgerRef[] = [...group.ledger]
    .sort((a, b) => compareText(a.occurredAt, b.occurredAt) || compareText(a.entryId, b.entryId))
    .map((l) => ({
      entryId: l.entryId,
      businessKey: l.businessKey,
      kind: l.kind,
      amount: m(l.amount),
      occurredAt: l.occurredAt,
      inPeriod: inPeriod(l.occurredAt),
    }));
  return {
    matchKey: group.key,
    category: group.category,
    orderId: group.orderId,
    processor,
    ledger,
    processorAmount: processor.length ? money(sumOf(group.processor.map((p) => p.amount)), currency) : null,
    ledgerAmount: ledger.length ? money(sumOf(group.ledger.map((l) => l.amount)), currency) : null,
  };
}

function mismatchOf(view: MatchGroup, kind: MismatchKind, currency: string): Mismatch {
  const processorAmount = view.processorAmount?.amount ?? 0;
  const ledgerAmount = view.ledgerAmount?.amount ?? 0;
  const difference = money(toSafeAmount(BigInt(processorAmount) - BigInt(ledgerAmount)), currency);
  return { ...view, kind, difference, reason: reasonFor(view, kind, currency) };
}

function reasonFor(view: MatchGroup, kind: MismatchKind, currency: string): string {
  const amount = (m: Money | null) => `${formatMoney(m ?? money(0, currency))} ${currency}`;
  const sources = view.processor.map((p) => p.sourceId ?? p.transactionId).join(', ');
  const entries = view.ledger.map((l) => l.businessKey).join(', ');
  if (kind === 'different_amount') {
    return (
      `the processor moved ${amount(view.processorAmount)} (${sources}) but the ledger ` +
      `${amount(view.ledgerAmount)} (${entries}) on processor clearing`
    );
  }
  if (kind === 'extra') {
    return (
      `ledger ${entries} moved ${amount(view.ledgerAmount)} on processor clearing, ` +
      `but the processor has no matching ${view.category === 'other' ? 'transaction' : view.category}`
    );
  }
  const expected: Record<MovementCategory, string> = {
    charge: view.orderId ? `capture entry order:${view.orderId}:capture` : 'capture entry',
    refund: `refund entry ${view.matchKey}`,
    transfer: `payout entry ${view.matchKey}`,
    transfer_reversal: 'payout reversal entry payout-reversal:<runId>:<merchantId>:<reversalId>',
    other: 'entry',
  };
  if (view.matchKey.startsWith('processor:') && view.category !== 'other') {
    return (
      `${view.category} ${sources} (${amount(view.processorAmount)}) carries none of Borderline's ids in its ` +
      'metadata, so no ledger entry can be matched to it'
    );
  }
  return `${view.category} ${sources} moved ${amount(view.processorAmount)}, but the ledger has no ${expected[view.category]}`;
}

function unique<T>(items: readonly T[], id: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = id(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkCurrency(actual: string, expected: string, what: string): void {
  if (actual !== expected) {
    throw new AppError('VALIDATION_FAILED', `${what} is in ${actual}, not the reconciled ${expected}`, {
      field: 'currency',
    });
  }
}

function instant(iso: string, field: string): number {
  const t = typeof iso === 'string' && /^\d{4}-\d\d-\d\dT/.test(iso) ? Date.parse(iso) : NaN;
  if (Number.isNaN(t))
    throw new AppError('VALIDATION_FAILED', `${field} must be an ISO 8601 date-time`, { field });
  return t;
}

function sumOf(values: readonly number[]): bigint {
  return values.reduce((s, v) => s + BigInt(v), 0n);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
