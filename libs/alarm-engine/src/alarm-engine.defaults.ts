/**
 * Tunables of the alarm engine, units in the names (house style 6). Engine-wide,
 * not per profile: they describe the transport (how late and how disordered
 * readings may arrive), not the product.
 */
export const ALARM_ENGINE_DEFAULTS = {
  /**
   * Reorder window on measured time. A reading is evaluated once a
   * reading of the same tag measured this much later has arrived (or, at
   * `tick`, once the tag has been quiet this long in processing time). Readings
   * arriving behind what was already evaluated are "too late": reported, not
   * evaluated. Larger = more disorder tolerated, but alarms decided later.
   */
  reorderToleranceMs: 2 * 60_000, // 2 minutes
  /** A reading that reached the gateway more than this after it was measured is `late` (a hub flushing its buffer). */
  lateAfterMs: 5 * 60_000, // 5 minutes
  /**
   * Longest silence between two readings of a metric still taken as continuous.
   * Beyond it the alarm delay restarts and no time out of range, budget or
   * excursion time is counted across the gap, so a data gap raises no false
   * alarm. Tag silence itself is the `tag.silent` rule's job.
   */
  maxGapMs: 30 * 60_000, // 30 minutes: hubs sample every 1–5 minutes
  /** Measured time more than this after the gateway received the reading = hub clock ahead: not evaluated, counted. */
  futureSkewToleranceMs: 2 * 60_000, // 2 minutes
  /** |gateway receive time − hub send time| above this = hub clock skew: counted and reported. */
  hubClockSkewToleranceMs: 2 * 60_000, // 2 minutes
  /** Measured time more than this before the hub's send time = clock far behind: not evaluated, counted. */
  maxReadingAgeMs: 7 * 24 * 3_600_000, // 7 days, longer than any hub buffer
  /** Most readings held in one tag's reorder buffer; beyond it the oldest is evaluated early (counted). */
  maxBufferedReadingsPerTag: 512,
  /** Reorder buffer slots allocated with a tag's state; grows on demand. */
  initialBufferSlots: 4,
  /** ΔH/R of the mean kinetic temperature, kelvin (USP <1079.2>, ICH Q1A default 83.144 kJ/mol). */
  mktActivationEnergyOverRK: 10_000, // K
  /** UTC offsets of a schedule's time zone are cached per bucket of this size (all tz transitions fall on 15-minute UTC boundaries). */
  timeZoneOffsetBucketMs: 15 * 60_000, // 15 minutes
  /** Cached offsets per time zone before the cache is emptied. */
  timeZoneOffsetCacheEntries: 4096,
} as const;

export type AlarmEngineOptions = {
  -readonly [K in keyof typeof ALARM_ENGINE_DEFAULTS]: number;
};

/** Limits `validateProfileRules` enforces when a profile is saved. */
export const PROFILE_RULE_LIMITS = {
  /** Longest alarm delay or duration level, ms. */
  maxDelayMs: 7 * 24 * 3_600_000, // 7 days
  /** Shortest reminder interval, ms: anything shorter is noise for on-call staff. */
  minRepeatMs: 60_000, // 1 minute
  /** Shortest `tag.silent` / `hub.offline` level, ms: below a sampling period it would fire between readings. */
  minAbsenceMs: 60_000, // 1 minute
  /** Longest trip budget, ms. */
  maxBudgetMs: 365 * 24 * 3_600_000, // 1 year
  /** Most schedule windows per rule. */
  maxScheduleWindows: 32,
} as const;
