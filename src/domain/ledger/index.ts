export { ACCOUNT_KINDS, accountCode, accounts, normalBalanceOf, parseAccountCode } from './accounts';
export type { AccountKind, AccountRef, AccountType, NormalBalance, PartyKind } from './accounts';
export {
  ENTRY_KINDS,
  MAX_BUSINESS_KEY_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  checkBusinessKey,
  credit,
  debit,
  isBalanced,
  ledgerEntry,
  ledgerKeys,
  sameEntry,
  sumsByCurrency,
  toInstant,
} from './entry';
export type { EntryKind, LedgerEntryDraft, LedgerEntryInput, LedgerLine } from './entry';
export {
  DEFAULT_FEE_TERMS,
  DEFAULT_PROCESSOR,
  checkoutBreakdown,
  orderCaptureEntry,
  orderRefundEntry,
  refundComponents,
  splitCapture,
} from './order-entries';
export type {
  CaptureSplit,
  CheckoutBreakdown,
  MerchantFeeTerms,
  OrderCaptureInput,
  OrderRefundInput,
  PostedEntryLike,
  QuoteTotalsLike,
  RefundComponent,
} from './order-entries';
export { reversalOf } from './reversal';
export type { ReversalOptions, ReversibleEntry } from './reversal';
export { orderMoney } from './order-money';
export type { OrderMoney, OrderMoneyEntry } from './order-money';
export type { DailyTotal } from './daily-total';
