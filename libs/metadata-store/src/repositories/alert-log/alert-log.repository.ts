import type { AlertEvent, EpochMs } from '@coldchain/domain';

/** What an alert listing may be narrowed to; times are epoch ms. */
export interface AlertFilter {
  /** One transition by its idempotency key. */
  key?: string;
  tag?: string;
  rule?: string;
  transition?: AlertEvent['transition'];
  /** The episode: alerts whose condition began at this measured time (with `tag` and `rule`, one episode's timeline). */
  startedAt?: EpochMs;
  /** Emitted at or after. */
  since?: EpochMs;
  /** Emitted before. */
  until?: EpochMs;
}

/**
 * The alert log: every alert transition the engine emitted, idempotent on
 * its key. Proven by test/contracts/alert-log-repository.contract.ts on both
 * adapters.
 */
export interface AlertLogRepository {
  /** Keeps alert events, idempotent on `key`; returns only those not seen before. */
  recordAlerts(events: readonly AlertEvent[]): Promise<AlertEvent[]>;
  /** Newest first (emitted time), at most `limit`, narrowed by `filter` (every field optional, all must hold). */
  listAlerts(tenantId: string, limit: number, filter?: AlertFilter): Promise<AlertEvent[]>;
}
