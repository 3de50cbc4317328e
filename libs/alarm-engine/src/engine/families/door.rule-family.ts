import type { CompiledDurationRule } from '../../rules/profile.compiler.js';
import {
  C_EPISODE_START,
  H_LAST_HEARD_AT,
  H_RELEASED_RECEIVED_AT,
  H_RELEASED_TS,
  H_TRIP_STARTED_AT,
  NONE,
  R_LAST_LEVEL,
  R_LAST_TS,
  R_SEV,
  R_WARN_SINCE,
  RS_TIME_WARN,
  ruleStatIndex,
  SCOPE_TAG,
  SCOPE_TRIP,
  type Slab,
} from '../../state/slab-layout.js';
import type { DurationLevels } from './duration-levels.js';
import {
  inTripAt,
  levelMinutes,
  MINUTE_MS,
  resetEpisode,
  trackExcursion,
  type CompiledRule,
  type RuleContext,
  type RuleFamilyHost,
} from './rule-family.js';
import type { TripBudgetFamily } from './trip-budget.rule-family.js';

// Slab indices of the time-open statistics, relative to the rule's cold block.
const TAG_TIME_OPEN = ruleStatIndex(SCOPE_TAG, RS_TIME_WARN);
const TRIP_TIME_OPEN = ruleStatIndex(SCOPE_TRIP, RS_TIME_WARN);

/** Tunables the door family reads (AlarmEngineOptions), ms. */
export interface DoorRuleOptions {
  maxGapMs: number;
  reorderToleranceMs: number;
}

/**
 * The `door.open` duration rule: a door reported open for a level's
 * `afterMs`, judged on every door reading and, while no reading comes, at
 * `tick`. Closing clears it; time open counts against an optional trip budget.
 */
export class DoorRuleFamily {
  constructor(
    private readonly host: RuleFamilyHost,
    private readonly levels: DurationLevels,
    private readonly budgets: TripBudgetFamily,
    private readonly opts: DoorRuleOptions,
  ) {}

  /**
   * One door reading at `x.t` (`open` 1, closed 0). The door is taken to keep
   * its last reported state between readings no further apart than
   * `maxGapMs`; the alarm is raised when it has been open for a level's `afterMs`.
   */
  evaluate(x: RuleContext, r: CompiledDurationRule, open: number): void {
    const s = x.st.slab;
    const ts = x.t;
    const inTrip = x.inTrip;
    const o = r.offset;
    const lastTs = s[o + R_LAST_TS];
    const dt = ts - lastTs;
    const continuous = dt <= this.opts.maxGapMs;
    const scheduled = r.schedule === null || r.schedule.isActive(ts);
    const active = scheduled && (!r.tripOnly || inTrip);
    if (continuous && s[o + R_LAST_LEVEL] === 1) {
      s[r.cold + TAG_TIME_OPEN] += dt;
      if (inTrip) {
        const tripDt = ts - Math.max(lastTs, s[H_TRIP_STARTED_AT]);
        s[r.cold + TRIP_TIME_OPEN] += tripDt;
        if (active) this.budgets.accrue(s, r, ts, tripDt);
      }
    }
    trackExcursion(x.st, o, r.cold, open === 1, continuous, ts);

    if (!active) {
      if (s[o + R_SEV] > 0) this.clear(x, r, scheduled ? 'trip_ended' : 'schedule');
      s[o + R_WARN_SINCE] = NONE;
    } else if (open === 1) {
      let since = s[o + R_WARN_SINCE];
      if (since === NONE || !continuous) since = ts;
      s[o + R_WARN_SINCE] = since;
      this.levels.step(x, r, since, ts);
    } else {
      if (s[o + R_SEV] > 0) this.clear(x, r, 'closed');
      s[o + R_WARN_SINCE] = NONE;
    }
    if (r.budgetMs > 0) this.budgets.check(x, r);
    s[o + R_LAST_TS] = ts;
    s[o + R_LAST_LEVEL] = open;
  }

  /**
   * At `tick` (`x.t` = processing time): a door last reported open, on a tag
   * still reporting (heard within `maxGapMs`) but with nothing new to
   * evaluate, is judged at the measured time projected from the last
   * evaluated reading, minus the reorder window (so a reading still on its
   * way can close it first). Call only with the reorder buffer empty.
   */
  tick(x: RuleContext, r: CompiledDurationRule): void {
    const s = x.st.slab;
    const now = x.t;
    const since = s[r.offset + R_WARN_SINCE];
    if (s[r.offset + R_LAST_LEVEL] !== 1 || since === NONE || now - s[H_LAST_HEARD_AT] > this.opts.maxGapMs)
      return;
    const projected = s[H_RELEASED_TS] + (now - s[H_RELEASED_RECEIVED_AT]) - this.opts.reorderToleranceMs;
    const scheduled = r.schedule === null || r.schedule.isActive(projected);
    if (!scheduled || (r.tripOnly && !inTripAt(x.trip, projected))) return; // the next reading decides
    this.levels.step(x, r, since, projected);
  }

  /** A person cleared the alarm at `at`: a door still open counts again from the clear. */
  afterManualClear(s: Slab, r: CompiledRule, at: number): void {
    s[r.offset + R_WARN_SINCE] = s[r.offset + R_LAST_LEVEL] === 1 ? at : NONE;
  }

  /**
   * The alarm ends at the reading at `x.t`. On `closed` the event carries the
   * minutes the door was open against the level's minutes.
   */
  private clear(x: RuleContext, r: CompiledDurationRule, reason: 'closed' | 'schedule' | 'trip_ended'): void {
    const s = x.st.slab;
    const sev = s[r.offset + R_SEV];
    const startedAt = s[r.cold + C_EPISODE_START];
    const closed = reason === 'closed';
    this.host.emit(x.st, x.c, {
      rule: r.desc.id,
      unit: r.desc.unit,
      sev,
      transition: 'cleared',
      startedAt,
      endedAt: x.t,
      at: x.t,
      value: closed ? (x.t - startedAt) / MINUTE_MS : undefined,
      bound: closed ? levelMinutes(r, sev) : undefined,
      late: x.late,
      reason,
    });
    resetEpisode(s, r.offset, r.cold);
  }
}
