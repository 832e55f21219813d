import { formatMoney } from '../money';
import { COMPONENT_NAMES, type SettlementRow } from './types';

/**
 * The per-merchant report of a run as CSV (RFC 4180: comma-separated, CRLF line ends, fields
 * quoted when they hold a comma, quote or line break). Amounts are decimals in their currency
 * (`1234.56`, `1500` for JPY); signs as in SettlementRow (owed to the merchant is positive). The
 * last line, `TOTAL`, sums every run-currency column, and the payouts when they share a currency.
 */
export const REPORT_COLUMNS = [
  'merchant',
  'currency',
  'lines',
  'gross',
  'refunds',
  'fees',
  'duties_taxes',
  'carrier',
  'reserve_held',
  'reserve_released',
  'brought_forward',
  'other',
  'carried_forward',
  'net',
  'fx_rate',
  'fx_source',
  'fx_as_of',
  'payout_currency',
  'payout_amount',
  'transfer_id',
  'status',
  'note',
] as const;

function field(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const amount = (value: number, currency: string) => formatMoney({ amount: value, currency });

/** The rate as the report states it: `1.0411`, or `1/0.9605` when the inverse of a quoted rate was used. */
export function statedRate(row: Pick<SettlementRow, 'fxRate' | 'fxInverted'>): string | null {
  if (row.fxRate === null) return null;
  return row.fxInverted ? `1/${row.fxRate}` : row.fxRate;
}

export function settlementReportCsv(currency: string, rows: readonly SettlementRow[]): string {
  const lines = [REPORT_COLUMNS.join(',')];
  const sums: Record<string, bigint> = {};
  const add = (key: string, value: number) => {
    sums[key] = (sums[key] ?? 0n) + BigInt(value);
  };
  const payoutCurrencies = new Set<string>();
  for (const row of rows) {
    for (const name of COMPONENT_NAMES) add(name, row[name]);
    add('lines', row.lines);
    add('carriedForward', row.carriedForward);
    add('net', row.net);
    if (row.payoutCurrency !== null && row.payoutAmount !== null) {
      payoutCurrencies.add(row.payoutCurrency);
      add('payoutAmount', row.payoutAmount);
    }
    lines.push(
      [
        row.merchantId,
        row.currency,
        row.lines,
        ...COMPONENT_NAMES.map((name) => amount(row[name], row.currency)),
        amount(row.carriedForward, row.currency),
        amount(row.net, row.currency),
        statedRate(row),
        row.fxSource,
        row.fxAsOf,
        row.payoutCurrency,
        row.payoutCurrency !== null && row.payoutAmount !== null
          ? amount(row.payoutAmount, row.payoutCurrency)
          : null,
        row.transferId,
        row.status,
        row.note,
      ]
        .map(field)
        .join(','),
    );
  }
  const total = (key: string) => amount(Number(sums[key] ?? 0n), currency);
  const single = payoutCurrencies.size === 1 ? [...payoutCurrencies][0]! : null;
  lines.push(
    [
      'TOTAL',
      currency,
      Number(sums.lines ?? 0n),
      ...COMPONENT_NAMES.map(total),
      total('carriedForward'),
      total('net'),
      null,
      null,
      null,
      single,
      single === null ? null : amount(Number(sums.payoutAmount ?? 0n), single),
      null,
      null,
      `${rows.length} merchants`,
    ]
      .map(field)
      .join(','),
  );
  return `${lines.join('\r\n')}\r\n`;
}
