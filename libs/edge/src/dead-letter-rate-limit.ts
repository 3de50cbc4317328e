import type { Clock, EpochMs } from '@coldchain/domain';

/** What {@link DeadLetterRateLimit.take} decided for one dead letter. */
export type DeadLetterAdmission =
  /** Keep it; `suppressed` letters of this hub were dropped since its previous kept one. */
  { admitted: true; suppressed: number } | { admitted: false };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: EpochMs;
  suppressed: number;
}

/**
 * One token bucket per hub for its dead letters, in memory (per gateway
 * process): a hub sending garbage in a loop gets `burst` letters kept, then
 * `refillPerMinute`; the rest are counted, not stored, and the next kept
 * letter says how many were dropped. Other hubs have their own buckets.
 */
export class DeadLetterRateLimit {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    private readonly limits: { burst: number; refillPerMinute: number; trackedHubs: number },
    private readonly clock: Clock,
  ) {
    this.refillPerMs = limits.refillPerMinute / 60_000;
  }

  /** Takes one token of `hub`'s bucket if it has one. */
  take(hub: string): DeadLetterAdmission {
    const now = this.clock.now();
    let bucket = this.buckets.get(hub);
    if (bucket) {
      // A clock that went back refills nothing (and takes nothing back).
      const elapsedMs = Math.max(0, now - bucket.at);
      bucket.tokens = Math.min(this.limits.burst, bucket.tokens + elapsedMs * this.refillPerMs);
      bucket.at = now;
      // Most recently used last, so that making room forgets the hub silent the longest.
      this.buckets.delete(hub);
      this.buckets.set(hub, bucket);
    } else {
      if (this.buckets.size >= this.limits.trackedHubs) this.makeRoom();
      bucket = { tokens: this.limits.burst, at: now, suppressed: 0 };
      this.buckets.set(hub, bucket);
    }
    if (bucket.tokens < 1) {
      bucket.suppressed++;
      return { admitted: false };
    }
    bucket.tokens -= 1;
    const suppressed = bucket.suppressed;
    bucket.suppressed = 0;
    return { admitted: true, suppressed };
  }

  /** Hubs with a bucket now (at most `trackedHubs`). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Forgets the buckets that are full again with nothing suppressed (as good
   * as new), or else the one used the longest ago (its suppressed count is lost).
   */
  private makeRoom(): void {
    const now = this.clock.now();
    for (const [hub, b] of this.buckets) {
      const tokens = b.tokens + Math.max(0, now - b.at) * this.refillPerMs;
      if (tokens >= this.limits.burst && b.suppressed === 0) this.buckets.delete(hub);
    }
    if (this.buckets.size >= this.limits.trackedHubs) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
  }
}
