import type { EpochMs } from '@coldchain/domain';
import type { CompiledDurationRule, CompiledProfile } from '../../rules/profile.compiler.js';
import {
  C_CLEARED_AT,
  C_EPISODE_START,
  H_ABSENCE_ACTIVE,
  H_LAST_HEARD_AT,
  NONE,
  R_SEV,
  type Slab,
} from '../../state/slab-layout.js';
import type { TagState } from '../../state/tag-state.js';
import type { ClearReason } from '../alarm-engine.types.js';
import type { DurationLevels } from './duration-levels.js';
import {
  inTripAt,
  levelMinutes,
  MINUTE_MS,
  resetEpisode,
  type CompiledRule,
  type RuleContext,
  type RuleFamilyHost,
} from './rule-family.js';

/**
 * Absence rules, on processing time: `tag.silent` (nothing heard from the tag
 * for a level's time) and `hub.offline` (the tag's hub reported offline that
 * long). Raised at `tick`, cleared when the tag or its hub is heard again.
 * Keeps which hubs are offline: hub status is per engine instance, not in tag
 * snapshots.
 */
export class AbsenceRuleFamily {
  /** Hub IMEI → since when it is offline (processing time of its status). Absent = online. */
  private readonly hubsOffline = new Map<string, EpochMs>();

  constructor(
    private readonly host: RuleFamilyHost,
    private readonly levels: DurationLevels,
  ) {}

  /** The hub reported `offline` at `at`; the first report starts its clock. */
  hubWentOffline(hub: string, at: EpochMs): void {
    if (!this.hubsOffline.has(hub)) this.hubsOffline.set(hub, at);
  }

  /** The hub reported `online`. Returns true when it was offline (its tags' alarms are then due to clear). */
  hubCameOnline(hub: string): boolean {
    return this.hubsOffline.delete(hub);
  }

  /** Clears the `hub.offline` alarm of `x.st` because its hub came back at `at`. Returns true when it did. */
  clearHubOffline(x: RuleContext, at: number): boolean {
    const r = x.c.hubOffline;
    return r !== null && this.clear(x, r, at, 'hub_online');
  }

  /**
   * A new record of `st` was received at `receivedAt` through its hub
   * (`st.hub`): the hub counts as online from then, and the tag's absence
   * alarms end. `x` is the engine's spare context: set only when an alarm
   * is to be cleared, since this runs once per record.
   */
  heard(st: TagState, c: CompiledProfile, receivedAt: number, x: RuleContext): void {
    const s = st.slab;
    if (this.hubsOffline.size > 0) {
      const offlineSince = this.hubsOffline.get(st.hub);
      if (offlineSince !== undefined && offlineSince < receivedAt) this.hubsOffline.delete(st.hub);
    }
    // The flag spares the rule blocks a visit on every record; it may be stale-set, never stale-clear.
    if (s[H_ABSENCE_ACTIVE] !== 0) {
      x.set(st, c, undefined, receivedAt);
      let still = false;
      if (c.silent !== null) {
        this.clear(x, c.silent, receivedAt, 'heard');
        still = s[c.silent.offset + R_SEV] > 0;
      }
      if (c.hubOffline !== null) {
        this.clear(x, c.hubOffline, receivedAt, 'heard');
        still ||= s[c.hubOffline.offset + R_SEV] > 0;
      }
      s[H_ABSENCE_ACTIVE] = still ? 1 : 0;
    }
  }

  /**
   * At `tick` (`x.t` = processing time): raises/escalates `tag.silent` and
   * `hub.offline`, with reminders. `tag.silent` is not raised while the tag's
   * hub is offline and the profile has a `hub.offline` rule: the root cause is
   * reported once, not as silence of every tag.
   */
  tick(x: RuleContext): void {
    const c = x.c;
    const s = x.st.slab;
    if (c.silent !== null) {
      const suppressed = c.hubOffline !== null && this.hubsOffline.has(x.st.hub);
      if (!suppressed || s[c.silent.offset + R_SEV] > 0) this.tickRule(x, c.silent, s[H_LAST_HEARD_AT]);
    }
    if (c.hubOffline !== null) {
      const offlineSince = this.hubsOffline.get(x.st.hub);
      if (offlineSince !== undefined)
        this.tickRule(x, c.hubOffline, Math.max(offlineSince, s[H_LAST_HEARD_AT]));
    }
  }

  /** A person cleared the alarm at `at`: absence counts again from the clear. */
  afterManualClear(s: Slab, r: CompiledRule, at: number): void {
    s[r.cold + C_CLEARED_AT] = at;
  }

  /** One absence rule at `tick`, its condition holding since `since` (epoch ms). */
  private tickRule(x: RuleContext, r: CompiledDurationRule, since: number): void {
    const s = x.st.slab;
    const now = x.t;
    const scheduled = r.schedule === null || r.schedule.isActive(now);
    if (!scheduled || (r.tripOnly && !inTripAt(x.trip, now))) {
      const sev = s[r.offset + R_SEV];
      if (sev > 0) {
        this.host.emit(x.st, x.c, {
          rule: r.desc.id,
          unit: r.desc.unit,
          sev,
          transition: 'cleared',
          startedAt: s[r.cold + C_EPISODE_START],
          endedAt: now,
          at: now,
          late: false,
          reason: scheduled ? 'trip_ended' : 'schedule',
        });
        resetEpisode(s, r.offset, r.cold);
      }
      return;
    }
    const from = Math.max(since, s[r.cold + C_CLEARED_AT]);
    if (from === NONE) return;
    this.levels.step(x, r, from, now);
  }

  /** Ends an absence alarm because the tag or its hub was heard at `at`. Returns true when it did. */
  private clear(x: RuleContext, r: CompiledDurationRule, at: number, reason: ClearReason): boolean {
    const s = x.st.slab;
    const sev = s[r.offset + R_SEV];
    const startedAt = s[r.cold + C_EPISODE_START];
    if (sev === 0 || !(at > startedAt)) return false;
    this.host.emit(x.st, x.c, {
      rule: r.desc.id,
      unit: r.desc.unit,
      sev,
      transition: 'cleared',
      startedAt,
      endedAt: at,
      at,
      value: (at - startedAt) / MINUTE_MS,
      bound: levelMinutes(r, sev),
      late: false,
      reason,
    });
    resetEpisode(s, r.offset, r.cold);
    return true;
  }
}
