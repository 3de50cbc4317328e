import { RULE_CATALOG } from '../../rules/rule-catalog.js';
import {
  C_BUDGET_RAISED,
  C_BUDGET_STARTED,
  C_BUDGET_USED,
  C_EPISODE_START,
  H_TRIP_STARTED_AT,
  initRuleTrip,
  initScope,
  NONE,
  R_CRIT_SINCE,
  R_EXC_START,
  R_SEV,
  R_WARN_SINCE,
  ruleStatIndex,
  SCOPE_TRIP,
  type Slab,
} from '../../state/slab-layout.js';
import type { TagState } from '../../state/tag-state.js';
import { summarize } from '../../stats/statistics-summary.js';
import type { ClearReason, Trip } from '../alarm-engine.types.js';
import {
  addExcursion,
  inTripAt,
  MINUTE_MS,
  resetEpisode,
  type CompiledRule,
  type RuleContext,
  type RuleFamilyHost,
} from './rule-family.js';

/** Tunables the trip family reads (AlarmEngineOptions). */
export interface TripBudgetOptions {
  reorderToleranceMs: number;
  mktActivationEnergyOverRK: number;
}

/**
 * Trips and their budgets: a tag's trip starts and ends with the readings
 * measured inside it; the end returns the trip's statistics and clears the
 * alarms that lived only for the trip. A rule with `budgetMs` accrues the
 * time out of range during the trip and raises `<rule>.budget` once per trip
 * when the budget is spent.
 */
export class TripBudgetFamily {
  constructor(
    private readonly host: RuleFamilyHost,
    private readonly opts: TripBudgetOptions,
  ) {}

  /**
   * Follows the trip of the reading at `x.t`: starts it, or ends the previous
   * one, as the trip lookup says. Returns whether the reading is inside the trip.
   */
  follow(x: RuleContext): boolean {
    const st = x.st;
    const trip = x.trip;
    const ts = x.t;
    if (trip !== undefined && inTripAt(trip, ts)) {
      if (st.tripId !== trip.id) {
        if (st.tripId !== null) this.end(x, ts);
        this.start(st, trip);
      }
      return true;
    }
    if (st.tripId !== null && overAtReading(st, trip, ts)) this.end(x, endTime(st, trip, ts));
    return false;
  }

  /**
   * At `tick` (`x.t` = processing time): ends a trip the lookup reports ended
   * for longer than the reorder window, or no longer reports. Call only with
   * the reorder buffer empty, so every reading of the trip was judged.
   */
  endIfOver(x: RuleContext): void {
    const st = x.st;
    const trip = x.trip;
    const now = x.t;
    if (st.tripId === null) return;
    const over =
      trip === undefined ||
      trip.id !== st.tripId ||
      (trip.endedAt !== undefined && now - trip.endedAt >= this.opts.reorderToleranceMs);
    if (over) this.end(x, endTime(st, trip, now));
  }

  /** Adds `tripDt` ms out of range to the rule's budget; the budget period starts with the first. */
  accrue(s: Slab, r: CompiledRule, ts: number, tripDt: number): void {
    if (r.budgetMs <= 0 || tripDt <= 0) return;
    const k = r.cold;
    if (s[k + C_BUDGET_STARTED] === NONE) s[k + C_BUDGET_STARTED] = ts - tripDt;
    s[k + C_BUDGET_USED] += tripDt;
  }

  /** Raises `<rule>.budget` once per trip when the time out of range reaches the budget. */
  check(x: RuleContext, r: CompiledRule): void {
    const s = x.st.slab;
    const k = r.cold;
    if (x.st.tripId === null || s[k + C_BUDGET_RAISED] > 0 || s[k + C_BUDGET_USED] < r.budgetMs) return;
    // The raised flag holds the alarm's severity code, so it can be cleared even after the rule is gone.
    s[k + C_BUDGET_RAISED] = r.budgetSeverity === 'critical' ? 2 : 1;
    this.emitBudget(x, r, x.t);
  }

  /** A person clears the budget alarm at `at`; it raises again at the next reading while still spent. */
  clearManually(x: RuleContext, r: CompiledRule, at: number): boolean {
    const s = x.st.slab;
    if (!(s[r.cold + C_BUDGET_RAISED] > 0)) return false;
    this.emitBudget(x, r, at, 'manual');
    s[r.cold + C_BUDGET_RAISED] = 0;
    return true;
  }

  private start(st: TagState, trip: Trip): void {
    const s = st.slab;
    st.tripId = trip.id;
    s[H_TRIP_STARTED_AT] = trip.startedAt;
    initScope(s, SCOPE_TRIP);
    for (const d of RULE_CATALOG) {
      const o = st.layout.offsets[d.slot];
      const k = st.layout.cold[d.slot];
      if (o < 0) continue;
      initRuleTrip(s, k, d.kind);
    }
  }

  /**
   * Ends the tag's trip at `endedAt`: excursions under way are counted up to
   * it, the trip's statistics are returned, budget alarms and alarms of
   * trip-only rules are cleared (reason `trip_ended`).
   */
  private end(x: RuleContext, endedAt: number): void {
    const st = x.st;
    const c = x.c;
    const s = st.slab;
    const tripStart = s[H_TRIP_STARTED_AT];
    for (const d of RULE_CATALOG) {
      const o = st.layout.offsets[d.slot];
      const k = st.layout.cold[d.slot];
      if (o < 0 || d.kind === 'absence') continue;
      const excStart = s[o + R_EXC_START];
      if (excStart !== NONE && endedAt > Math.max(excStart, tripStart))
        addExcursion(s, k + ruleStatIndex(SCOPE_TRIP, 0), endedAt - Math.max(excStart, tripStart));
    }
    this.host.tripEnded({
      tenantId: st.tenantId,
      tag: st.tag,
      tripId: st.tripId ?? '',
      startedAt: tripStart,
      endedAt,
      profileId: c.id,
      profileVersion: c.version,
      statistics: summarize(st, c, SCOPE_TRIP, this.opts.mktActivationEnergyOverRK),
    });
    for (const d of RULE_CATALOG) {
      const r = c.bySlot[d.slot];
      if (r === null) continue;
      const o = r.offset;
      const k = r.cold;
      if (s[k + C_BUDGET_RAISED] > 0) this.emitBudget(x, r, endedAt, 'trip_ended');
      if (r.tripOnly && s[o + R_SEV] > 0) {
        this.host.emit(st, c, {
          rule: d.id,
          unit: d.unit,
          sev: s[o + R_SEV],
          transition: 'cleared',
          startedAt: s[k + C_EPISODE_START],
          endedAt,
          at: endedAt,
          late: false,
          reason: 'trip_ended',
        });
        resetEpisode(s, o, k);
        s[o + R_WARN_SINCE] = NONE;
        s[o + R_CRIT_SINCE] = NONE;
      }
      s[k + C_BUDGET_USED] = 0;
      s[k + C_BUDGET_RAISED] = 0;
      s[k + C_BUDGET_STARTED] = NONE;
    }
    st.tripId = null;
    s[H_TRIP_STARTED_AT] = NONE;
  }

  /**
   * A budget transition at `at`: `raised` without a reason (late as the
   * reading that spent it), `cleared` with one (ended at `at`, never late).
   * Value and bound are the budget used and the budget, minutes.
   */
  private emitBudget(x: RuleContext, r: CompiledRule, at: number, reason?: ClearReason): void {
    const s = x.st.slab;
    const k = r.cold;
    this.host.emit(x.st, x.c, {
      rule: r.desc.budgetId,
      unit: 'min',
      sev: s[k + C_BUDGET_RAISED] > 0 ? s[k + C_BUDGET_RAISED] : r.budgetSeverity === 'critical' ? 2 : 1,
      transition: reason === undefined ? 'raised' : 'cleared',
      startedAt: s[k + C_BUDGET_STARTED],
      endedAt: reason === undefined ? undefined : at,
      at,
      value: s[k + C_BUDGET_USED] / MINUTE_MS,
      bound: r.budgetMs / MINUTE_MS,
      late: reason === undefined ? x.late : false,
      reason,
    });
  }
}

/** A reading measured before the trip's start is late, not a sign the trip ended. */
function overAtReading(st: TagState, trip: Trip | undefined, ts: number): boolean {
  if (trip === undefined || trip.id !== st.tripId) return true;
  return trip.endedAt !== undefined && ts >= trip.endedAt;
}

/** The trip's end as the lookup reports it, else the time it was noticed over. */
function endTime(st: TagState, trip: Trip | undefined, noticedAt: number): number {
  return trip !== undefined && trip.id === st.tripId && trip.endedAt !== undefined ? trip.endedAt : noticedAt;
}
