/**
 * Time as a sandbox sees it. Sandboxes read the clock instead of `Date.now()` so that a test can
 * move time forward (an authorisation expiring after 7 days, a parcel delivered tomorrow)
 * without waiting.
 */
export interface SandboxClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: SandboxClock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements SandboxClock {
  private current: number;

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    this.current += ms;
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }
}

export function isManualClock(clock: SandboxClock): clock is ManualClock {
  return clock instanceof ManualClock;
}

/** Unix seconds, the unit Stripe and most HTTP APIs use for timestamps. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
