import type { Clock, EpochMs } from '@coldchain/domain';

/**
 * Login attempts per client address in fixed windows, in memory (per API
 * process): the first line against password spraying, where an attacker tries
 * one password on many emails and the per-email lockout never triggers.
 * Memory is bounded by `maxAddresses`; when full, expired windows are dropped,
 * and if none has expired every window is (the per-email lockout still holds).
 */
export class LoginThrottle {
  private readonly windows = new Map<string, { start: EpochMs; count: number }>();

  constructor(
    /** Attempts allowed per address and window. */
    private readonly maxPerWindow: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Counts one attempt from `address`: 0 when allowed, otherwise the ms until the address may try again. */
  take(address: string): number {
    const now = this.clock.now();
    let w = this.windows.get(address);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxAddresses) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(address, w);
    }
    w.count++;
    return w.count > this.maxPerWindow ? w.start + this.windowMs - now : 0;
  }

  private prune(now: EpochMs): void {
    for (const [address, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(address);
    if (this.windows.size >= this.maxAddresses) this.windows.clear();
  }
}
