/**
 * Days and Temporal Schedules, for the runs that a schedule starts once a day (settlement,
 * reconciliation). Pure and clock-free, so workflows can use them.
 */

const DAY_MS = 86_400_000;

/** The UTC day before `at`'s day: what a daily run scheduled at `at` covers. */
export function dailyPeriod(at: Date): { from: string; to: string } {
  const to = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  return { from: new Date(to - DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

/**
 * A Temporal Schedule starts workflows with its action's id followed by `-<scheduled time>`
 * (`settlement-daily-EUR-2026-11-26T02:00:00Z`): that time, if the id ends with one.
 */
export function scheduledTimeOf(workflowId: string): Date | null {
  const match = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/.exec(workflowId);
  if (!match) return null;
  const at = new Date(match[1]!);
  return Number.isNaN(at.getTime()) ? null : at;
}
