import type { CompiledThresholdRule } from '../../rules/profile.compiler.js';
import {
  C_EPISODE_START,
  H_TRIP_STARTED_AT,
  NONE,
  R_CRIT_SINCE,
  R_LAST_LEVEL,
  R_LAST_TS,
  R_SEV,
  R_WARN_SINCE,
  RS_TIME_CRIT,
  RS_TIME_WARN,
  ruleStatIndex,
  SCOPE_TAG,
  SCOPE_TRIP,
  type Slab,
} from '../../state/slab-layout.js';
import {
  beginEpisode,
  dueReminder,
  resetEpisode,
  trackExcursion,
  type CompiledRule,
  type RuleContext,
  type RuleFamilyHost,
} from './rule-family.js';
import type { TripBudgetFamily } from './trip-budget.rule-family.js';

// Slab indices of the time-beyond statistics, relative to the rule's cold block.
const TAG_TIME_WARN = ruleStatIndex(SCOPE_TAG, RS_TIME_WARN);
const TAG_TIME_CRIT = ruleStatIndex(SCOPE_TAG, RS_TIME_CRIT);
const TRIP_TIME_WARN = ruleStatIndex(SCOPE_TRIP, RS_TIME_WARN);
const TRIP_TIME_CRIT = ruleStatIndex(SCOPE_TRIP, RS_TIME_CRIT);

/**
 * Threshold rules (`temperature.high`, `humidity.low`, …): a metric beyond a
 * warning and/or critical bound, with delays, hysteresis, reminders and an
 * optional trip budget.
 */
export class ThresholdRuleFamily {
  constructor(
    private readonly host: RuleFamilyHost,
    private readonly budgets: TripBudgetFamily,
    /** ms; readings further apart are not continuous. */
    private readonly maxGapMs: number,
  ) {}

  /**
   * One reading `v` of the rule's metric, measured at `x.t`. In signed space
   * (`sv = direction × value`), the value is beyond a bound b when sv > b.
   * - warning/critical conditions hold while beyond their bound, or, for the
   *   severity already active, while beyond (bound − hysteresis): the deadband
   *   against flapping;
   * - a level is reached when its condition has held continuously for its
   *   delay on measured time; the active severity holds without delay;
   * - readings further apart than `maxGapMs` are not continuous: pending
   *   delays restart and nothing is counted across the gap;
   * - time beyond bounds, excursions and the trip budget use sample-and-hold:
   *   a reading's level lasts until the next reading.
   */
  evaluate(x: RuleContext, r: CompiledThresholdRule, v: number): void {
    const st = x.st;
    const s = st.slab;
    const ts = x.t;
    const inTrip = x.inTrip;
    const o = r.offset;
    const k = r.cold;
    const sv = r.direction * v;
    const lastTs = s[o + R_LAST_TS];
    const dt = ts - lastTs;
    const continuous = dt <= this.maxGapMs;
    const scheduled = r.schedule === null || r.schedule.isActive(ts);
    const active = scheduled && (!r.tripOnly || inTrip);
    const raw = sv > r.critSigned ? 2 : sv > r.warnSigned ? 1 : 0;

    if (continuous) {
      const lastLevel = s[o + R_LAST_LEVEL];
      if (lastLevel > 0) {
        s[k + TAG_TIME_WARN] += dt;
        if (lastLevel === 2) s[k + TAG_TIME_CRIT] += dt;
        if (inTrip) {
          const tripDt = ts - Math.max(lastTs, s[H_TRIP_STARTED_AT]);
          s[k + TRIP_TIME_WARN] += tripDt;
          if (lastLevel === 2) s[k + TRIP_TIME_CRIT] += tripDt;
          if (active) this.budgets.accrue(s, r, ts, tripDt);
        }
      }
    }
    trackExcursion(st, o, k, raw > 0, continuous, ts);

    const sev = s[o + R_SEV];
    if (!active) {
      if (sev > 0) this.clear(x, r, v, scheduled ? 'trip_ended' : 'schedule');
      s[o + R_WARN_SINCE] = NONE;
      s[o + R_CRIT_SINCE] = NONE;
    } else {
      // The level step stays inline: this runs for every reading of every
      // rule, and a call here costs a boxed double per reading (measured by
      // bench:alarm-engine). Only transitions and reminders leave the function.
      const h = r.hysteresis;
      const inWarn = sv > r.warnSigned || (sev >= 1 && sv > r.warnSigned - h);
      const inCrit = sv > r.critSigned || (sev === 2 && sv > r.critSigned - h);
      let warnSince = continuous ? s[o + R_WARN_SINCE] : NONE;
      let critSince = continuous ? s[o + R_CRIT_SINCE] : NONE;
      if (!inWarn) warnSince = NONE;
      else if (warnSince === NONE) warnSince = ts;
      if (!inCrit) critSince = NONE;
      else if (critSince === NONE) critSince = ts;
      s[o + R_WARN_SINCE] = warnSince;
      s[o + R_CRIT_SINCE] = critSince;
      const critOk = inCrit && (sev === 2 || ts - critSince >= r.critDelayMs);
      const warnOk = inWarn && (sev >= 1 || ts - warnSince >= r.warnDelayMs);
      const target = critOk ? 2 : warnOk ? 1 : 0;
      if (target !== sev) this.change(x, r, v, target);
      else if (sev > 0 && r.repeatMs > 0) this.remind(x, r, v);
    }

    if (r.budgetMs > 0) this.budgets.check(x, r);
    s[o + R_LAST_TS] = ts;
    s[o + R_LAST_LEVEL] = raw;
  }

  /** A person cleared the alarm: pending delays restart from the next reading. */
  afterManualClear(s: Slab, r: CompiledRule): void {
    s[r.offset + R_WARN_SINCE] = NONE;
    s[r.offset + R_CRIT_SINCE] = NONE;
  }

  /** The active rule's level moves to `target` at the reading `v` at `x.t`: raised, escalated, downgraded or cleared. */
  private change(x: RuleContext, r: CompiledThresholdRule, v: number, target: number): void {
    const s = x.st.slab;
    const o = r.offset;
    const k = r.cold;
    const sev = s[o + R_SEV];
    if (target === 0) {
      this.clear(x, r, v, 'returned');
      return;
    }
    let transition: 'raised' | 'escalated' | 'downgraded';
    if (sev === 0) {
      // The episode began when the inner condition began (warning implies from critical's bound upward).
      beginEpisode(s, k, r.hasWarning ? s[o + R_WARN_SINCE] : s[o + R_CRIT_SINCE], x.t);
      transition = 'raised';
    } else {
      transition = target > sev ? 'escalated' : 'downgraded';
    }
    this.host.emit(x.st, x.c, {
      rule: r.desc.id,
      unit: r.desc.unit,
      sev: target,
      transition,
      startedAt: s[k + C_EPISODE_START],
      at: x.t,
      value: v,
      bound: target === 2 ? r.critBound : r.warnBound,
      late: x.late,
    });
    s[o + R_SEV] = target;
  }

  /** The reminder of the active rule due at the reading `v` at `x.t`, if any. */
  private remind(x: RuleContext, r: CompiledThresholdRule, v: number): void {
    const s = x.st.slab;
    const sev = s[r.offset + R_SEV];
    const at = dueReminder(s, r, x.t, x.late);
    if (at === at)
      this.host.emit(x.st, x.c, {
        rule: r.desc.id,
        unit: r.desc.unit,
        sev,
        transition: 'reminder',
        startedAt: s[r.cold + C_EPISODE_START],
        at,
        value: v,
        bound: sev === 2 ? r.critBound : r.warnBound,
        late: false,
      });
  }

  /** The alarm ends at the reading `v` at `x.t`; the rule returns to normal. */
  private clear(
    x: RuleContext,
    r: CompiledThresholdRule,
    v: number,
    reason: 'returned' | 'schedule' | 'trip_ended',
  ): void {
    const s = x.st.slab;
    this.host.emit(x.st, x.c, {
      rule: r.desc.id,
      unit: r.desc.unit,
      sev: s[r.offset + R_SEV],
      transition: 'cleared',
      startedAt: s[r.cold + C_EPISODE_START],
      endedAt: x.t,
      at: x.t,
      value: v,
      // The bound nearest the normal band.
      bound: r.hasWarning ? r.warnBound : r.critBound,
      late: x.late,
      reason,
    });
    resetEpisode(s, r.offset, r.cold);
  }
}
