export { LedgerStore } from './ledger-store';
export type {
  AccountBalance,
  BalanceFilter,
  PostedEntry,
  PostedLine,
  PostResult,
  RefundPosting,
} from './ledger-store';
