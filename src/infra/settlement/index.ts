export {
  SettlementDesk,
  runIdForKey,
  type SettlementRunSummary,
  type SettlementRunView,
  type StartSettlementRequest,
} from './desk';
export {
  SettlementStore,
  type PrepareResult,
  type PayBatchResult,
  type RunListFilter,
  type RunTotals,
  type StoredRun,
} from './settlement-store';
export { postSettlementEntries } from './ledger-batch';
export {
  ensureDailySettlementSchedule,
  parseTimeOfDay,
  type DailySettlementScheduleOptions,
} from './schedules';
