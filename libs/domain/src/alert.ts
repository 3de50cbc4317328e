import type { Position } from './telemetry.js';
import type { Profile } from './profile.js';
import type { EpochMs } from './time.js';

export type AlertSeverity = 'warning' | 'critical';

/** Lifecycle transitions an alert event announces; exactly one event per transition. */
export type AlertTransition = 'raised' | 'escalated' | 'downgraded' | 'reminder' | 'cleared';

/**
 * An alarm transition, the unit carried on `coldchain.alerts.v1` (keyed by tag
 * MAC) from ingest to the notifier and the API.
 */
export interface AlertEvent {
  v: 1;
  /**
   * Idempotency key: the same transition always gets the same key, whichever
   * instance computed it and however often its readings were redelivered.
   * Consumers de-duplicate on it.
   */
  key: string;
  tenantId: string;
  tag: string;
  hub: string;
  profileId: string;
  profileVersion: number;
  /** Which rule fired, for example `temperature.high`. */
  rule: string;
  severity: AlertSeverity;
  transition: AlertTransition;
  /** Measured time at which the condition began, epoch ms. */
  startedAt: EpochMs;
  /** Measured time at which the condition ended (on `cleared`), epoch ms. */
  endedAt?: EpochMs;
  /** The value that caused this transition, and the bound it was compared with. */
  value?: number;
  bound?: number;
  unit?: string;
  /** Last known position of the hub that relayed the reading. */
  position?: Position;
  /** True when the reading arrived well after it was measured (a hub flushing its buffer). */
  late: boolean;
  /** Processing time at which the event was produced, epoch ms. */
  emittedAt: EpochMs;
}

/** Finds the profile that applies to a tag right now; undefined when the tag has none. */
export interface ProfileLookup {
  profileForTag(tenantId: string, mac: string): Profile | undefined;
}
