import type { AlertEvent, AlertTransition, ProfileLookup, ThresholdEvaluator } from './alert.js';
import { checkTemperature, type Profile, type RangeVerdict } from './profile.js';
import type { TelemetryRecord } from './telemetry.js';
import type { EpochMs } from './time.js';

/** Tunables of the foundation evaluator, units in the names. */
export const SIMPLE_RANGE_DEFAULTS = {
  /** A reading evaluated more than this after it was measured is flagged `late`. */
  lateAfterMs: 5 * 60_000, // 5 minutes
};

interface TagState {
  verdict: RangeVerdict;
  /** Measured time at which the current verdict began. */
  since: EpochMs;
  /** Measured time of the newest reading evaluated. */
  lastTs: EpochMs;
}

/**
 * The foundation's threshold check: one temperature band per profile, raise
 * when a reading leaves it, clear when one comes back. One event per
 * transition, decided on measured time. Readings not newer than the last one
 * evaluated for a tag are stored but not re-evaluated, so a redelivered batch
 * raises nothing twice within a process.
 *
 * The full engine (delays, hysteresis, severities, budgets, persisted state)
 * replaces this class behind the same {@link ThresholdEvaluator} seam.
 */
export class SimpleRangeEvaluator implements ThresholdEvaluator {
  private readonly state = new Map<string, TagState>();

  constructor(private readonly lateAfterMs = SIMPLE_RANGE_DEFAULTS.lateAfterMs) {}

  evaluate(records: readonly TelemetryRecord[], profiles: ProfileLookup, now: EpochMs): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const record of records) {
      const profile = profiles.profileForTag(record.tenantId, record.tag);
      if (!profile) continue;
      for (const m of record.readings) {
        if (m.temperature === undefined) continue;
        let st = this.state.get(record.tag);
        if (!st) {
          st = { verdict: 'within', since: m.ts, lastTs: m.ts - 1 };
          this.state.set(record.tag, st);
        }
        if (m.ts <= st.lastTs) continue;
        st.lastTs = m.ts;
        const verdict = checkTemperature(profile, m.temperature);
        if (verdict === st.verdict) continue;
        if (st.verdict !== 'within') {
          events.push(
            transitionEvent(
              record,
              profile,
              st.verdict,
              'cleared',
              st.since,
              m.ts,
              m.temperature,
              now,
              this.lateAfterMs,
            ),
          );
        }
        if (verdict !== 'within') {
          events.push(
            transitionEvent(
              record,
              profile,
              verdict,
              'raised',
              m.ts,
              undefined,
              m.temperature,
              now,
              this.lateAfterMs,
            ),
          );
        }
        st.verdict = verdict;
        st.since = m.ts;
      }
    }
    return events;
  }
}

function transitionEvent(
  record: TelemetryRecord,
  profile: Profile,
  side: Exclude<RangeVerdict, 'within'>,
  transition: AlertTransition,
  startedAt: EpochMs,
  endedAt: EpochMs | undefined,
  value: number,
  now: EpochMs,
  lateAfterMs: number,
): AlertEvent {
  const rule = side === 'above' ? 'temperature.high' : 'temperature.low';
  const at = endedAt ?? startedAt;
  return {
    v: 1,
    key: `${record.tag}|${rule}|${startedAt}|${transition}`,
    tenantId: record.tenantId,
    tag: record.tag,
    hub: record.hub,
    profileId: profile.id,
    profileVersion: profile.version,
    rule,
    severity: 'critical',
    transition,
    startedAt,
    endedAt,
    value,
    bound: side === 'above' ? profile.temperature.max : profile.temperature.min,
    unit: '°C',
    position: record.gps,
    late: now - at > lateAfterMs,
    emittedAt: now,
  };
}
