import type { AlertSeverity, AlertTransition } from '@coldchain/domain';
import type {
  CompiledDurationRule,
  CompiledProfile,
  CompiledThresholdRule,
} from '../../rules/profile.compiler.js';
import {
  C_ACKED,
  C_ACTIVE_SINCE,
  C_EPISODE_START,
  C_REMINDER_K,
  H_TRIP_STARTED_AT,
  NONE,
  R_EXC_START,
  R_LAST_TS,
  R_SEV,
  RS_EXC_COUNT,
  RS_EXC_LONGEST,
  RS_EXC_TOTAL,
  ruleStatIndex,
  SCOPE_TAG,
  SCOPE_TRIP,
  type Slab,
} from '../../state/slab-layout.js';
import type { TagState } from '../../state/tag-state.js';
import type { ClearReason, Trip, TripSummary } from '../alarm-engine.types.js';

/*
 * What every rule family shares: the record a family emits, the host it emits
 * to, the context it judges in, and the episode lifecycle of a rule
 * (normal → active(warning) ⇄ active(critical) → cleared, reminders,
 * excursion statistics) written into the tag's slab.
 */

export const MINUTE_MS = 60_000;

/** Severity names by severity code (0 is normal and never emitted). */
export const SEVERITY_NAME: readonly AlertSeverity[] = ['warning', 'warning', 'critical'];

export type CompiledRule = CompiledThresholdRule | CompiledDurationRule;

/**
 * One alarm transition as a family reports it. The engine turns it into an
 * AlarmEvent and its idempotency key (tenant, tag, rule, startedAt,
 * transition, severity, at), so every field that enters the key comes from
 * data, never from the processing clock.
 */
export interface TransitionRecord {
  /** Rule id (`temperature.high`) or budget id (`temperature.high.budget`). */
  rule: string;
  unit: string;
  /** Severity code: 1 warning, 2 critical. */
  sev: number;
  transition: AlertTransition;
  /** Measured start of the episode, epoch ms. */
  startedAt: number;
  /** Measured end of the episode, epoch ms; `cleared` only. */
  endedAt?: number;
  /** Measured time of the transition itself, epoch ms. */
  at: number;
  /** The value that caused it and the bound it was held against; left out of the event when absent or NaN. */
  value?: number;
  bound?: number;
  late: boolean;
  reason?: ClearReason;
}

/** Where the families send their output: the engine's current call. */
export interface RuleFamilyHost {
  emit(st: TagState, c: CompiledProfile | undefined, record: TransitionRecord): void;
  tripEnded(summary: TripSummary): void;
}

/**
 * The tag and the moment a family judges. The engine keeps one instance per
 * call path and overwrites it, so the per-reading hot path allocates nothing.
 */
export class RuleContext {
  st!: TagState;
  c!: CompiledProfile;
  /** The tag's trip as the trip lookup reports it (current, or latest once ended). */
  trip: Trip | undefined = undefined;
  /** Measured time of the reading judged; processing time at `tick`. Epoch ms. */
  t = Number.NaN;
  /** The reading falls inside the tag's trip. */
  inTrip = false;
  /** The reading reached the gateway more than `lateAfterMs` after it was measured. */
  late = false;

  set(st: TagState, c: CompiledProfile, trip: Trip | undefined, t: number): this {
    this.st = st;
    this.c = c;
    this.trip = trip;
    this.t = t;
    this.inTrip = false;
    this.late = false;
    return this;
  }
}

/** A rule's episode starts: measured start, when it became active, reminders and acknowledgement reset. */
export function beginEpisode(s: Slab, k: number, startedAt: number, activeSince: number): void {
  s[k + C_EPISODE_START] = startedAt;
  s[k + C_ACTIVE_SINCE] = activeSince;
  s[k + C_REMINDER_K] = 0;
  s[k + C_ACKED] = 0;
}

/** The rule returns to normal. */
export function resetEpisode(s: Slab, o: number, k: number): void {
  s[o + R_SEV] = 0;
  s[k + C_EPISODE_START] = NONE;
  s[k + C_ACTIVE_SINCE] = NONE;
  s[k + C_REMINDER_K] = 0;
  s[k + C_ACKED] = 0;
}

/**
 * The time of the reminder due at `t`, or NaN when none is to be sent.
 * Reminder n is due at activeSince + n × repeat; when several are due at once
 * (a flushed buffer, a slow tick) only the latest is sent. None for late
 * readings (history being replayed) or acknowledged alarms; the count still
 * advances, so reminders resume on schedule.
 */
export function dueReminder(s: Slab, r: CompiledRule, t: number, late: boolean): number {
  const k = r.cold;
  const n = Math.floor((t - s[k + C_ACTIVE_SINCE]) / r.repeatMs);
  if (n <= s[k + C_REMINDER_K]) return Number.NaN;
  s[k + C_REMINDER_K] = n;
  if (late || s[k + C_ACKED] === 1) return Number.NaN;
  return s[k + C_ACTIVE_SINCE] + n * r.repeatMs;
}

/**
 * Excursion statistics of the rule at slab offsets `o` (hot) and `k` (cold):
 * runs of readings beyond the inner bound (door: open), closed by a return
 * or a gap. Call with the reading's measured time `ts` before the rule's
 * `R_LAST_TS` moves to it. Plain numbers, not the rule: threshold and door
 * rules are two shapes, and this runs for every reading of both.
 */
export function trackExcursion(
  st: TagState,
  o: number,
  k: number,
  beyond: boolean,
  continuous: boolean,
  ts: number,
): void {
  const s = st.slab;
  const start = s[o + R_EXC_START];
  if (start !== NONE && (!continuous || !beyond)) {
    // After a gap the excursion is known to last only until the last reading before it.
    closeExcursion(st, k, start, continuous ? ts : s[o + R_LAST_TS]);
    s[o + R_EXC_START] = NONE;
  }
  if (beyond && s[o + R_EXC_START] === NONE) s[o + R_EXC_START] = ts;
}

function closeExcursion(st: TagState, k: number, start: number, end: number): void {
  const s = st.slab;
  addExcursion(s, k + ruleStatIndex(SCOPE_TAG, 0), end - start);
  if (st.tripId !== null) {
    const tripDuration = end - Math.max(start, s[H_TRIP_STARTED_AT]);
    if (tripDuration >= 0) addExcursion(s, k + ruleStatIndex(SCOPE_TRIP, 0), tripDuration);
  }
}

/** Counts one ended excursion of `duration` ms in the statistics block at `statsBase`. */
export function addExcursion(s: Slab, statsBase: number, duration: number): void {
  s[statsBase + RS_EXC_COUNT] += 1;
  s[statsBase + RS_EXC_TOTAL] += duration;
  if (duration > s[statsBase + RS_EXC_LONGEST]) s[statsBase + RS_EXC_LONGEST] = duration;
}

/** Minutes of a duration rule's level (1 warning, 2 critical), the bound its events carry. */
export function levelMinutes(r: CompiledDurationRule, sev: number): number {
  return (sev === 2 ? r.critAfterMs : r.warnAfterMs) / MINUTE_MS;
}

/** Whether measured time `t` falls inside `trip` (start inclusive, end exclusive). */
export function inTripAt(trip: Trip | undefined, t: number): boolean {
  return trip !== undefined && t >= trip.startedAt && (trip.endedAt === undefined || t < trip.endedAt);
}
