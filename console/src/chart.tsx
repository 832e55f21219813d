import { money } from './format';
import type { DailyTotals } from './types';

const SERIES = [
  { key: 'captured', label: 'Captured', class: 'series-captured' },
  { key: 'refunded', label: 'Refunded', class: 'series-refunded' },
  { key: 'paidOut', label: 'Paid out', class: 'series-paid' },
] as const;

/** The bars' series, then the processor's fees: small beside them, so in the legend and table only. */
const COLUMNS = [...SERIES, { key: 'processorFees', label: 'Processor fees', class: null }] as const;

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Round up to 1, 2 or 5 × 10^n, for the axis. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * p >= value) ?? 10) * p;
}

/**
 * Captured, refunded and paid out per day in one currency: grouped bars (SVG), a legend in words
 * with the processor's fees beside them, and the same numbers as a table for screen readers and
 * copying.
 */
export function DailyChart({ data, currency }: { data: DailyTotals; currency: string }) {
  const days = daysBetween(data.from, data.to);
  const byDay = new Map(data.days.filter((d) => d.currency === currency).map((d) => [d.day, d]));
  const max = niceMax(
    Math.max(0, ...[...byDay.values()].flatMap((d) => [d.captured, d.refunded, d.paidOut])),
  );
  const W = 960;
  const H = 260;
  const left = 90;
  const bottom = 28;
  const top = 10;
  const plotW = W - left - 10;
  const plotH = H - top - bottom;
  const slot = plotW / Math.max(1, days.length);
  const bar = Math.max(1, Math.min(14, (slot - 4) / 3));
  const y = (v: number) => top + plotH - (Math.max(0, v) / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelEvery = Math.ceil(days.length / 10);
  const total = data.totals.find((t) => t.currency === currency);
  const summary = total
    ? `${currency} from ${data.from} to ${data.to}: captured ${money(total.captured, currency)}, refunded ${money(
        total.refunded,
        currency,
      )}, paid out ${money(total.paidOut, currency)}, processor fees ${money(total.processorFees, currency)}.`
    : `No movement in ${currency} from ${data.from} to ${data.to}.`;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
        preserveAspectRatio="none"
      >
        <title id="chart-title">Captured, refunded and paid out per day</title>
        <desc id="chart-desc">{summary}</desc>
        {ticks.map((t) => (
          <g key={t} class="tick">
            <line x1={left} x2={W - 10} y1={y(t)} y2={y(t)} />
            <text x={left - 6} y={y(t) + 4} text-anchor="end">
              {money(Math.round(t), currency).replace(` ${currency}`, '')}
            </text>
          </g>
        ))}
        {days.map((day, i) => {
          const d = byDay.get(day);
          const x0 = left + i * slot + (slot - bar * 3) / 2;
          return (
            <g key={day}>
              {d
                ? SERIES.map((s, j) => (
                    <rect
                      key={s.key}
                      class={s.class}
                      x={x0 + j * bar}
                      y={y(d[s.key])}
                      width={bar - 1}
                      height={Math.max(0, top + plotH - y(d[s.key]))}
                    >
                      <title>{`${day} ${s.label}: ${money(d[s.key], currency)}`}</title>
                    </rect>
                  ))
                : null}
              {i % labelEvery === 0 ? (
                <text class="day" x={left + i * slot + slot / 2} y={H - 8} text-anchor="middle">
                  {day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          {COLUMNS.map((s) => (
            <li key={s.key}>
              {s.class ? <span class={`swatch ${s.class}`} aria-hidden="true" /> : null} {s.label}
              {total ? `: ${money(total[s.key], currency)}` : ''}
            </li>
          ))}
        </ul>
        <details>
          <summary>The numbers as a table</summary>
          <table class="data compact">
            <caption class="visually-hidden">Per day in {currency}</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                {COLUMNS.map((s) => (
                  <th key={s.key} scope="col" class="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[...byDay.values()].map((d) => (
                <tr key={d.day}>
                  <th scope="row">{d.day}</th>
                  {COLUMNS.map((s) => (
                    <td key={s.key} class="num">
                      {money(d[s.key], currency)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
