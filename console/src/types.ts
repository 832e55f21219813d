/** The shapes of the API answers the console reads (see /docs for the full schemas). */
import type { DailyTotal } from '../../src/domain/ledger/daily-total';
import type { OrderMoney } from '../../src/domain/ledger/order-money';
import type { OrderSummary, OrderView, TimelineEntry } from '../../src/domain/orders/types';

export interface Money {
  amount: number;
  currency: string;
}

/** An order and its timeline as the API answers them: the domain's own view types. */
export type { OrderSummary, OrderView as Order, TimelineEntry };

export interface Timeline {
  orderId: string;
  timeline: TimelineEntry[];
  pending: { activity: string; attempt: number; lastFailure?: string; nextAttemptAt?: string }[];
}

export interface RefundResult {
  refundId: string;
  amount: Money;
  status: string;
  refunded: Money;
  refundable: Money;
}

export interface SettlementRun {
  runId: string;
  workflowId: string;
  status: 'starting' | 'running' | 'completed' | 'refused';
  phase: string;
  currency: string;
  period: { from: string; to: string };
  merchantIds: string[] | null;
  requestedBy: string;
  progress: { merchantsDone: number; merchantsTotal: number | null };
  linesSettled: number | null;
  createdAt: string | null;
  completedAt: string | null;
  totals: Record<string, number | string> | null;
  outcomes: Record<string, number> | null;
  payouts: { currency: string; amount: number; count: number }[] | null;
  refusal: { code: string; message: string } | null;
  report: string | null;
}

/** GET /v1/settlements: a run as the list shows it. */
export interface SettlementRunSummary {
  runId: string;
  status: 'running' | 'completed';
  currency: string;
  period: { from: string; to: string };
  merchantIds: string[] | null;
  requestedBy: string;
  merchantsTotal: number | null;
  linesSettled: number | null;
  createdAt: string;
  completedAt: string | null;
  report: string | null;
}

export interface ReconciliationCounts {
  processorTransactions: number;
  ledgerEntries: number;
  matched: number;
  missing: number;
  extra: number;
  differentAmount: number;
  matchedAcrossPeriods: number;
  unpostedNetZero: number;
}

export interface ReconciliationSummary {
  id: string;
  status: 'running' | 'completed' | 'failed';
  processor: string;
  currency: string;
  period: { from: string; to: string };
  requestedBy: string;
  createdAt: string;
  completedAt: string | null;
  counts: ReconciliationCounts | null;
  error: string | null;
}

export interface Mismatch {
  id: string;
  kind: 'missing' | 'extra' | 'different_amount';
  category: string;
  matchKey: string;
  orderId: string | null;
  processorAmount: Money | null;
  ledgerAmount: Money | null;
  difference: Money;
  reason: string;
}

export interface Reconciliation extends ReconciliationSummary {
  totals: { processorGross: Money; processorFees: Money; processorNet: Money; ledgerClearing: Money } | null;
  fees: { processor: Money; ledger: Money; difference: Money; note: string } | null;
  progress?: { phase: string; processorPages: number; processorTransactions: number };
  mismatches: Mismatch[];
  nextMismatchCursor: string | null;
}

/** GET /v1/finance/daily-totals. */
export interface DailyTotals {
  from: string;
  to: string;
  currency: string | null;
  currencies: string[];
  days: DailyTotal[];
  totals: Omit<DailyTotal, 'day'>[];
}

export interface ConsoleSettings {
  temporalUiUrl: string | null;
  temporalNamespace: string;
}

/** GET /v1/orders/:id/ledger (finance). */
export interface OrderLedger {
  orderId: string;
  entries: {
    id: string;
    businessKey: string;
    kind: string;
    reverses: string | null;
    description: string;
    occurredAt: string;
    postedAt: string;
    lines: {
      lineNo: number;
      account: string;
      amount: { amount: number; currency: string };
      settlementRunId: string | null;
    }[];
  }[];
  money: OrderMoney[];
}
