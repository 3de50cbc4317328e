import type { Clock, EpochMs } from '@coldchain/domain';

/**
 * A hub's own clock: world time seen through an offset and a rate error, the
 * way a cellular router's RTC drifts between NTP syncs. Readings are stamped
 * with this clock (a K-TAG has no real-time clock; the hub stamps what it hears).
 *
 * hubTime = world + offsetMs + (world − since) × driftPpm / 1e6
 */
export class DriftingClock implements Clock {
  constructor(
    private readonly world: Clock,
    private readonly driftPpm = 0,
    private offsetMs = 0,
    private since: EpochMs = world.now(),
  ) {}

  now(): EpochMs {
    const w = this.world.now();
    return Math.round(w + this.offsetMs + ((w - this.since) * this.driftPpm) / 1e6);
  }

  /** How far ahead of world time the hub clock is now, ms (negative: behind). */
  get errorMs(): number {
    return this.now() - this.world.now();
  }

  /** An NTP (or network time) sync: the error drops to zero and drift starts accumulating again from now. */
  sync(): void {
    this.offsetMs = 0;
    this.since = this.world.now();
  }
}
