export { FinanceReports, type DailyTotal, type DailyTotalsQuery } from './daily-totals';
