import type {
  AlertSeverity,
  AlertTransition,
  DoorState,
  EpochMs,
  Profile,
  ProfileLookup,
  TelemetryRecord,
  ThresholdEvaluator,
} from '@coldchain/domain';
import { ALARM_ENGINE_DEFAULTS, type AlarmEngineOptions } from '../alarm-engine.defaults.js';
import { InvalidProfileError } from '../rules/invalid-profile.error.js';
import {
  ProfileCompiler,
  type CompiledDurationRule,
  type CompiledProfile,
  type CompiledThresholdRule,
} from '../rules/profile.compiler.js';
import { METRIC, RULE_CATALOG, ruleById, type RuleDescriptor } from '../rules/rule-catalog.js';
import {
  B_FIELDS,
  H_ABSENCE_ACTIVE,
  H_BUF_N,
  H_LAST_HEARD_AT,
  H_MAX_TS,
  H_RELEASED_RECEIVED_AT,
  H_RELEASED_TS,
  H_TRIP_STARTED_AT,
  HEADER_SIZE,
  coldSize,
  HOT_SIZE,
  initRule,
  initRuleTrip,
  initScope,
  newSlab,
  NONE,
  C_ACKED,
  C_ACTIVE_SINCE,
  C_BUDGET_RAISED,
  C_BUDGET_STARTED,
  C_BUDGET_USED,
  C_CLEARED_AT,
  R_CRIT_SINCE,
  C_EPISODE_START,
  R_EXC_START,
  R_LAST_LEVEL,
  R_LAST_TS,
  C_REMINDER_K,
  R_SEV,
  R_WARN_SINCE,
  RS_EXC_COUNT,
  RS_EXC_LONGEST,
  RS_EXC_TOTAL,
  RS_TIME_CRIT,
  RS_TIME_WARN,
  ruleStatIndex,
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
import {
  bufferInsert,
  packedSnapshotOf,
  snapshotOf,
  snapshotProblem,
  stateFromSnapshot,
  TagState,
  type TagSnapshot,
} from '../state/tag-state.js';
import { mktTerm } from '../stats/mean-kinetic-temperature.js';
import { summarize } from '../stats/statistics-summary.js';
import type {
  ActiveAlarm,
  AlarmEvent,
  ClearReason,
  DiagnosticKind,
  EngineCounters,
  EngineDiagnostic,
  EngineOutput,
  TagStatistics,
  Trip,
  TripLookup,
} from './alarm-engine.types.js';

export interface AlarmEngineConfig {
  /** Trips, for trip-scoped rules, budgets and trip statistics. Without it no tag is ever on a trip. */
  trips?: TripLookup;
  options?: Partial<AlarmEngineOptions>;
  /** Share one compiler (and its time-zone caches) between engines of one process. */
  compiler?: ProfileCompiler;
}

/** One changelog write: the tag's new state, or null when the engine dropped it (a tombstone). */
export interface TagChange {
  tag: string;
  snapshot: TagSnapshot | null;
}

export interface RestoreResult {
  restored: number;
  refused: { tag: string; problem: string }[];
}

const SEVERITY_NAME: readonly AlertSeverity[] = ['warning', 'warning', 'critical'];
const MINUTE_MS = 60_000;

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

/** Per-record tally of readings the engine set aside; reused, so the hot path allocates nothing for it. */
class RecordTally {
  tooLate = 0;
  tooLateFirst = 0;
  tooLateLast = 0;
  future = 0;
  futureFirst = 0;
  futureLast = 0;
  stale = 0;
  staleFirst = 0;
  staleLast = 0;
  reset(): void {
    this.tooLate = 0;
    this.future = 0;
    this.stale = 0;
  }
}

/**
 * The profile threshold engine (issue 4): evaluates every rule of a tag's
 * profile on measured time and returns exactly one {@link AlarmEvent} per
 * alarm transition. Plain TypeScript: no I/O, no clock reads (`now` is passed
 * in), no framework.
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
 * Not thread-safe, not re-entrant: one engine per consumer (per partition).
 */
export class AlarmEngine implements ThresholdEvaluator {
  private readonly opts: AlarmEngineOptions;
  private readonly trips: TripLookup | undefined;
  private readonly compiler: ProfileCompiler;
  private readonly tags = new Map<string, TagState>();
  /** Last valid compiled version per profile id. */
  private readonly compiled = new Map<string, CompiledProfile>();
  /** Profile id → version refused by validation (reported once). */
  private readonly refused = new Map<string, number>();
  /** Hub IMEI → since when it is offline (processing time of its status). Absent = online. */
  private readonly hubsOffline = new Map<string, EpochMs>();
  /** States changed since the last `takeChanges` (each flagged `dirty`, listed once), and tags dropped. */
  private changed: TagState[] = [];
  private readonly dropped = new Set<string>();
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

  constructor(config: AlarmEngineConfig = {}) {
    this.opts = { ...ALARM_ENGINE_DEFAULTS, ...config.options };
    this.trips = config.trips;
    this.compiler = config.compiler ?? new ProfileCompiler();
  }

  // ---- the seam ------------------------------------------------------------------

  /**
   * {@link ThresholdEvaluator} contract: the records of one bus batch in
   * partition order; returns the alert transitions they cause. Diagnostics and
   * trip summaries of the call are dropped: use {@link process} to get them.
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
    const o = this.opts;
    for (const st of this.tags.values()) {
      const c = this.compiledFor(profiles.profileForTag(st.tenantId, st.tag), st.tenantId, st.tag, st.hub);
      if (c === undefined) {
        this.retire(st, 'profile_removed');
        continue;
      }
      if (st.layout !== c.layout) this.migrate(st, c);
      st.profileId = c.id;
      st.profileVersion = c.version;
      const before = this.out.events.length + this.out.tripSummaries.length;
      let changed = false;
      const trip = this.trips?.tripForTag(st.tenantId, st.tag);
      const s = st.slab;
      if (s[H_BUF_N] > 0 && now - s[H_LAST_HEARD_AT] >= o.reorderToleranceMs) {
        this.releaseUpTo(st, c, trip, Infinity);
        changed = true;
      }
      if (st.tripId !== null && s[H_BUF_N] === 0 && this.tripOverAt(st, trip, now)) {
        this.endTrip(
          st,
          c,
          trip !== undefined && trip.id === st.tripId && trip.endedAt !== undefined ? trip.endedAt : now,
        );
      }
      if (c.door !== null && s[H_BUF_N] === 0) this.tickDoor(st, c, c.door, trip, now);
      if (c.silent !== null) {
        const suppressed = c.hubOffline !== null && this.hubsOffline.has(st.hub);
        if (!suppressed || s[c.silent.offset + R_SEV] > 0)
          this.tickAbsence(st, c, c.silent, trip, now, s[H_LAST_HEARD_AT]);
      }
      if (c.hubOffline !== null) {
        const offlineSince = this.hubsOffline.get(st.hub);
        if (offlineSince !== undefined)
          this.tickAbsence(st, c, c.hubOffline, trip, now, Math.max(offlineSince, s[H_LAST_HEARD_AT]));
      }
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
    if (status === 'offline') {
      if (!this.hubsOffline.has(hub)) this.hubsOffline.set(hub, at);
    } else if (this.hubsOffline.has(hub)) {
      this.hubsOffline.delete(hub);
      for (const st of this.tags.values()) {
        if (st.hub !== hub) continue;
        const c = this.compiled.get(st.profileId);
        if (c === undefined || c.hubOffline === null || st.layout !== c.layout) continue;
        if (this.clearAbsence(st, c, c.hubOffline, at, 'hub_online')) this.markChanged(st);
      }
    }
    return this.end();
  }

  /**
   * Acknowledges the active alarm of (tag, rule): reminders stop, the alarm
   * stays active until its condition clears (issue 4: acknowledgement does not
   * clear). Emits nothing. Returns false when no such alarm is active.
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
   * condition persists it raises again after its delay (issue 4 complaint:
   * "no re-trigger after a manual clear"). A budget alarm (`<rule>.budget`)
   * still exceeded raises again at the next reading.
   */
  clearManually(tenantId: string, tag: string, rule: string, at: EpochMs, now: EpochMs): EngineOutput {
    this.begin(now);
    const st = this.tags.get(tag);
    const isBudget = rule.endsWith('.budget');
    const desc = ruleById(isBudget ? rule.slice(0, -'.budget'.length) : rule);
    const c = st === undefined ? undefined : this.compiled.get(st.profileId);
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
    const o = r.offset;
    const k = r.cold;
    if (isBudget) {
      if (s[k + C_BUDGET_RAISED] > 0) {
        this.emitBudget(st, c, r, 'cleared', at, at, false, 'manual');
        s[k + C_BUDGET_RAISED] = 0;
        this.markChanged(st);
      }
      return this.end();
    }
    if (s[o + R_SEV] === 0) return this.end();
    this.emit(
      st,
      c,
      desc,
      s[o + R_SEV],
      'cleared',
      s[k + C_EPISODE_START],
      at,
      at,
      Number.NaN,
      Number.NaN,
      false,
      'manual',
    );
    this.resetEpisode(s, o, k);
    if (desc.kind === 'threshold') {
      s[o + R_WARN_SINCE] = NONE;
      s[o + R_CRIT_SINCE] = NONE;
    } else if (desc.kind === 'door') {
      // A door still open counts again from the clear.
      s[o + R_WARN_SINCE] = s[o + R_LAST_LEVEL] === 1 ? at : NONE;
    } else {
      s[k + C_CLEARED_AT] = at;
    }
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
    const out: TagChange[] = [];
    const of = options.packed === true ? packedSnapshotOf : snapshotOf;
    for (const tag of this.dropped) if (!this.tags.has(tag)) out.push({ tag, snapshot: null });
    for (const st of this.changed) {
      st.dirty = false;
      // A state dropped (or replaced) after it changed is not written.
      if (this.tags.get(st.tag) === st) out.push({ tag: st.tag, snapshot: of(st) });
    }
    this.changed = [];
    this.dropped.clear();
    return out;
  }

  /**
   * Loads tag states read back from the changelog (on partition assignment,
   * before consuming). Later snapshots of a tag replace earlier ones. Snapshots
   * of another layout version are refused: those tags start afresh.
   */
  restore(snapshots: Iterable<TagSnapshot>): RestoreResult {
    const result: RestoreResult = { restored: 0, refused: [] };
    for (const snap of snapshots) {
      const problem = snapshotProblem(snap);
      if (problem !== undefined) {
        result.refused.push({ tag: String(snap?.tag), problem });
        continue;
      }
      this.tags.set(snap.tag, stateFromSnapshot(snap, this.opts.initialBufferSlots));
      result.restored++;
    }
    return result;
  }

  /** Drops a tag's state (no events), for example when its partition is revoked. */
  dropTag(tag: string): void {
    this.tags.delete(tag);
    this.dropped.delete(tag);
  }

  /** Drops every tag's state (no events). Hub statuses are kept. */
  dropAllTags(): void {
    this.tags.clear();
    this.changed = [];
    this.dropped.clear();
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
    const c = this.compiled.get(st.profileId);
    if (c === undefined || c.layout !== st.layout) return undefined;
    const k = this.opts.mktActivationEnergyOverRK;
    const result: TagStatistics = {
      tenantId,
      tag,
      profileId: st.profileId,
      profileVersion: st.profileVersion,
      overall: summarize(st, c, SCOPE_TAG, k),
    };
    if (st.tripId !== null)
      result.trip = {
        tripId: st.tripId,
        startedAt: st.slab[H_TRIP_STARTED_AT],
        statistics: summarize(st, c, SCOPE_TRIP, k),
      };
    return result;
  }

  /** The active alarms of a tag. */
  activeAlarms(tenantId: string, tag: string): ActiveAlarm[] {
    const st = this.tags.get(tag);
    if (st === undefined || st.tenantId !== tenantId) return [];
    const s = st.slab;
    const out: ActiveAlarm[] = [];
    for (const d of RULE_CATALOG) {
      const o = st.layout.offsets[d.slot];
      const k = st.layout.cold[d.slot];
      if (o < 0) continue;
      if (s[o + R_SEV] > 0)
        out.push({
          rule: d.id,
          severity: SEVERITY_NAME[s[o + R_SEV]],
          startedAt: s[k + C_EPISODE_START],
          acknowledged: s[k + C_ACKED] === 1,
        });
      if (s[k + C_BUDGET_RAISED] > 0)
        out.push({
          rule: d.budgetId,
          severity: SEVERITY_NAME[s[k + C_BUDGET_RAISED]],
          startedAt: s[k + C_BUDGET_STARTED],
          acknowledged: false,
        });
    }
    return out;
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
    if (st.dirty) return;
    st.dirty = true;
    this.changed.push(st);
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
      st = this.createState(rec, c);
    } else if (st.layout !== c.layout) {
      this.migrate(st, c);
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
      this.diagnose(
        'unsorted_record',
        st,
        rec.hub,
        readings.length,
        readings[0]?.ts,
        readings[readings.length - 1]?.ts,
      );
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
        this.diagnose('buffer_overflow', st, rec.hub, 1, ts, ts);
        this.releaseUpTo(st, c, trip, s[st.layout.size]);
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
      this.releaseUpTo(st, c, trip, s[H_MAX_TS] - o.reorderToleranceMs);
    }
    if (tally.tooLate > 0)
      this.diagnose('too_late', st, rec.hub, tally.tooLate, tally.tooLateFirst, tally.tooLateLast);
    if (tally.future > 0)
      this.diagnose('future_timestamp', st, rec.hub, tally.future, tally.futureFirst, tally.futureLast);
    if (tally.stale > 0)
      this.diagnose('stale_timestamp', st, rec.hub, tally.stale, tally.staleFirst, tally.staleLast);
  }

  /** A new record of the tag arrived: last heard, hub, position; absence alarms end; hub clock checked. */
  private heard(st: TagState, c: CompiledProfile, rec: TelemetryRecord): void {
    const s = st.slab;
    s[H_LAST_HEARD_AT] = rec.receivedAt;
    st.hub = rec.hub;
    if (rec.gps !== undefined) st.gps = rec.gps;
    if (this.hubsOffline.size > 0) {
      const offlineSince = this.hubsOffline.get(rec.hub);
      if (offlineSince !== undefined && offlineSince < rec.receivedAt) this.hubsOffline.delete(rec.hub);
    }
    // The flag spares the rule blocks a visit on every record; it may be stale-set, never stale-clear.
    if (s[H_ABSENCE_ACTIVE] !== 0) {
      let still = false;
      if (c.silent !== null) {
        this.clearAbsence(st, c, c.silent, rec.receivedAt, 'heard');
        still = s[c.silent.offset + R_SEV] > 0;
      }
      if (c.hubOffline !== null) {
        this.clearAbsence(st, c, c.hubOffline, rec.receivedAt, 'heard');
        still ||= s[c.hubOffline.offset + R_SEV] > 0;
      }
      s[H_ABSENCE_ACTIVE] = still ? 1 : 0;
    }
    const skew = rec.receivedAt - rec.sentAt;
    if (skew > this.opts.hubClockSkewToleranceMs || skew < -this.opts.hubClockSkewToleranceMs) {
      this.count.hubClockSkews++;
      // One diagnostic per hub per call: a skewed hub sends one record per tag.
      this.skewByHub ??= new Map();
      const d = this.skewByHub.get(rec.hub);
      if (d !== undefined) d.count++;
      else {
        const diag = this.diagnose('hub_clock_skew', st, rec.hub, 1, undefined, undefined, skew);
        this.skewByHub.set(rec.hub, diag);
      }
    }
  }

  private createState(rec: TelemetryRecord, c: CompiledProfile): TagState {
    const st = new TagState(
      rec.tenantId,
      rec.tag,
      rec.hub,
      c.layout,
      c.id,
      c.version,
      this.opts.initialBufferSlots,
    );
    for (const d of RULE_CATALOG) {
      const off = c.layout.offsets[d.slot];
      if (off >= 0) initRule(st.slab, off, c.layout.cold[d.slot], d.kind);
    }
    this.tags.set(rec.tag, st);
    return st;
  }

  /** Evaluates, in measured order, the buffered readings measured at or before `limit`. */
  private releaseUpTo(st: TagState, c: CompiledProfile, trip: Trip | undefined, limit: number): void {
    const s = st.slab;
    const base = st.layout.size;
    const n = s[H_BUF_N];
    let i = 0;
    while (i < n) {
      const at = base + i * B_FIELDS;
      if (s[at] > limit) break;
      this.evaluateReading(
        st,
        c,
        trip,
        s[at],
        s[at + 1],
        s[at + 2],
        s[at + 3],
        s[at + 4],
        s[at + 5],
        s[at + 6],
      );
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

  private evaluateReading(
    st: TagState,
    c: CompiledProfile,
    trip: Trip | undefined,
    ts: number,
    temperature: number,
    humidity: number,
    co2: number,
    battery: number,
    door: number,
    receivedAt: number,
  ): void {
    const s = st.slab;
    const o = this.opts;
    this.count.evaluated++;
    const late = receivedAt - ts > o.lateAfterMs;
    if (late) this.count.lateReadings++;
    const prev = s[H_RELEASED_TS];
    if (prev !== NONE && ts - prev > o.maxGapMs) {
      this.count.gaps++;
      this.diagnose('gap', st, st.hub, 1, prev, ts, ts - prev);
    }

    let inTrip = false;
    if (trip !== undefined && ts >= trip.startedAt && (trip.endedAt === undefined || ts < trip.endedAt)) {
      inTrip = true;
      if (st.tripId !== trip.id) {
        if (st.tripId !== null) this.endTrip(st, c, ts);
        this.startTrip(st, trip);
      }
    } else if (st.tripId !== null && this.tripOverAtReading(st, trip, ts)) {
      this.endTrip(
        st,
        c,
        trip !== undefined && trip.id === st.tripId && trip.endedAt !== undefined ? trip.endedAt : ts,
      );
    }

    s[TAG_READINGS] += 1;
    if (inTrip) s[TRIP_READINGS] += 1;
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
            ? humidity
            : metric === METRIC.co2
              ? co2
              : battery;
      if (v !== v) {
        missing = true;
        continue;
      }
      this.evaluateThreshold(st, c, r, v, ts, inTrip, late);
    }
    if (missing) this.count.missingMetrics++;
    if (c.door !== null && door === door) this.evaluateDoor(st, c, c.door, door, ts, inTrip, late);

    s[H_RELEASED_TS] = ts;
    s[H_RELEASED_RECEIVED_AT] = receivedAt;
  }

  /**
   * One reading of a threshold rule (issue 4 §1–2). In signed space
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
  private evaluateThreshold(
    st: TagState,
    c: CompiledProfile,
    r: CompiledThresholdRule,
    v: number,
    ts: number,
    inTrip: boolean,
    late: boolean,
  ): void {
    const s = st.slab;
    const o = r.offset;
    const k = r.cold;
    const sv = r.direction * v;
    const lastTs = s[o + R_LAST_TS];
    const dt = ts - lastTs;
    const continuous = dt <= this.opts.maxGapMs;
    const scheduled = r.schedule === null || r.schedule.isActive(ts);
    const active = scheduled && (!r.tripOnly || inTrip);
    const raw = sv > r.critSigned ? 2 : sv > r.warnSigned ? 1 : 0;

    if (continuous) {
      const lastLevel = s[o + R_LAST_LEVEL];
      if (lastLevel > 0) {
        s[k + ruleStatIndex(SCOPE_TAG, RS_TIME_WARN)] += dt;
        if (lastLevel === 2) s[k + ruleStatIndex(SCOPE_TAG, RS_TIME_CRIT)] += dt;
        if (inTrip) {
          const tripDt = ts - Math.max(lastTs, s[H_TRIP_STARTED_AT]);
          s[k + ruleStatIndex(SCOPE_TRIP, RS_TIME_WARN)] += tripDt;
          if (lastLevel === 2) s[k + ruleStatIndex(SCOPE_TRIP, RS_TIME_CRIT)] += tripDt;
          if (r.budgetMs > 0 && active && tripDt > 0) {
            if (s[k + C_BUDGET_STARTED] === NONE) s[k + C_BUDGET_STARTED] = ts - tripDt;
            s[k + C_BUDGET_USED] += tripDt;
          }
        }
      }
    }
    this.trackExcursion(st, o, k, raw > 0, continuous, lastTs, ts);

    let sev = s[o + R_SEV];
    if (!active) {
      if (sev > 0) {
        this.emit(
          st,
          c,
          r.desc,
          sev,
          'cleared',
          s[k + C_EPISODE_START],
          ts,
          ts,
          v,
          innerBound(r),
          late,
          scheduled ? 'trip_ended' : 'schedule',
        );
        this.resetEpisode(s, o, k);
      }
      s[o + R_WARN_SINCE] = NONE;
      s[o + R_CRIT_SINCE] = NONE;
    } else {
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
      if (target !== sev) {
        if (sev === 0) {
          // The episode began when the inner condition began (warning implies from critical's bound upward).
          const start = r.hasWarning ? warnSince : critSince;
          s[k + C_EPISODE_START] = start;
          s[k + C_ACTIVE_SINCE] = ts;
          s[k + C_REMINDER_K] = 0;
          s[k + C_ACKED] = 0;
          this.emit(
            st,
            c,
            r.desc,
            target,
            'raised',
            start,
            undefined,
            ts,
            v,
            target === 2 ? r.critBound : r.warnBound,
            late,
          );
        } else if (target === 0) {
          this.emit(
            st,
            c,
            r.desc,
            sev,
            'cleared',
            s[k + C_EPISODE_START],
            ts,
            ts,
            v,
            innerBound(r),
            late,
            'returned',
          );
          this.resetEpisode(s, o, k);
        } else {
          this.emit(
            st,
            c,
            r.desc,
            target,
            target > sev ? 'escalated' : 'downgraded',
            s[k + C_EPISODE_START],
            undefined,
            ts,
            v,
            target === 2 ? r.critBound : r.warnBound,
            late,
          );
        }
        s[o + R_SEV] = target;
        sev = target;
      } else if (sev > 0 && r.repeatMs > 0) {
        this.remind(st, c, r.desc, r.repeatMs, ts, v, sev === 2 ? r.critBound : r.warnBound, late);
      }
    }

    if (r.budgetMs > 0) this.checkBudget(st, c, r, ts, late);
    s[o + R_LAST_TS] = ts;
    s[o + R_LAST_LEVEL] = raw;
  }

  /**
   * One door reading (1 open, 0 closed). The door is taken to keep its last
   * reported state between readings no further apart than `maxGapMs`; the
   * alarm is raised when it has been open for a level's `afterMs`.
   */
  private evaluateDoor(
    st: TagState,
    c: CompiledProfile,
    r: CompiledDurationRule,
    open: number,
    ts: number,
    inTrip: boolean,
    late: boolean,
  ): void {
    const s = st.slab;
    const o = r.offset;
    const k = r.cold;
    const lastTs = s[o + R_LAST_TS];
    const dt = ts - lastTs;
    const continuous = dt <= this.opts.maxGapMs;
    const scheduled = r.schedule === null || r.schedule.isActive(ts);
    const active = scheduled && (!r.tripOnly || inTrip);
    if (continuous && s[o + R_LAST_LEVEL] === 1) {
      s[k + ruleStatIndex(SCOPE_TAG, RS_TIME_WARN)] += dt;
      if (inTrip) {
        const tripDt = ts - Math.max(lastTs, s[H_TRIP_STARTED_AT]);
        s[k + ruleStatIndex(SCOPE_TRIP, RS_TIME_WARN)] += tripDt;
        if (r.budgetMs > 0 && active && tripDt > 0) {
          if (s[k + C_BUDGET_STARTED] === NONE) s[k + C_BUDGET_STARTED] = ts - tripDt;
          s[k + C_BUDGET_USED] += tripDt;
        }
      }
    }
    this.trackExcursion(st, o, k, open === 1, continuous, lastTs, ts);

    const sev = s[o + R_SEV];
    if (!active) {
      if (sev > 0) {
        this.emit(
          st,
          c,
          r.desc,
          sev,
          'cleared',
          s[k + C_EPISODE_START],
          ts,
          ts,
          Number.NaN,
          Number.NaN,
          late,
          scheduled ? 'trip_ended' : 'schedule',
        );
        this.resetEpisode(s, o, k);
      }
      s[o + R_WARN_SINCE] = NONE;
    } else if (open === 1) {
      let since = s[o + R_WARN_SINCE];
      if (since === NONE || !continuous) since = ts;
      s[o + R_WARN_SINCE] = since;
      this.durationStep(st, c, r, since, ts, late);
    } else {
      if (sev > 0) {
        const openMin = (ts - s[k + C_EPISODE_START]) / MINUTE_MS;
        this.emit(
          st,
          c,
          r.desc,
          sev,
          'cleared',
          s[k + C_EPISODE_START],
          ts,
          ts,
          openMin,
          levelMinutes(r, sev),
          late,
          'closed',
        );
        this.resetEpisode(s, o, k);
      }
      s[o + R_WARN_SINCE] = NONE;
    }
    if (r.budgetMs > 0) this.checkBudget(st, c, r, ts, late);
    s[o + R_LAST_TS] = ts;
    s[o + R_LAST_LEVEL] = open;
  }

  /**
   * Level of a duration rule whose condition holds since `since`, judged at
   * `t`. Raises or escalates only (a held condition only grows); the
   * transition time in the key is `since + afterMs` of the level, whoever
   * (reading or tick) noticed it.
   */
  private durationStep(
    st: TagState,
    c: CompiledProfile,
    r: CompiledDurationRule,
    since: number,
    t: number,
    late: boolean,
  ): void {
    const s = st.slab;
    const o = r.offset;
    const k = r.cold;
    const held = t - since;
    const level = held >= r.critAfterMs ? 2 : held >= r.warnAfterMs ? 1 : 0;
    const sev = s[o + R_SEV];
    if (level > sev) {
      const at = since + (level === 2 ? r.critAfterMs : r.warnAfterMs);
      if (sev === 0) {
        s[k + C_EPISODE_START] = since;
        s[k + C_ACTIVE_SINCE] = at;
        s[k + C_REMINDER_K] = 0;
        s[k + C_ACKED] = 0;
      }
      this.emit(
        st,
        c,
        r.desc,
        level,
        sev === 0 ? 'raised' : 'escalated',
        since,
        undefined,
        at,
        held / MINUTE_MS,
        levelMinutes(r, level),
        late,
      );
      s[o + R_SEV] = level;
      if (r.desc.kind === 'absence') s[H_ABSENCE_ACTIVE] = 1;
    } else if (sev > 0 && r.repeatMs > 0) {
      this.remind(st, c, r.desc, r.repeatMs, t, held / MINUTE_MS, levelMinutes(r, sev), late);
    }
  }

  /**
   * Reminder n is due at activeSince + n × repeat; when several are due at
   * once (a flushed buffer, a slow tick) only the latest is sent. None for
   * late readings (history being replayed) or acknowledged alarms; the count
   * still advances, so reminders resume on schedule.
   */
  private remind(
    st: TagState,
    c: CompiledProfile,
    desc: RuleDescriptor,
    repeatMs: number,
    t: number,
    value: number,
    bound: number,
    late: boolean,
  ): void {
    const s = st.slab;
    const o = st.layout.offsets[desc.slot];
    const k = st.layout.cold[desc.slot];
    const n = Math.floor((t - s[k + C_ACTIVE_SINCE]) / repeatMs);
    if (n <= s[k + C_REMINDER_K]) return;
    s[k + C_REMINDER_K] = n;
    if (late || s[k + C_ACKED] === 1) return;
    this.emit(
      st,
      c,
      desc,
      s[o + R_SEV],
      'reminder',
      s[k + C_EPISODE_START],
      undefined,
      s[k + C_ACTIVE_SINCE] + n * repeatMs,
      value,
      bound,
      false,
    );
  }

  /** Excursion statistics: runs of readings beyond the inner bound (door: open), closed by a return or a gap. */
  private trackExcursion(
    st: TagState,
    o: number,
    k: number,
    beyond: boolean,
    continuous: boolean,
    lastTs: number,
    ts: number,
  ): void {
    const s = st.slab;
    const start = s[o + R_EXC_START];
    if (start !== NONE && (!continuous || !beyond)) {
      // After a gap the excursion is known to last only until the last reading before it.
      this.closeExcursion(st, k, start, continuous ? ts : lastTs);
      s[o + R_EXC_START] = NONE;
    }
    if (beyond && s[o + R_EXC_START] === NONE) s[o + R_EXC_START] = ts;
  }

  private closeExcursion(st: TagState, k: number, start: number, end: number): void {
    const s = st.slab;
    addExcursion(s, k + ruleStatIndex(SCOPE_TAG, 0), end - start);
    if (st.tripId !== null) {
      const tripDuration = end - Math.max(start, s[H_TRIP_STARTED_AT]);
      if (tripDuration >= 0) addExcursion(s, k + ruleStatIndex(SCOPE_TRIP, 0), tripDuration);
    }
  }

  /** Raises `<rule>.budget` once per trip when the cumulative time out of range reaches the budget. */
  private checkBudget(
    st: TagState,
    c: CompiledProfile,
    r: CompiledThresholdRule | CompiledDurationRule,
    ts: number,
    late: boolean,
  ): void {
    const s = st.slab;
    const k = r.cold;
    if (st.tripId === null || s[k + C_BUDGET_RAISED] > 0 || s[k + C_BUDGET_USED] < r.budgetMs) return;
    // The raised flag holds the alarm's severity code, so it can be cleared even after the rule is gone.
    s[k + C_BUDGET_RAISED] = r.budgetSeverity === 'critical' ? 2 : 1;
    this.emitBudget(st, c, r, 'raised', undefined, ts, late);
  }

  // ---- time-driven rules ------------------------------------------------------------

  /**
   * A door last reported open, on a tag still reporting (heard within
   * `maxGapMs`) but with nothing new to evaluate: judged at the measured time
   * projected from the last evaluated reading, minus the reorder window (so a
   * reading still on its way can close it first).
   */
  private tickDoor(
    st: TagState,
    c: CompiledProfile,
    r: CompiledDurationRule,
    trip: Trip | undefined,
    now: number,
  ): void {
    const s = st.slab;
    const o = r.offset;
    const since = s[o + R_WARN_SINCE];
    if (s[o + R_LAST_LEVEL] !== 1 || since === NONE || now - s[H_LAST_HEARD_AT] > this.opts.maxGapMs) return;
    const projected = s[H_RELEASED_TS] + (now - s[H_RELEASED_RECEIVED_AT]) - this.opts.reorderToleranceMs;
    const scheduled = r.schedule === null || r.schedule.isActive(projected);
    if (!scheduled || (r.tripOnly && !inTripAt(trip, projected))) return; // the next reading decides
    this.durationStep(st, c, r, since, projected, false);
  }

  /** `tag.silent` / `hub.offline` on processing time: the condition holds since `since`. */
  private tickAbsence(
    st: TagState,
    c: CompiledProfile,
    r: CompiledDurationRule,
    trip: Trip | undefined,
    now: number,
    since: number,
  ): void {
    const s = st.slab;
    const o = r.offset;
    const k = r.cold;
    const scheduled = r.schedule === null || r.schedule.isActive(now);
    if (!scheduled || (r.tripOnly && !inTripAt(trip, now))) {
      if (s[o + R_SEV] > 0) {
        this.emit(
          st,
          c,
          r.desc,
          s[o + R_SEV],
          'cleared',
          s[k + C_EPISODE_START],
          now,
          now,
          Number.NaN,
          Number.NaN,
          false,
          scheduled ? 'trip_ended' : 'schedule',
        );
        this.resetEpisode(s, o, k);
      }
      return;
    }
    const from = Math.max(since, s[k + C_CLEARED_AT]);
    if (from === NONE) return;
    this.durationStep(st, c, r, from, now, false);
  }

  /** Ends an absence alarm because the tag or its hub was heard at `at`. Returns true when it did. */
  private clearAbsence(
    st: TagState,
    c: CompiledProfile,
    r: CompiledDurationRule,
    at: number,
    reason: ClearReason,
  ): boolean {
    const s = st.slab;
    const o = r.offset;
    const k = r.cold;
    const sev = s[o + R_SEV];
    if (sev === 0 || !(at > s[k + C_EPISODE_START])) return false;
    const lasted = (at - s[k + C_EPISODE_START]) / MINUTE_MS;
    this.emit(
      st,
      c,
      r.desc,
      sev,
      'cleared',
      s[k + C_EPISODE_START],
      at,
      at,
      lasted,
      levelMinutes(r, sev),
      false,
      reason,
    );
    this.resetEpisode(s, o, k);
    return true;
  }

  // ---- trips ---------------------------------------------------------------------------

  private tripOverAtReading(st: TagState, trip: Trip | undefined, ts: number): boolean {
    if (trip === undefined || trip.id !== st.tripId) return true;
    // A reading measured before the trip's start is late, not a sign the trip ended.
    return trip.endedAt !== undefined && ts >= trip.endedAt;
  }

  private tripOverAt(st: TagState, trip: Trip | undefined, now: number): boolean {
    if (trip === undefined || trip.id !== st.tripId) return true;
    return trip.endedAt !== undefined && now - trip.endedAt >= this.opts.reorderToleranceMs;
  }

  private startTrip(st: TagState, trip: Trip): void {
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
  private endTrip(st: TagState, c: CompiledProfile, endedAt: number): void {
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
    const mktK = this.opts.mktActivationEnergyOverRK;
    this.out.tripSummaries.push({
      tenantId: st.tenantId,
      tag: st.tag,
      tripId: st.tripId ?? '',
      startedAt: tripStart,
      endedAt,
      profileId: c.id,
      profileVersion: c.version,
      statistics: summarize(st, c, SCOPE_TRIP, mktK),
    });
    for (const d of RULE_CATALOG) {
      const r = c.bySlot[d.slot];
      if (r === null) continue;
      const o = r.offset;
      const k = r.cold;
      if (s[k + C_BUDGET_RAISED] > 0)
        this.emitBudget(st, c, r, 'cleared', endedAt, endedAt, false, 'trip_ended');
      if (r.tripOnly && s[o + R_SEV] > 0) {
        this.emit(
          st,
          c,
          d,
          s[o + R_SEV],
          'cleared',
          s[k + C_EPISODE_START],
          endedAt,
          endedAt,
          Number.NaN,
          Number.NaN,
          false,
          'trip_ended',
        );
        this.resetEpisode(s, o, k);
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

  // ---- profiles --------------------------------------------------------------------------

  /**
   * The compiled profile for a tag: compiled once per (id, version), looked up
   * by id on the hot path. A profile that fails validation (it should have
   * been refused when saved) is reported once; the last valid version of it
   * stays in use, or the tag is not evaluated if there is none.
   */
  private compiledFor(
    profile: Profile | undefined,
    tenantId: string,
    tag: string,
    hub: string,
  ): CompiledProfile | undefined {
    if (profile === undefined) return undefined;
    const cached = this.compiled.get(profile.id);
    if (cached !== undefined && cached.version === profile.version && cached.tenantId === profile.tenantId)
      return cached;
    if (this.refused.get(profile.id) === profile.version) return cached;
    try {
      const c = this.compiler.compile(profile);
      this.compiled.set(profile.id, c);
      return c;
    } catch (err) {
      if (!(err instanceof InvalidProfileError)) throw err;
      this.refused.set(profile.id, profile.version);
      this.count.invalidProfiles++;
      this.out.diagnostics.push({
        kind: 'invalid_profile',
        tenantId,
        tag,
        hub,
        count: 1,
        profileId: profile.id,
        profileVersion: profile.version,
        message: err.message,
      });
      return cached;
    }
  }

  /**
   * The tag's profile changed its set of rules: re-lay the slab, keeping the
   * state of rules present in both; alarms of removed rules are cleared
   * (reason `rule_removed`, ended at the last evaluated measured time).
   */
  private migrate(st: TagState, c: CompiledProfile): void {
    const old = st.slab;
    const from = st.layout;
    const to = c.layout;
    const buffered = old[H_BUF_N] * B_FIELDS;
    const next = newSlab(to.size + Math.max(buffered, this.opts.initialBufferSlots * B_FIELDS));
    next.fill(0);
    copyRange(old, 0, HEADER_SIZE, next, 0);
    const endedAt = old[H_RELEASED_TS];
    for (const d of RULE_CATALOG) {
      const fo = from.offsets[d.slot];
      const fk = from.cold[d.slot];
      const to_ = to.offsets[d.slot];
      const tk = to.cold[d.slot];
      if (fo >= 0 && to_ >= 0) {
        copyRange(old, fo, fo + HOT_SIZE, next, to_);
        copyRange(old, fk, fk + coldSize(d.kind), next, tk);
      } else if (to_ >= 0) initRule(next, to_, tk, d.kind);
      else if (fo >= 0) {
        if (old[fo + R_SEV] > 0)
          this.emitRaw(
            st,
            c,
            d.id,
            d.unit,
            old[fo + R_SEV],
            'cleared',
            old[fk + C_EPISODE_START],
            endedAt,
            endedAt,
            Number.NaN,
            Number.NaN,
            false,
            'rule_removed',
          );
        if (old[fk + C_BUDGET_RAISED] > 0)
          this.emitRaw(
            st,
            c,
            d.budgetId,
            'min',
            old[fk + C_BUDGET_RAISED],
            'cleared',
            old[fk + C_BUDGET_STARTED],
            endedAt,
            endedAt,
            Number.NaN,
            Number.NaN,
            false,
            'rule_removed',
          );
      }
    }
    copyRange(old, from.size, from.size + buffered, next, to.size);
    st.slab = next;
    st.layout = to;
  }

  /** The tag loses its state (profile removed, tenant changed): active alarms are cleared. */
  private retire(st: TagState, reason: ClearReason): void {
    const s = st.slab;
    const c = this.compiled.get(st.profileId);
    const at = s[H_RELEASED_TS] === NONE ? this.now : s[H_RELEASED_TS];
    for (const d of RULE_CATALOG) {
      const o = st.layout.offsets[d.slot];
      const k = st.layout.cold[d.slot];
      if (o < 0) continue;
      if (s[o + R_SEV] > 0)
        this.emitRaw(
          st,
          c,
          d.id,
          d.unit,
          s[o + R_SEV],
          'cleared',
          s[k + C_EPISODE_START],
          at,
          at,
          Number.NaN,
          Number.NaN,
          false,
          reason,
        );
      if (s[k + C_BUDGET_RAISED] > 0)
        this.emitRaw(
          st,
          c,
          d.budgetId,
          'min',
          s[k + C_BUDGET_RAISED],
          'cleared',
          s[k + C_BUDGET_STARTED],
          at,
          at,
          Number.NaN,
          Number.NaN,
          false,
          reason,
        );
    }
    this.tags.delete(st.tag);
    this.dropped.add(st.tag);
  }

  // ---- events ------------------------------------------------------------------------------

  private resetEpisode(s: Slab, o: number, k: number): void {
    s[o + R_SEV] = 0;
    s[k + C_EPISODE_START] = NONE;
    s[k + C_ACTIVE_SINCE] = NONE;
    s[k + C_REMINDER_K] = 0;
    s[k + C_ACKED] = 0;
  }

  private emit(
    st: TagState,
    c: CompiledProfile,
    desc: RuleDescriptor,
    sev: number,
    transition: AlertTransition,
    startedAt: number,
    endedAt: number | undefined,
    at: number,
    value: number,
    bound: number,
    late: boolean,
    reason?: ClearReason,
  ): void {
    this.emitRaw(
      st,
      c,
      desc.id,
      desc.unit,
      sev,
      transition,
      startedAt,
      endedAt,
      at,
      value,
      bound,
      late,
      reason,
    );
  }

  private emitBudget(
    st: TagState,
    c: CompiledProfile,
    r: CompiledThresholdRule | CompiledDurationRule,
    transition: 'raised' | 'cleared',
    endedAt: number | undefined,
    at: number,
    late: boolean,
    reason?: ClearReason,
  ): void {
    const s = st.slab;
    const k = r.cold;
    this.emitRaw(
      st,
      c,
      r.desc.budgetId,
      'min',
      s[k + C_BUDGET_RAISED] > 0 ? s[k + C_BUDGET_RAISED] : r.budgetSeverity === 'critical' ? 2 : 1,
      transition,
      s[k + C_BUDGET_STARTED],
      endedAt,
      at,
      s[k + C_BUDGET_USED] / MINUTE_MS,
      r.budgetMs / MINUTE_MS,
      late,
      reason,
    );
  }

  /**
   * Builds one event. The key is made of data only — tenant, tag, rule,
   * measured start of the episode, transition, severity and the transition's
   * own time — so the same transition gets the same key on any instance and
   * after any redelivery; consumers de-duplicate on it.
   */
  private emitRaw(
    st: TagState,
    c: CompiledProfile | undefined,
    rule: string,
    unit: string,
    sev: number,
    transition: AlertTransition,
    startedAt: number,
    endedAt: number | undefined,
    at: number,
    value: number,
    bound: number,
    late: boolean,
    reason?: ClearReason,
  ): void {
    const severity = SEVERITY_NAME[sev];
    const event: AlarmEvent = {
      v: 1,
      key: `${st.tenantId}/${st.tag}/${rule}/${startedAt}/${transition}/${severity}/${at}`,
      tenantId: st.tenantId,
      tag: st.tag,
      hub: st.hub,
      profileId: c?.id ?? st.profileId,
      profileVersion: c?.version ?? st.profileVersion,
      rule,
      severity,
      transition,
      startedAt,
      late,
      emittedAt: this.now,
    };
    if (endedAt !== undefined) event.endedAt = endedAt;
    if (value === value) event.value = value;
    if (bound === bound) event.bound = bound;
    event.unit = unit;
    if (st.gps !== undefined) event.position = st.gps;
    if (reason !== undefined) event.reason = reason;
    this.out.events.push(event);
    this.count.events++;
  }

  private diagnose(
    kind: DiagnosticKind,
    st: TagState,
    hub: string,
    count: number,
    firstTs: number | undefined,
    lastTs: number | undefined,
    detailMs?: number,
  ): EngineDiagnostic {
    const d: EngineDiagnostic = {
      kind,
      tenantId: st.tenantId,
      tag: st.tag,
      hub,
      count,
      message: DIAGNOSTIC_TEXT[kind],
    };
    if (firstTs !== undefined) d.firstTs = firstTs;
    if (lastTs !== undefined) d.lastTs = lastTs;
    if (detailMs !== undefined) d.detailMs = detailMs;
    this.out.diagnostics.push(d);
    return d;
  }
}

const DIAGNOSTIC_TEXT: Record<DiagnosticKind, string> = {
  too_late:
    'readings measured before what was already evaluated (beyond the reorder window): stored, not evaluated',
  future_timestamp: 'readings measured after they were received: hub clock ahead; not evaluated',
  stale_timestamp: 'readings measured far before the hub sent them: clock behind; not evaluated',
  hub_clock_skew: 'hub send time differs from gateway receive time (detailMs = receive − send)',
  unsorted_record: 'readings of one record were not in measured order; evaluated sorted',
  gap: 'no reading for longer than maxGapMs: alarm delays restarted, nothing counted across the gap',
  buffer_overflow: 'reorder buffer full: oldest reading evaluated early',
  invalid_profile: 'profile fails validation; last valid version kept',
};

function num(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) ? x : Number.NaN;
}

function doorCode(d: DoorState | undefined): number {
  return d === 'open' ? 1 : d === 'closed' ? 0 : Number.NaN;
}

function isSortedByTs(readings: readonly { ts: number }[]): boolean {
  for (let i = 1; i < readings.length; i++) if (readings[i].ts < readings[i - 1].ts) return false;
  return true;
}

function copyRange(from: Slab, start: number, end: number, to: Slab, at: number): void {
  for (let i = start; i < end; i++) to[at + i - start] = from[i];
}

function addTemperature(s: Slab, base: number, celsius: number, mktTermValue: number): void {
  s[base] += 1;
  if (celsius < s[base + T_MIN]) s[base + T_MIN] = celsius;
  if (celsius > s[base + T_MAX]) s[base + T_MAX] = celsius;
  s[base + T_SUM] += celsius;
  s[base + T_MKT] += mktTermValue;
}

function addExcursion(s: Slab, statsBase: number, duration: number): void {
  s[statsBase + RS_EXC_COUNT] += 1;
  s[statsBase + RS_EXC_TOTAL] += duration;
  if (duration > s[statsBase + RS_EXC_LONGEST]) s[statsBase + RS_EXC_LONGEST] = duration;
}

function innerBound(r: CompiledThresholdRule): number {
  return r.hasWarning ? r.warnBound : r.critBound;
}

function levelMinutes(r: CompiledDurationRule, sev: number): number {
  return (sev === 2 ? r.critAfterMs : r.warnAfterMs) / MINUTE_MS;
}

function inTripAt(trip: Trip | undefined, t: number): boolean {
  return trip !== undefined && t >= trip.startedAt && (trip.endedAt === undefined || t < trip.endedAt);
}
