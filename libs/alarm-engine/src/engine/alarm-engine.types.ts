import type { AlertEvent, EpochMs } from '@coldchain/domain';

/**
 * Why an alarm was cleared; set on `cleared` events only. An optional field
 * on top of the domain's {@link AlertEvent}, so every AlarmEvent is an
 * AlertEvent and the seam is unchanged.
 *
 * - `returned`: the value came back inside the band, past the hysteresis;
 * - `closed`: the door closed; `heard`: the tag was heard again;
 *   `hub_online`: the hub came back;
 * - `schedule`: the rule's active hours ended; `trip_ended`: the trip ended
 *   (trip-scoped rules, budget alarms);
 * - `manual`: cleared by a person (the condition, if it persists, raises again);
 * - `rule_removed` / `profile_removed`: a profile edit removed the rule, or the
 *   tag lost its profile.
 */
export type ClearReason =
  | 'returned'
  | 'closed'
  | 'heard'
  | 'hub_online'
  | 'schedule'
  | 'trip_ended'
  | 'manual'
  | 'rule_removed'
  | 'profile_removed';

export interface AlarmEvent extends AlertEvent {
  reason?: ClearReason;
}

/** A shipment a tag travels with. Trip-scoped rules and budgets apply between `startedAt` (inclusive) and `endedAt` (exclusive). */
export interface Trip {
  id: string;
  startedAt: EpochMs;
  /** Absent while the trip is under way. */
  endedAt?: EpochMs;
}

/**
 * Finds the tag's current trip, or its latest one once ended; undefined when it
 * has none. Called once per record and per tag at `tick`: an in-memory lookup.
 * A reading measured before the returned trip's start is judged off-trip.
 */
export interface TripLookup {
  tripForTag(tenantId: string, tag: string): Trip | undefined;
}

/** What the engine reports about input it could not, or would not, evaluate normally. */
export type DiagnosticKind =
  /** Readings measured before the tag's evaluation horizon (older than the reorder window): stored, not evaluated. */
  | 'too_late'
  /** Readings measured after the gateway received them by more than the tolerance: hub clock ahead; not evaluated. */
  | 'future_timestamp'
  /** Readings measured far before the hub sent them: clock far behind; not evaluated. */
  | 'stale_timestamp'
  /** Hub send time differs from gateway receive time by more than the tolerance (`detailMs` = receive − send). */
  | 'hub_clock_skew'
  /** A record's readings were not in measured order; they were sorted and evaluated in order. */
  | 'unsorted_record'
  /** A gap longer than `maxGapMs` between a tag's readings: alarm delays restart, nothing counted across it (`detailMs` = gap). */
  | 'gap'
  /** The reorder buffer was full; the oldest reading was evaluated early. */
  | 'buffer_overflow'
  /** A profile that fails validation reached the engine; the last valid version (if any) stays in use. */
  | 'invalid_profile';

export interface EngineDiagnostic {
  kind: DiagnosticKind;
  tenantId: string;
  tag: string;
  hub: string;
  /** Readings concerned (hub_clock_skew: records). */
  count: number;
  /** Measured times of the first and last reading concerned. */
  firstTs?: EpochMs;
  lastTs?: EpochMs;
  detailMs?: number;
  profileId?: string;
  profileVersion?: number;
  message: string;
}

/** Totals since the engine started; for metrics. */
export interface EngineCounters {
  records: number;
  readings: number;
  /** Readings evaluated by the rules (in measured order). */
  evaluated: number;
  /** Same measured time as a reading already seen (a second hub relaying it, a redelivery). */
  duplicates: number;
  /** Readings of records already seen (receive time not newer than the tag's last). */
  redelivered: number;
  tooLate: number;
  futureTimestamps: number;
  staleTimestamps: number;
  hubClockSkews: number;
  unsortedRecords: number;
  gaps: number;
  /** Readings lacking a metric one of the profile's threshold rules watches. */
  missingMetrics: number;
  /** Readings that reached the gateway more than `lateAfterMs` after measurement. */
  lateReadings: number;
  bufferOverflows: number;
  /** Records of tags without a profile (not evaluated). */
  noProfile: number;
  invalidProfiles: number;
  events: number;
}

export interface EngineOutput {
  events: AlarmEvent[];
  diagnostics: EngineDiagnostic[];
  /** Statistics of trips that ended during this call. */
  tripSummaries: TripSummary[];
}

export interface ExcursionStatistics {
  /** Excursions that ended. */
  count: number;
  totalMs: number;
  longestMs: number;
  /** Measured start of the excursion under way, if any (not in count/total). */
  ongoingSince?: EpochMs;
}

export interface ThresholdRuleStatistics {
  rule: string;
  kind: 'threshold';
  unit: string;
  /** `above` for a high rule, `below` for a low rule. */
  side: 'above' | 'below';
  warningBound?: number;
  criticalBound?: number;
  /** Measured time beyond the warning bound / the critical bound, ms (sample-and-hold between readings no further apart than `maxGapMs`). */
  timeBeyondWarningMs?: number;
  timeBeyondCriticalMs?: number;
  /** Runs beyond the inner bound (warning if set, else critical), regardless of alarm delays. */
  excursions: ExcursionStatistics;
  /** Trip scope only: the cumulative time-out-of-range budget used, ms. */
  budgetUsedMs?: number;
}

export interface DoorRuleStatistics {
  rule: 'door.open';
  kind: 'door';
  timeOpenMs: number;
  openings: ExcursionStatistics;
  budgetUsedMs?: number;
}

export interface TemperatureStatistics {
  samples: number;
  minC: number;
  maxC: number;
  /** Arithmetic mean of the samples, °C. */
  meanC: number;
  /** Mean kinetic temperature, °C (ΔH/R = 10,000 K by default). */
  mktC: number;
}

export interface StatisticsSummary {
  /** Readings evaluated in this scope. */
  readings: number;
  temperature?: TemperatureStatistics;
  rules: (ThresholdRuleStatistics | DoorRuleStatistics)[];
}

export interface TagStatistics {
  tenantId: string;
  tag: string;
  profileId: string;
  profileVersion: number;
  /** Since the engine first evaluated the tag (or since its state was restored with it). */
  overall: StatisticsSummary;
  /** The trip under way, if any. */
  trip?: { tripId: string; startedAt: EpochMs; statistics: StatisticsSummary };
}

export interface TripSummary {
  tenantId: string;
  tag: string;
  tripId: string;
  startedAt: EpochMs;
  endedAt: EpochMs;
  profileId: string;
  profileVersion: number;
  statistics: StatisticsSummary;
}

/** An active alarm, for inspection (API, tests). */
export interface ActiveAlarm {
  rule: string;
  severity: 'warning' | 'critical';
  startedAt: EpochMs;
  acknowledged: boolean;
}
