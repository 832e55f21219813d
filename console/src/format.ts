/** Formatting for people: money from minor units, dates, ages. */

const digitsCache = new Map<string, number>();

/** Minor-unit digits of a currency (EUR 2, JPY 0, KWD 3), from the browser's ICU data. */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** 12345 USD → "12,345" shown as "$123.45"-style "123.45 USD" (code after, unambiguous). */
export function money(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const value = amount / 10 ** digits;
  return `${value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${currency}`;
}

/** "12.5" in USD → 1250; undefined when not a positive amount with at most the currency's digits. */
export function toMinor(input: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(input);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : undefined;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** How long ago: "42 s", "5 min", "3 h", "2 d". */
export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

export const words = (snake: string) => snake.replace(/_/g, ' ');

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
