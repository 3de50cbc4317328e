import { DEFAULTS } from '../notifications.defaults.js';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Wait before the attempt that follows failed attempt `attempt` (1-based):
 * exponential (base · 2^(attempt-1), capped at `maxMs`) with "equal jitter"
 * (half fixed, half random), so retries of many deliveries spread out while
 * each wait still grows. `random` returns [0, 1).
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number,
  options: BackoffOptions = {
    baseMs: DEFAULTS.delivery.backoffBaseMs,
    maxMs: DEFAULTS.delivery.backoffMaxMs,
  },
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
