/** Tunables of the graceful stop, as shares of SHUTDOWN_TIMEOUT_MS. */
export const SHUTDOWN_DEFAULTS = {
  /**
   * Kept for closing the stores after the bus drained: the bus must be done
   * (drained, or given up and disconnected) by the deadline minus this share.
   */
  storesShare: 0.3,
  /** Kept unused before the deadline, so that the process exits on its own, never by the timer. */
  marginShare: 0.1,
};

/**
 * The deadline of the process's graceful stop, set once at the first signal
 * (closeOnSignals), read by the engine shutdown to bound each step, and what
 * was cut short to keep to it. Without a signal (tests, a programmatic
 * `app.close()`), there is no deadline and every step runs to its end.
 */
export class ShutdownBudget {
  private deadline?: number;
  private timeoutMs = 0;
  private readonly cuts: string[] = [];

  /** Starts the budget: the process must be stopped `timeoutMs` from now. */
  start(timeoutMs: number, now = Date.now()): void {
    this.timeoutMs = timeoutMs;
    this.deadline ??= now + timeoutMs;
  }

  /** Ms left for the bus's drain (its checkpoints and disconnect); undefined without a deadline. */
  busMs(now = Date.now()): number | undefined {
    if (this.deadline === undefined) return undefined;
    return Math.max(
      0,
      this.deadline - this.timeoutMs * (SHUTDOWN_DEFAULTS.storesShare + SHUTDOWN_DEFAULTS.marginShare) - now,
    );
  }

  /** Ms left for one more step after the bus (a store's close); undefined without a deadline. */
  stepMs(now = Date.now()): number | undefined {
    if (this.deadline === undefined) return undefined;
    return Math.max(0, this.deadline - this.timeoutMs * SHUTDOWN_DEFAULTS.marginShare - now);
  }

  /** Records a step given up to keep to the deadline. */
  cut(what: string): void {
    this.cuts.push(what);
  }

  /** The steps given up, for the last log line and the exit code. */
  get cutShort(): readonly string[] {
    return this.cuts;
  }
}

/** The process's one budget: signals are process-wide. */
export const shutdownBudget = new ShutdownBudget();

/** Settles once `promise` settled (true), or with false after `ms`; a rejection is rethrown. */
export async function settlesWithin(promise: Promise<unknown>, ms: number | undefined): Promise<boolean> {
  if (ms === undefined) {
    await promise;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}
