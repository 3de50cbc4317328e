import type { EpochMs, Profile, ProfileLookup, TelemetryRecord } from '@coldchain/domain';
import { ALARM_ENGINE_DEFAULTS, type AlarmEngineOptions } from '../alarm-engine.defaults.js';
import { ProfileCompiler, type CompiledProfile } from '../rules/profile.compiler.js';
import { METRIC, RULE_CATALOG, ruleById } from '../rules/rule-catalog.js';
import {
  B_BATTERY,
  B_CO2,
  B_DOOR,
  B_FIELDS,
  B_HUMIDITY,
  B_RECEIVED_AT,
  B_TEMPERATURE,
  C_ACKED,
  C_BUDGET_RAISED,
  C_BUDGET_STARTED,
  C_EPISODE_START,
  H_BUF_N,
  H_LAST_HEARD_AT,
  H_MAX_TS,
  H_RELEASED_RECEIVED_AT,
  H_RELEASED_TS,
  NONE,
  R_SEV,
  SC_READINGS,
  SC_T_MAX,
  SC_T_MIN,
  SC_T_MKT_SUM,
  SC_T_N,
  SC_T_SUM,
  SCOPE_TAG,
  SCOPE_TRIP,
  scopeIndex,
  type Slab,
} from '../state/slab-layout.js';
import { bufferInsert, snapshotOf, TagState, type TagSnapshot } from '../state/tag-state.js';
import { mktTerm } from '../stats/mean-kinetic-temperature.js';
import type {
  ActiveAlarm,
  AlarmEvent,
  ClearReason,
  EngineCounters,
  EngineDiagnostic,
  EngineOutput,
  TagStatistics,
  Trip,
  TripLookup,
} from './alarm-engine.types.js';
import { AbsenceRuleFamily } from './families/absence.rule-family.js';
import { DoorRuleFamily } from './families/door.rule-family.js';
import { DurationLevels } from './families/duration-levels.js';
import {
  resetEpisode,
  RuleContext,
  SEVERITY_NAME,
  type RuleFamilyHost,
  type TransitionRecord,
} from './families/rule-family.js';
import { ThresholdRuleFamily } from './families/threshold.rule-family.js';
import { TripBudgetFamily } from './families/trip-budget.rule-family.js';
import { ProfileBinding } from './profile-binding.js';
import {
  DIAGNOSTIC_TEXT,
  doorCode,
  isSortedByTs,
  num,
  RecordTally,
  type DiagnosticRecord,
} from './reading-intake.js';
import { activeAlarmsOf, statisticsOf } from './tag-inspection.js';
import { TagStates, type RestoreResult, type TagChange } from './tag-states.js';

export interface AlarmEngineConfig {
  /** Trips, for trip-scoped rules, budgets and trip statistics. Without it no tag is ever on a trip. */
  trips?: TripLookup;
  options?: Partial<AlarmEngineOptions>;
  /** Share one compiler (and its time-zone caches) between engines of one process. */
  compiler?: ProfileCompiler;
}

// Header indices of the two statistics scopes, resolved once.
const TAG_READINGS = scopeIndex(SCOPE_TAG, SC_READINGS);
const TRIP_READINGS = scopeIndex(SCOPE_TRIP, SC_READINGS);
const TAG_T = scopeIndex(SCOPE_TAG, SC_T_N);
const TRIP_T = scopeIndex(SCOPE_TRIP, SC_T_N);
// Offsets of the temperature fields relative to SC_T_N.
const T_MIN = SC_T_MIN - SC_T_N;
const T_MAX = SC_T_MAX - SC_T_N;
const T_SUM = SC_T_SUM - SC_T_N;
const T_MKT = SC_T_MKT_SUM - SC_T_N;
const BUDGET_SUFFIX = '.budget';

/**
 * The profile threshold engine: evaluates every rule of a tag's profile on
 * measured time and returns exactly one {@link AlarmEvent} per alarm
 * transition. Plain TypeScript: no I/O, no clock reads (`now` is passed in),
 * no framework.
 *
 * State is per tag, in the order its readings were measured:
 * - readings go through a reorder buffer and are evaluated once the tag's
 *   measured time has moved `reorderToleranceMs` past them; readings behind
 *   the evaluated horizon are not evaluated (redelivery = no-op; genuinely late
 *   = `too_late` diagnostic);
 * - each rule keeps a lifecycle normal → pending → active(warning) ⇄
 *   active(critical) → cleared; one event per transition, each with an
 *   idempotency key built only from data (tenant, tag, rule, measured start,
 *   transition, severity, transition time), so any instance and any redelivery
 *   produce the same key;
 * - `snapshot`/`takeChanges`/`restore` move a tag's state to a compacted
 *   changelog and back (docs/alarm-engine.md, "Recovery").
 *
 * The engine orchestrates: it owns the tag states, routes each reading and
 * each tick to the rule families (engine/families/: threshold, door,
 * absence, trip budget), turns their transitions into keyed events and keeps
 * the changelog.
 *
 * Not thread-safe, not re-entrant: one engine per consumer (per partition).
 */
export class AlarmEngine {
  private readonly opts: AlarmEngineOptions;
  private readonly trips: TripLookup | undefined;
  private readonly tags: TagStates;
  private readonly tally = new RecordTally();
  private readonly count: EngineCounters = {
    records: 0,
    readings: 0,
    evaluated: 0,
    duplicates: 0,
    redelivered: 0,
    tooLate: 0,
    futureTimestamps: 0,
    staleTimestamps: 0,
    hubClockSkews: 0,
    unsortedRecords: 0,
    gaps: 0,
    missingMetrics: 0,
    lateReadings: 0,
    bufferOverflows: 0,
    noProfile: 0,
    invalidProfiles: 0,
    events: 0,
  };
  private out: EngineOutput = { events: [], diagnostics: [], tripSummaries: [] };
  private now: EpochMs = 0;
  private skewByHub: Map<string, EngineDiagnostic> | null = null;

  private readonly host: RuleFamilyHost = {
    emit: (st, c, record) => this.emit(st, c, record),
    tripEnded: (summary) => {
      this.out.tripSummaries.push(summary);
    },
  };
  private readonly profiles: ProfileBinding;
  private readonly tripBudget: TripBudgetFamily;
  private readonly thresholdRules: ThresholdRuleFamily;
  private readonly doorRules: DoorRuleFamily;
  private readonly absenceRules: AbsenceRuleFamily;
  /** The context of the reading being evaluated; the hot path reuses it. */
  private readonly reading = new RuleContext();
  /** The context of everything else (tick, hub status, heard, manual clear). */
  private readonly moment = new RuleContext();

  constructor(config: AlarmEngineConfig = {}) {
    const o = { ...ALARM_ENGINE_DEFAULTS, ...config.options };
    this.opts = o;
    this.trips = config.trips;
    this.tags = new TagStates(o.initialBufferSlots);
    this.profiles = new ProfileBinding(config.compiler ?? new ProfileCompiler(), {
      emit: this.host.emit,
      invalidProfile: (d) => {
        this.count.invalidProfiles++;
        this.out.diagnostics.push(d);
      },
      initialBufferSlots: o.initialBufferSlots,
    });
    const levels = new DurationLevels(this.host);
    this.tripBudget = new TripBudgetFamily(this.host, o);
    this.thresholdRules = new ThresholdRuleFamily(this.host, this.tripBudget, o.maxGapMs);
    this.doorRules = new DoorRuleFamily(this.host, levels, this.tripBudget, o);
    this.absenceRules = new AbsenceRuleFamily(this.host, levels);
  }

  // ---- the seam ------------------------------------------------------------------

  /**
   * The records of one bus batch in partition order; returns the alert
   * transitions they cause. Diagnostics and trip summaries of the call are
   * dropped: use {@link process} to get them.
   */
  evaluate(records: readonly TelemetryRecord[], profiles: ProfileLookup, now: EpochMs): AlarmEvent[] {
    return this.process(records, profiles, now).events;
  }

  /**
   * As {@link evaluate}, also returning diagnostics (readings not evaluated,
   * clock skew, gaps) and the statistics of trips that ended. The result
   * depends only on the records and the state, not on how the stream was cut
   * into batches (`now` only sets `emittedAt`).
   */
  process(records: readonly TelemetryRecord[], profiles: ProfileLookup, now: EpochMs): EngineOutput {
    this.begin(now);
    for (let i = 0; i < records.length; i++) this.ingestRecord(records[i], profiles);
    return this.end();
  }

  /**
   * Time-driven rules, on processing time: call every few seconds (10 s is
   * plenty) with the same profiles. For every tag it
   * 1. evaluates the reorder buffer of a tag quiet for `reorderToleranceMs`;
   * 2. ends a trip that the trip lookup says has ended;
   * 3. raises/escalates `door.open` for a door still open with no new reading
   *    (measured time projected from the last reading);
   * 4. raises/escalates `tag.silent` (nothing heard for the level's time) and
   *    `hub.offline` (the tag's hub reported offline that long), with
   *    reminders. `tag.silent` is not raised while the tag's hub is offline
   *    and the profile has a `hub.offline` rule: the root cause is reported
   *    once, not as silence of every tag.
   * Transition times in the keys derive from data (last heard + level), not
   * from `now`, so a tick that runs later produces the same keys.
   */
  tick(profiles: ProfileLookup, now: EpochMs): EngineOutput {
    this.begin(now);
    for (const st of this.tags.values()) {
      const c = this.compiledFor(profiles.profileForTag(st.tenantId, st.tag), st.tenantId, st.tag, st.hub);
      if (c === undefined) {
        this.retire(st, 'profile_removed');
        continue;
      }
      if (st.layout !== c.layout) this.profiles.migrate(st, c);
      st.profileId = c.id;
      st.profileVersion = c.version;
      const before = this.out.events.length + this.out.tripSummaries.length;
      let changed = false;
      const trip = this.trips?.tripForTag(st.tenantId, st.tag);
      const s = st.slab;
      if (s[H_BUF_N] > 0 && now - s[H_LAST_HEARD_AT] >= this.opts.reorderToleranceMs) {
        this.releaseUpTo(st, c, Infinity, trip);
        changed = true;
      }
      const x = this.moment.set(st, c, trip, now);
      if (s[H_BUF_N] === 0) {
        this.tripBudget.endIfOver(x);
        if (c.door !== null) this.doorRules.tick(x, c.door);
      }
      this.absenceRules.tick(x);
      if (changed || this.out.events.length + this.out.tripSummaries.length > before) this.markChanged(st);
    }
    return this.end();
  }

  /**
   * A hub's status (`khub/{imei}/status`, retained, last will `offline`).
   * Every engine instance must receive every hub's status (the status topic is
   * not partitioned by tag): hub status is kept per instance, not in tag
   * snapshots. `offline` starts the `hub.offline` clock of the tags last
   * relayed by that hub (raised at `tick`); `online` clears their alarms, with
   * `at` as end time. A record relayed by the hub also counts as `online`.
   */
  onHubStatus(hub: string, status: 'online' | 'offline', at: EpochMs, now: EpochMs): EngineOutput {
    this.begin(now);
    if (status === 'offline') this.absenceRules.hubWentOffline(hub, at);
    else if (this.absenceRules.hubCameOnline(hub)) {
      for (const st of this.tags.values()) {
        if (st.hub !== hub) continue;
        const c = this.profiles.get(st.profileId);
        if (c === undefined || st.layout !== c.layout) continue;
        if (this.absenceRules.clearHubOffline(this.moment.set(st, c, undefined, at), at))
          this.markChanged(st);
      }
    }
    return this.end();
  }

  /**
   * Acknowledges the active alarm of (tag, rule): reminders stop, the alarm
   * stays active until its condition clears (acknowledgement does not clear).
   * Emits nothing. Returns false when no such alarm is active.
   */
  acknowledge(tenantId: string, tag: string, rule: string): boolean {
    const st = this.tags.get(tag);
    const desc = ruleById(rule);
    if (st === undefined || st.tenantId !== tenantId || desc === undefined) return false;
    const o = st.layout.offsets[desc.slot];
    const k = st.layout.cold[desc.slot];
    if (o < 0 || st.slab[o + R_SEV] === 0) return false;
    st.slab[k + C_ACKED] = 1;
    this.markChanged(st);
    return true;
  }

  /**
   * A person clears the alarm of (tag, rule) by hand at `at` (epoch ms).
   * Emits `cleared` (reason `manual`) and returns the rule to normal: if the
   * condition persists it raises again after its delay (no alarm stays
   * silenced by a manual clear). A budget alarm (`<rule>.budget`) still
   * exceeded raises again at the next reading.
   */
  clearManually(tenantId: string, tag: string, rule: string, at: EpochMs, now: EpochMs): EngineOutput {
    this.begin(now);
    const st = this.tags.get(tag);
    const isBudget = rule.endsWith(BUDGET_SUFFIX);
    const desc = ruleById(isBudget ? rule.slice(0, -BUDGET_SUFFIX.length) : rule);
    const c = st === undefined ? undefined : this.profiles.get(st.profileId);
    if (
      st === undefined ||
      st.tenantId !== tenantId ||
      desc === undefined ||
      c === undefined ||
      st.layout !== c.layout
    )
      return this.end();
    const r = c.bySlot[desc.slot];
    if (r === null) return this.end();
    const s = st.slab;
    const x = this.moment.set(st, c, undefined, at);
    if (isBudget) {
      if (this.tripBudget.clearManually(x, r, at)) this.markChanged(st);
      return this.end();
    }
    if (s[r.offset + R_SEV] === 0) return this.end();
    this.emit(st, c, {
      rule: desc.id,
      unit: desc.unit,
      sev: s[r.offset + R_SEV],
      transition: 'cleared',
      startedAt: s[r.cold + C_EPISODE_START],
      endedAt: at,
      at,
      late: false,
      reason: 'manual',
    });
    resetEpisode(s, r.offset, r.cold);
    if (desc.kind === 'threshold') this.thresholdRules.afterManualClear(s, r);
    else if (desc.kind === 'door') this.doorRules.afterManualClear(s, r, at);
    else this.absenceRules.afterManualClear(s, r, at);
    this.markChanged(st);
    return this.end();
  }

  // ---- state: changelog, inspection -----------------------------------------------

  /** The serialisable state of one tag, or undefined when the engine has none. */
  snapshot(tag: string): TagSnapshot | undefined {
    const st = this.tags.get(tag);
    return st === undefined ? undefined : snapshotOf(st);
  }

  /**
   * The tags whose state changed since the last call, as changelog writes
   * (key = tag; null = tombstone). Write them after publishing the call's
   * events and before committing the input offsets (docs/alarm-engine.md).
   * `packed`: slabs as Float64Array (a binary codec's input; several times
   * cheaper than the JSON form, which converts non-finite values to strings).
   */
  takeChanges(options: { packed?: boolean } = {}): TagChange[] {
    return this.tags.takeChanges(options.packed === true);
  }

  /**
   * Loads tag states read back from the changelog (on partition assignment,
   * before consuming). Later snapshots of a tag replace earlier ones. Snapshots
   * of another layout version are refused: those tags start afresh.
   */
  restore(snapshots: Iterable<TagSnapshot>): RestoreResult {
    return this.tags.restore(snapshots);
  }

  /** Drops a tag's state (no events), for example when its partition is revoked. */
  dropTag(tag: string): void {
    this.tags.forget(tag);
  }

  /** Drops every tag's state (no events). Hub statuses are kept. */
  dropAllTags(): void {
    this.tags.clear();
  }

  get tagCount(): number {
    return this.tags.size;
  }

  /** Totals since the engine was created. */
  counters(): EngineCounters {
    return { ...this.count };
  }

  /** Statistics of a tag, overall and for the trip under way; undefined when unknown. */
  statistics(tenantId: string, tag: string): TagStatistics | undefined {
    const st = this.tags.get(tag);
    if (st === undefined || st.tenantId !== tenantId) return undefined;
    const c = this.profiles.get(st.profileId);
    if (c === undefined || c.layout !== st.layout) return undefined;
    return statisticsOf(st, c, this.opts.mktActivationEnergyOverRK);
  }

  /** The active alarms of a tag. */
  activeAlarms(tenantId: string, tag: string): ActiveAlarm[] {
    const st = this.tags.get(tag);
    return st === undefined || st.tenantId !== tenantId ? [] : activeAlarmsOf(st);
  }

  // ---- ingest -------------------------------------------------------------------

  private begin(now: EpochMs): void {
    this.now = now;
    this.out = { events: [], diagnostics: [], tripSummaries: [] };
    this.skewByHub = null;
  }

  private end(): EngineOutput {
    const out = this.out;
    this.out = { events: [], diagnostics: [], tripSummaries: [] };
    return out;
  }

  private markChanged(st: TagState): void {
    this.tags.markChanged(st);
  }

  private compiledFor(
    profile: Profile | undefined,
    tenantId: string,
    tag: string,
    hub: string,
  ): CompiledProfile | undefined {
    return profile === undefined ? undefined : this.profiles.compiledFor(profile, tenantId, tag, hub);
  }

  private ingestRecord(rec: TelemetryRecord, profiles: ProfileLookup): void {
    const count = this.count;
    const o = this.opts;
    count.records++;
    count.readings += rec.readings.length;
    const c = this.compiledFor(profiles.profileForTag(rec.tenantId, rec.tag), rec.tenantId, rec.tag, rec.hub);
    let st = this.tags.get(rec.tag);
    if (c === undefined) {
      count.noProfile++;
      if (st !== undefined) this.retire(st, 'profile_removed');
      return;
    }
    if (st === undefined || st.tenantId !== rec.tenantId) {
      // A tag moved to another tenant starts afresh; its old alarms are closed.
      if (st !== undefined) this.retire(st, 'profile_removed');
      st = this.tags.create(rec, c);
    } else if (st.layout !== c.layout) {
      this.profiles.migrate(st, c);
    }
    st.profileId = c.id;
    st.profileVersion = c.version;
    if (!st.dirty) this.markChanged(st);

    const trip = this.trips === undefined ? undefined : this.trips.tripForTag(rec.tenantId, rec.tag);
    const receivedAt = rec.receivedAt;
    // A record not received after the last one of this tag was already seen: a redelivery.
    const redelivered = receivedAt <= st.slab[H_LAST_HEARD_AT];
    if (!redelivered) this.heard(st, c, rec);

    let readings = rec.readings;
    if (!isSortedByTs(readings)) {
      readings = [...readings].sort((a, b) => a.ts - b.ts);
      count.unsortedRecords++;
      this.diagnose(st, {
        kind: 'unsorted_record',
        hub: rec.hub,
        count: readings.length,
        firstTs: readings[0]?.ts,
        lastTs: readings[readings.length - 1]?.ts,
      });
    }
    const tally = this.tally;
    tally.reset();
    const futureLimit = receivedAt + o.futureSkewToleranceMs;
    const staleLimit = rec.sentAt - o.maxReadingAgeMs;
    for (let i = 0; i < readings.length; i++) {
      const m = readings[i];
      const ts = m.ts;
      if (ts > futureLimit) {
        count.futureTimestamps++;
        if (tally.future++ === 0) tally.futureFirst = ts;
        tally.futureLast = ts;
        continue;
      }
      if (!(ts >= staleLimit)) {
        count.staleTimestamps++;
        if (tally.stale++ === 0) tally.staleFirst = ts;
        tally.staleLast = ts;
        continue;
      }
      let s = st.slab;
      if (s[H_BUF_N] >= o.maxBufferedReadingsPerTag) {
        count.bufferOverflows++;
        this.diagnose(st, { kind: 'buffer_overflow', hub: rec.hub, count: 1, firstTs: ts, lastTs: ts });
        this.releaseUpTo(st, c, s[st.layout.size], trip);
      }
      if (ts <= s[H_RELEASED_TS]) {
        if (redelivered) count.redelivered++;
        else if (ts === s[H_RELEASED_TS]) count.duplicates++;
        else {
          count.tooLate++;
          if (tally.tooLate++ === 0) tally.tooLateFirst = ts;
          tally.tooLateLast = ts;
        }
        continue;
      }
      if (
        !bufferInsert(
          st,
          ts,
          num(m.temperature),
          num(m.humidity),
          num(m.co2),
          num(m.battery),
          doorCode(m.door),
          receivedAt,
        )
      ) {
        if (redelivered) count.redelivered++;
        else count.duplicates++;
        continue;
      }
      s = st.slab;
      if (ts > s[H_MAX_TS]) s[H_MAX_TS] = ts;
      this.releaseUpTo(st, c, s[H_MAX_TS] - o.reorderToleranceMs, trip);
    }
    const hub = rec.hub;
    if (tally.tooLate > 0)
      this.diagnose(st, {
        kind: 'too_late',
        hub,
        count: tally.tooLate,
        firstTs: tally.tooLateFirst,
        lastTs: tally.tooLateLast,
      });
    if (tally.future > 0)
      this.diagnose(st, {
        kind: 'future_timestamp',
        hub,
        count: tally.future,
        firstTs: tally.futureFirst,
        lastTs: tally.futureLast,
      });
    if (tally.stale > 0)
      this.diagnose(st, {
        kind: 'stale_timestamp',
        hub,
        count: tally.stale,
        firstTs: tally.staleFirst,
        lastTs: tally.staleLast,
      });
  }

  /** A new record of the tag arrived: last heard, hub, position; absence alarms end; hub clock checked. */
  private heard(st: TagState, c: CompiledProfile, rec: TelemetryRecord): void {
    st.slab[H_LAST_HEARD_AT] = rec.receivedAt;
    st.hub = rec.hub;
    if (rec.gps !== undefined) st.gps = rec.gps;
    this.absenceRules.heard(st, c, rec.receivedAt, this.moment);
    const skew = rec.receivedAt - rec.sentAt;
    if (skew > this.opts.hubClockSkewToleranceMs || skew < -this.opts.hubClockSkewToleranceMs) {
      this.count.hubClockSkews++;
      // One diagnostic per hub per call: a skewed hub sends one record per tag.
      this.skewByHub ??= new Map();
      const d = this.skewByHub.get(rec.hub);
      if (d !== undefined) d.count++;
      else {
        const diag = this.diagnose(st, { kind: 'hub_clock_skew', hub: rec.hub, count: 1, detailMs: skew });
        this.skewByHub.set(rec.hub, diag);
      }
    }
  }

  /** Evaluates, in measured order, the buffered readings measured at or before `limit`. */
  private releaseUpTo(st: TagState, c: CompiledProfile, limit: number, trip: Trip | undefined): void {
    const s = st.slab;
    const base = st.layout.size;
    const n = s[H_BUF_N];
    const x = this.reading;
    let i = 0;
    while (i < n) {
      const at = base + i * B_FIELDS;
      if (s[at] > limit) break;
      this.evaluateReading(x.set(st, c, trip, s[at]), at);
      i++;
    }
    if (i > 0) {
      // The buffer holds a few readings: a plain loop.
      const from = base + i * B_FIELDS;
      const end = base + n * B_FIELDS;
      for (let k = from; k < end; k++) s[k - from + base] = s[k];
      s[H_BUF_N] = n - i;
    }
  }

  // ---- evaluation of one reading (hot path: no allocation unless an event is emitted) ----

  /** Routes the buffered reading at slab index `at` (measured at `x.t`) to the tag's trip and rule families. */
  private evaluateReading(x: RuleContext, at: number): void {
    const st = x.st;
    const c = x.c;
    const s = st.slab;
    const o = this.opts;
    const ts = x.t;
    const receivedAt = s[at + B_RECEIVED_AT];
    this.count.evaluated++;
    const late = receivedAt - ts > o.lateAfterMs;
    if (late) this.count.lateReadings++;
    x.late = late;
    const prev = s[H_RELEASED_TS];
    if (prev !== NONE && ts - prev > o.maxGapMs) {
      this.count.gaps++;
      this.diagnose(st, {
        kind: 'gap',
        hub: st.hub,
        count: 1,
        firstTs: prev,
        lastTs: ts,
        detailMs: ts - prev,
      });
    }

    const inTrip = this.tripBudget.follow(x);
    x.inTrip = inTrip;

    s[TAG_READINGS] += 1;
    if (inTrip) s[TRIP_READINGS] += 1;
    const temperature = s[at + B_TEMPERATURE];
    if (temperature === temperature) {
      const term = mktTerm(temperature, o.mktActivationEnergyOverRK);
      addTemperature(s, TAG_T, temperature, term);
      if (inTrip) addTemperature(s, TRIP_T, temperature, term);
    }

    let missing = false;
    const rules = c.thresholds;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      const metric = r.desc.metric;
      const v =
        metric === METRIC.temperature
          ? temperature
          : metric === METRIC.humidity
            ? s[at + B_HUMIDITY]
            : metric === METRIC.co2
              ? s[at + B_CO2]
              : s[at + B_BATTERY];
      if (v !== v) {
        missing = true;
        continue;
      }
      this.thresholdRules.evaluate(x, r, v);
    }
    if (missing) this.count.missingMetrics++;
    const door = s[at + B_DOOR];
    if (c.door !== null && door === door) this.doorRules.evaluate(x, c.door, door);

    s[H_RELEASED_TS] = ts;
    s[H_RELEASED_RECEIVED_AT] = receivedAt;
  }

  /** The tag loses its state (profile removed, tenant changed): active alarms are cleared. */
  private retire(st: TagState, reason: ClearReason): void {
    const s = st.slab;
    const c = this.profiles.get(st.profileId);
    const at = s[H_RELEASED_TS] === NONE ? this.now : s[H_RELEASED_TS];
    for (const d of RULE_CATALOG) {
      const o = st.layout.offsets[d.slot];
      const k = st.layout.cold[d.slot];
      if (o < 0) continue;
      if (s[o + R_SEV] > 0)
        this.emit(st, c, {
          rule: d.id,
          unit: d.unit,
          sev: s[o + R_SEV],
          transition: 'cleared',
          startedAt: s[k + C_EPISODE_START],
          endedAt: at,
          at,
          late: false,
          reason,
        });
      if (s[k + C_BUDGET_RAISED] > 0)
        this.emit(st, c, {
          rule: d.budgetId,
          unit: 'min',
          sev: s[k + C_BUDGET_RAISED],
          transition: 'cleared',
          startedAt: s[k + C_BUDGET_STARTED],
          endedAt: at,
          at,
          late: false,
          reason,
        });
    }
    this.tags.retire(st);
  }

  // ---- events ------------------------------------------------------------------------------

  /**
   * Builds one event. The key is made of data only — tenant, tag, rule,
   * measured start of the episode, transition, severity and the transition's
   * own time — so the same transition gets the same key on any instance and
   * after any redelivery; consumers de-duplicate on it.
   */
  private emit(st: TagState, c: CompiledProfile | undefined, e: TransitionRecord): void {
    const severity = SEVERITY_NAME[e.sev];
    const event: AlarmEvent = {
      v: 1,
      key: `${st.tenantId}/${st.tag}/${e.rule}/${e.startedAt}/${e.transition}/${severity}/${e.at}`,
      tenantId: st.tenantId,
      tag: st.tag,
      hub: st.hub,
      profileId: c?.id ?? st.profileId,
      profileVersion: c?.version ?? st.profileVersion,
      rule: e.rule,
      severity,
      transition: e.transition,
      startedAt: e.startedAt,
      late: e.late,
      emittedAt: this.now,
    };
    if (e.endedAt !== undefined) event.endedAt = e.endedAt;
    // NaN stands for "no value" in the slab; neither reaches the event.
    const value = e.value;
    if (value !== undefined && value === value) event.value = value;
    const bound = e.bound;
    if (bound !== undefined && bound === bound) event.bound = bound;
    event.unit = e.unit;
    if (st.gps !== undefined) event.position = st.gps;
    if (e.reason !== undefined) event.reason = e.reason;
    this.out.events.push(event);
    this.count.events++;
  }

  /** Reports a diagnostic of the tag to the current call's output. */
  private diagnose(st: TagState, r: DiagnosticRecord): EngineDiagnostic {
    const d: EngineDiagnostic = {
      kind: r.kind,
      tenantId: st.tenantId,
      tag: st.tag,
      hub: r.hub,
      count: r.count,
      message: DIAGNOSTIC_TEXT[r.kind],
    };
    if (r.firstTs !== undefined) d.firstTs = r.firstTs;
    if (r.lastTs !== undefined) d.lastTs = r.lastTs;
    if (r.detailMs !== undefined) d.detailMs = r.detailMs;
    this.out.diagnostics.push(d);
    return d;
  }
}

function addTemperature(s: Slab, base: number, celsius: number, mktTermValue: number): void {
  s[base] += 1;
  if (celsius < s[base + T_MIN]) s[base + T_MIN] = celsius;
  if (celsius > s[base + T_MAX]) s[base + T_MAX] = celsius;
  s[base + T_SUM] += celsius;
  s[base + T_MKT] += mktTermValue;
}
