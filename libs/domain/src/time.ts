/** Milliseconds since the Unix epoch, UTC. Every time in the domain uses this unit. */
export type EpochMs = number;

/**
 * The only way the domain learns the current time. Passed in, never read from a
 * global, so that alarm delays, late flags and clock-skew checks are testable
 * with a fixed clock.
 */
export interface Clock {
  now(): EpochMs;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set and advance by hand. */
export class ManualClock implements Clock {
  constructor(private current: EpochMs = 0) {}
  now(): EpochMs {
    return this.current;
  }
  set(at: EpochMs): void {
    this.current = at;
  }
  advance(byMs: number): void {
    this.current += byMs;
  }
}
