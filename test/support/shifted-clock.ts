import type { Clock, EpochMs } from '@coldchain/domain';

/**
 * The system clock plus an offset the test moves by hand: the platform keeps
 * running in real time (timers, MQTT keep-alives), while what is decided on
 * the clock (session idle timeout, lockout, token expiry) jumps ahead at once,
 * without sleeping.
 */
export class ShiftedClock implements Clock {
  private offsetMs = 0;

  now(): EpochMs {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
