import { RULE_CATALOG, RULE_COUNT, type RuleKind } from '../rules/rule-catalog.js';

/**
 * Per-tag numeric state lives in one array of doubles (the "slab") so that
 * 100,000 tags fit the memory target (< 200 MB) and the hot
 * path writes numbers in place without boxing them. The slab is:
 *
 *   [header][hot part of each rule][cold part of each rule][reorder buffer]
 *
 * Times are epoch ms; `NONE` (−Infinity) marks "no such time", which makes
 * `ts − NONE` an infinite gap, so a first reading behaves like one after a gap.
 * Bump `SLAB_LAYOUT_VERSION` whenever an index below changes: snapshots of
 * another version are refused on restore.
 */
export const SLAB_LAYOUT_VERSION = 1;

export const NONE = -Infinity;

/**
 * A slab: a plain JS array that only ever holds numbers, so V8 keeps it in
 * packed-double form (unboxed 8-byte elements on the JS heap). Measured in
 * bench/alarm-engine.bench.ts against a Float64Array (whose elements sit in an
 * off-heap backing store behind two more objects): about 130 bytes less per
 * tag, same cost per reading. Never write a non-number into it: that would
 * turn it into an array of boxed values.
 */
export type Slab = number[];

/** Exact-length packed-double arrays are cut from this (slice keeps the elements kind and sizes exactly). */
let template: number[] = [0.5];

/** A slab of `length` elements (values to be initialised by the caller). */
export function newSlab(length: number): Slab {
  if (template.length < length) {
    const t: number[] = [];
    for (let i = 0; i < Math.max(length, 2 * template.length); i++) t.push(0.5);
    template = t;
  }
  return template.slice(0, length);
}

// ---- header ----------------------------------------------------------------
/** Newest measured ts accepted for this tag (evaluated or still buffered). */
export const H_MAX_TS = 0;
/** Measured ts of the newest evaluated reading: the tag's evaluation horizon. */
export const H_RELEASED_TS = 1;
/** Gateway receive time of that reading's record. */
export const H_RELEASED_RECEIVED_AT = 2;
/** Newest gateway receive time of any record of this tag ("last heard"). */
export const H_LAST_HEARD_AT = 3;
/** Start of the trip the tag is on, NONE when not on a trip. */
export const H_TRIP_STARTED_AT = 4;
/** Readings in the reorder buffer. */
export const H_BUF_N = 5;
/** 1 when an absence rule (tag.silent, hub.offline) may be active: spares a visit to those blocks per record. */
export const H_ABSENCE_ACTIVE = 6;
/** Statistics scopes: the tag since its state was created, and the current trip. */
export const SCOPE_TAG = 0;
export const SCOPE_TRIP = 1;
const H_SCOPES = 7;
/** Per-scope statistics of the whole tag (not per rule). */
export const SC_READINGS = 0;
export const SC_T_N = 1;
export const SC_T_MIN = 2;
export const SC_T_MAX = 3;
export const SC_T_SUM = 4;
/** Σ e^(−ΔH/(R·T)), T in kelvin: the mean kinetic temperature accumulator. */
export const SC_T_MKT_SUM = 5;
export const SC_SIZE = 6;
/** Index of scope `scope`'s field `field` in the header. */
export const scopeIndex = (scope: number, field: number): number => H_SCOPES + scope * SC_SIZE + field;
export const HEADER_SIZE = H_SCOPES + 2 * SC_SIZE;

// ---- rule blocks ---------------------------------------------------------------
// Each rule has a hot part, read and written by every reading, and a cold part,
// touched only around transitions and excursions. All hot parts sit together
// right after the header, so a reading visits a few adjacent cache lines
// instead of one scattered block per rule.

// Hot part, at `layout.offsets[slot]`.
/** Current severity: 0 none, 1 warning, 2 critical. */
export const R_SEV = 0;
/** Measured ts of the last reading this rule evaluated. */
export const R_LAST_TS = 1;
/** Raw level of that reading, without hysteresis: 0 within, 1 beyond warning, 2 beyond critical (door: 1 open). */
export const R_LAST_LEVEL = 2;
/** Since when the warning condition holds continuously (door: since when open), NONE if it does not. */
export const R_WARN_SINCE = 3;
/** Since when the critical condition holds continuously, NONE if it does not. */
export const R_CRIT_SINCE = 4;
/** Start of the current raw excursion (beyond the inner bound), NONE when within. */
export const R_EXC_START = 5;
export const HOT_SIZE = 6;

// Cold part, at `layout.cold[slot]`.
/** Measured start of the active episode (the alert's `startedAt`). */
export const C_EPISODE_START = 0;
/** When the episode was raised; reminders count from here. */
export const C_ACTIVE_SINCE = 1;
/** Index of the last reminder sent (0 = none yet). */
export const C_REMINDER_K = 2;
/** 1 when the active episode was acknowledged: no reminders, still active. */
export const C_ACKED = 3;
/** Time out of range counted in the current trip, ms. */
export const C_BUDGET_USED = 4;
/** Severity code (1 warning, 2 critical) of the current trip's budget alarm once raised, else 0. */
export const C_BUDGET_RAISED = 5;
/** Measured ts at which the current trip's budget started being used, NONE if unused. */
export const C_BUDGET_STARTED = 6;
/** Time of the last manual clear; an absence rule counts from max(its natural start, this). */
export const C_CLEARED_AT = 7;
const C_STATE_SIZE = 8;
/** Per-scope statistics of the rule, after the cold state. */
export const RS_TIME_WARN = 0; // ms beyond the warning bound (door: ms open)
export const RS_TIME_CRIT = 1; // ms beyond the critical bound
export const RS_EXC_COUNT = 2; // excursions (door: openings) that ended
export const RS_EXC_TOTAL = 3; // their total duration, ms
export const RS_EXC_LONGEST = 4; // the longest, ms
export const RS_SIZE = 5;
/** Offset, within a cold part, of scope `scope`'s statistic `field`. */
export const ruleStatIndex = (scope: number, field: number): number => C_STATE_SIZE + scope * RS_SIZE + field;

/** Size of a rule's cold part; absence rules keep no statistics. */
export function coldSize(kind: RuleKind): number {
  return kind === 'absence' ? C_STATE_SIZE : C_STATE_SIZE + 2 * RS_SIZE;
}

// ---- reorder buffer ------------------------------------------------------------
/** One buffered reading: measured ts, the five metrics (NaN when absent; door 1 open, 0 closed), gateway receive time. */
export const B_TS = 0;
export const B_TEMPERATURE = 1;
export const B_HUMIDITY = 2;
export const B_CO2 = 3;
export const B_BATTERY = 4;
export const B_DOOR = 5;
export const B_RECEIVED_AT = 6;
export const B_FIELDS = 7;

/**
 * Where each rule's parts sit for one set of rules (a bit mask over rule
 * slots): header, hot parts, cold parts, then the reorder buffer. Shared by
 * every profile with the same rules: at most 2^9 layouts.
 */
export interface SlabLayout {
  mask: number;
  /** Offset of each slot's hot part, −1 when the slot is not in the mask. */
  offsets: Int32Array;
  /** Offset of each slot's cold part, −1 when the slot is not in the mask. */
  cold: Int32Array;
  /** Header + hot + cold parts; the reorder buffer starts here. */
  size: number;
}

const layouts: (SlabLayout | undefined)[] = new Array<SlabLayout | undefined>(1 << RULE_COUNT);

export function layoutFor(mask: number): SlabLayout {
  let l = layouts[mask];
  if (l === undefined) {
    const offsets = new Int32Array(RULE_COUNT).fill(-1);
    const cold = new Int32Array(RULE_COUNT).fill(-1);
    let size = HEADER_SIZE;
    for (const r of RULE_CATALOG) {
      if ((mask & (1 << r.slot)) === 0) continue;
      offsets[r.slot] = size;
      size += HOT_SIZE;
    }
    for (const r of RULE_CATALOG) {
      if ((mask & (1 << r.slot)) === 0) continue;
      cold[r.slot] = size;
      size += coldSize(r.kind);
    }
    l = { mask, offsets, cold, size };
    layouts[mask] = l;
  }
  return l;
}

/** Writes the initial values of the header. */
export function initHeader(s: Slab): void {
  s[H_MAX_TS] = NONE;
  s[H_RELEASED_TS] = NONE;
  s[H_RELEASED_RECEIVED_AT] = NONE;
  s[H_LAST_HEARD_AT] = NONE;
  s[H_TRIP_STARTED_AT] = NONE;
  s[H_BUF_N] = 0;
  s[H_ABSENCE_ACTIVE] = 0;
  initScope(s, SCOPE_TAG);
  initScope(s, SCOPE_TRIP);
}

export function initScope(s: Slab, scope: number): void {
  s[scopeIndex(scope, SC_READINGS)] = 0;
  s[scopeIndex(scope, SC_T_N)] = 0;
  s[scopeIndex(scope, SC_T_MIN)] = Infinity;
  s[scopeIndex(scope, SC_T_MAX)] = -Infinity;
  s[scopeIndex(scope, SC_T_SUM)] = 0;
  s[scopeIndex(scope, SC_T_MKT_SUM)] = 0;
}

/** Writes the initial values of a rule's hot part at `o` and cold part at `k`. */
export function initRule(s: Slab, o: number, k: number, kind: RuleKind): void {
  s.fill(0, o, o + HOT_SIZE);
  s[o + R_LAST_TS] = NONE;
  s[o + R_WARN_SINCE] = NONE;
  s[o + R_CRIT_SINCE] = NONE;
  s[o + R_EXC_START] = NONE;
  s.fill(0, k, k + coldSize(kind));
  s[k + C_EPISODE_START] = NONE;
  s[k + C_ACTIVE_SINCE] = NONE;
  s[k + C_BUDGET_STARTED] = NONE;
  s[k + C_CLEARED_AT] = NONE;
}

/** Resets the trip-scoped statistics and budget of a rule's cold part at `k`. */
export function initRuleTrip(s: Slab, k: number, kind: RuleKind): void {
  s[k + C_BUDGET_USED] = 0;
  s[k + C_BUDGET_RAISED] = 0;
  s[k + C_BUDGET_STARTED] = NONE;
  if (kind !== 'absence') s.fill(0, k + ruleStatIndex(SCOPE_TRIP, 0), k + ruleStatIndex(SCOPE_TRIP, RS_SIZE));
}
