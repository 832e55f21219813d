export { FinanceReports, type DailyTotal, type DailyTotalsQuery } from './daily-totals';
export type { OrderLedger, OrderLedgerEntry, OrderLedgerLine } from './order-ledger';
