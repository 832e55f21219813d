import { allCurrencyCodes, type BaseRateTable } from '../../domain/money';
import { AppError } from '../../errors';

/**
 * The ECB's euro foreign exchange reference rates, as the ECB publishes them for download
 * (https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/):
 *
 * - XML, `eurofxref-daily.xml` / `eurofxref-hist.xml` / `eurofxref-hist-90d.xml`: a
 *   `<Cube time='YYYY-MM-DD'>` per day holding `<Cube currency='USD' rate='1.0705'/>` per currency;
 * - CSV, `eurofxref.csv` (one day, dated `28 June 2024`) / `eurofxref-hist.csv` (every day,
 *   dated `2024-06-28`, `N/A` where a currency had no rate): a `Date` column, then a column per
 *   currency, each line ending with a comma.
 *
 * 1 EUR = rate units of the currency. The ECB publishes at about 16:00 Frankfurt time, so a day's
 * rates are taken as published then (14:00 UTC in summer, 15:00 in winter): a quote made earlier
 * that day uses the day before. Currencies that are no longer active ISO 4217 codes (the
 * historical file's CYP, EEK, LTL, …) are left out and listed.
 */
export const ECB_SOURCE = 'ECB euro foreign exchange reference rates';

export interface ParsedReferenceRates {
  /** Oldest first. */
  readonly days: BaseRateTable[];
  /** Currencies in the file that are not active ISO 4217 codes, left out. */
  readonly skippedCurrencies: string[];
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const RATE = /^\d+(\.\d+)?$/;

/** Parses an ECB reference-rate file, XML or CSV (told apart by its first character). */
export function parseEcbReferenceRates(text: string): ParsedReferenceRates {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.length === 0) throw invalid('the file is empty');
  return trimmed.startsWith('<') ? fromXml(trimmed) : fromCsv(trimmed);
}

function fromXml(xml: string): ParsedReferenceRates {
  const days: Map<string, Map<string, string>> = new Map();
  for (const day of xml.matchAll(/<Cube\s+time\s*=\s*["'](\d{4}-\d{2}-\d{2})["']\s*>([\s\S]*?)<\/Cube>/g)) {
    const rates = new Map<string, string>();
    for (const rate of day[2]!.matchAll(
      /<Cube\s+currency\s*=\s*["']([A-Z]{3})["']\s+rate\s*=\s*["']([^"']*)["']\s*\/>/g,
    )) {
      rates.set(rate[1]!, rate[2]!);
    }
    days.set(day[1]!, rates);
  }
  if (days.size === 0) throw invalid("no <Cube time='YYYY-MM-DD'> day in the XML");
  return tables(days);
}

function fromCsv(csv: string): ParsedReferenceRates {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim().length > 0);
  const header = cells(lines[0]!);
  if (header[0] !== 'Date' || header.length < 2) throw invalid('the CSV does not start with a Date column');
  const currencies = header.slice(1);
  for (const code of currencies) {
    if (!/^[A-Z]{3}$/.test(code)) throw invalid(`column ${JSON.stringify(code)} is not a currency code`);
  }
  const days: Map<string, Map<string, string>> = new Map();
  lines.slice(1).forEach((line, i) => {
    const row = cells(line);
    if (row.length !== header.length) {
      throw invalid(`line ${i + 2} has ${row.length} values, the header ${header.length}`);
    }
    const rates = new Map<string, string>();
    currencies.forEach((code, c) => {
      const value = row[c + 1]!;
      if (value !== 'N/A' && value !== '') rates.set(code, value);
    });
    days.set(isoDay(row[0]!, i + 2), rates);
  });
  return tables(days);
}

/** A CSV line's values, trimmed, without the empty value after the trailing comma. */
function cells(line: string): string[] {
  const values = line.split(',').map((v) => v.trim());
  if (values.length > 1 && values[values.length - 1] === '') values.pop();
  return values;
}

function isoDay(text: string, line: number): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const match = /^(\d{1,2}) ([A-Z][a-z]+) (\d{4})$/.exec(text);
  const month = match ? MONTHS.indexOf(match[2]!) : -1;
  if (!match || month < 0) throw invalid(`line ${line}: ${JSON.stringify(text)} is not a date`);
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
}

function tables(days: Map<string, Map<string, string>>): ParsedReferenceRates {
  const known = new Set(allCurrencyCodes());
  const skipped = new Set<string>();
  const result: BaseRateTable[] = [];
  for (const [date, rates] of [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const at = Date.parse(`${date}T00:00:00Z`);
    if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== date) {
      throw invalid(`${date} is not a date`);
    }
    const kept: Record<string, string> = {};
    for (const [code, rate] of [...rates.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!RATE.test(rate) || /^0+(\.0+)?$/.test(rate))
        throw invalid(`${date} ${code}: ${JSON.stringify(rate)} is not a rate`);
      if (code === 'EUR' || !known.has(code)) {
        skipped.add(code);
        continue;
      }
      kept[code] = rate;
    }
    if (Object.keys(kept).length === 0) continue;
    result.push({ base: 'EUR', date, publishedAt: frankfurtAt16(date), source: ECB_SOURCE, rates: kept });
  }
  if (result.length === 0) throw invalid('no day with a rate');
  return { days: result, skippedCurrencies: [...skipped].sort() };
}

/** 16:00 in Frankfurt on that day, as a UTC instant (the time zone's offset that day, from Intl). */
export function frankfurtAt16(date: string): string {
  const noonUtc = new Date(`${date}T12:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(noonUtc);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  const offsetHours = hour - 12;
  return new Date(Date.parse(`${date}T16:00:00Z`) - offsetHours * 3_600_000).toISOString();
}

function invalid(message: string): AppError {
  return new AppError('VALIDATION_FAILED', `not an ECB reference-rate file: ${message}`, { field: 'file' });
}
