import type { Position } from '@coldchain/domain';
import {
  B_FIELDS,
  B_TS,
  H_BUF_N,
  initHeader,
  layoutFor,
  newSlab,
  SLAB_LAYOUT_VERSION,
  type Slab,
  type SlabLayout,
} from './slab-layout.js';

/**
 * Everything the engine keeps about one tag: a few references plus the
 * numeric slab (see slab-layout.ts). One object per tag, fixed shape.
 */
export class TagState {
  slab: Slab;
  /** Last hub that relayed the tag, and its last known position: carried by events. */
  hub: string;
  gps: Position | undefined = undefined;
  /** Trip the tag is on, null when none. */
  tripId: string | null = null;
  profileId: string;
  profileVersion: number;
  /** Listed for the next changelog write (engine bookkeeping, not serialised). */
  dirty = false;

  constructor(
    readonly tenantId: string,
    readonly tag: string,
    hub: string,
    public layout: SlabLayout,
    profileId: string,
    profileVersion: number,
    bufferSlots: number,
    slab?: Slab,
  ) {
    this.hub = hub;
    this.profileId = profileId;
    this.profileVersion = profileVersion;
    if (slab) this.slab = slab;
    else {
      this.slab = newSlab(layout.size + bufferSlots * B_FIELDS);
      initHeader(this.slab);
    }
  }

  bufferCapacity(): number {
    return (this.slab.length - this.layout.size) / B_FIELDS;
  }

  /** Grows the reorder buffer to `slots` slots, in place. */
  growBuffer(slots: number): void {
    const length = this.layout.size + slots * B_FIELDS;
    for (let i = this.slab.length; i < length; i++) this.slab.push(0);
  }
}

/**
 * Inserts a reading into the tag's reorder buffer, kept sorted by measured ts.
 * Returns false (and changes nothing) when a reading with the same ts is
 * already buffered: a duplicate. Grows the buffer when full; the caller keeps
 * its length within `maxBufferedReadingsPerTag`.
 */
export function bufferInsert(
  st: TagState,
  ts: number,
  temperature: number,
  humidity: number,
  co2: number,
  battery: number,
  door: number,
  receivedAt: number,
): boolean {
  const s = st.slab;
  const base = st.layout.size;
  const n = s[H_BUF_N];
  // Usually the reading is the newest: scan from the end.
  let j = n;
  while (j > 0 && s[base + (j - 1) * B_FIELDS + B_TS] > ts) j--;
  if (j > 0 && s[base + (j - 1) * B_FIELDS + B_TS] === ts) return false;
  if (n === st.bufferCapacity()) st.growBuffer(Math.max(1, n * 2));
  const at = base + j * B_FIELDS;
  for (let i = base + n * B_FIELDS - 1; i >= at; i--) s[i + B_FIELDS] = s[i];
  s[at] = ts;
  s[at + 1] = temperature;
  s[at + 2] = humidity;
  s[at + 3] = co2;
  s[at + 4] = battery;
  s[at + 5] = door;
  s[at + 6] = receivedAt;
  s[H_BUF_N] = n + 1;
  return true;
}

/**
 * The serialisable state of one tag, the value of its changelog record (key:
 * the tag MAC). Positional: `slab` follows slab-layout.ts for `layoutVersion`
 * and the rule set `mask`; non-finite numbers are written as strings
 * ("-Infinity", "NaN") because JSON has no such numbers.
 */
export interface TagSnapshot {
  v: 1;
  layoutVersion: number;
  tenantId: string;
  tag: string;
  hub: string;
  gps?: Position;
  tripId: string | null;
  profileId: string;
  profileVersion: number;
  mask: number;
  /**
   * JSON form: numbers, non-finite ones as strings ("NaN", "-Infinity").
   * Packed form (`takeChanges({ packed: true })`): a Float64Array, for a binary
   * codec (`packedJsonTopic`); not JSON-serialisable as is.
   */
  slab: (number | string)[] | Float64Array;
}

export function snapshotOf(st: TagState): TagSnapshot {
  // Keep only the occupied part of the reorder buffer.
  const used = st.layout.size + st.slab[H_BUF_N] * B_FIELDS;
  const slab: (number | string)[] = new Array<number | string>(used);
  for (let i = 0; i < used; i++) {
    const x = st.slab[i];
    slab[i] = Number.isFinite(x) ? x : String(x);
  }
  const snap: TagSnapshot = {
    v: 1,
    layoutVersion: SLAB_LAYOUT_VERSION,
    tenantId: st.tenantId,
    tag: st.tag,
    hub: st.hub,
    tripId: st.tripId,
    profileId: st.profileId,
    profileVersion: st.profileVersion,
    mask: st.layout.mask,
    slab,
  };
  if (st.gps !== undefined) snap.gps = st.gps;
  return snap;
}

/**
 * As {@link snapshotOf}, with the slab copied into a Float64Array: no string
 * conversion of non-finite values, one typed-array copy. For the changelog
 * writer, whose codec writes the doubles as they are.
 */
export function packedSnapshotOf(st: TagState): TagSnapshot {
  const used = st.layout.size + st.slab[H_BUF_N] * B_FIELDS;
  const slab = new Float64Array(used);
  const src = st.slab;
  for (let i = 0; i < used; i++) slab[i] = src[i];
  const snap: TagSnapshot = {
    v: 1,
    layoutVersion: SLAB_LAYOUT_VERSION,
    tenantId: st.tenantId,
    tag: st.tag,
    hub: st.hub,
    tripId: st.tripId,
    profileId: st.profileId,
    profileVersion: st.profileVersion,
    mask: st.layout.mask,
    slab,
  };
  if (st.gps !== undefined) snap.gps = st.gps;
  return snap;
}

/** Why a snapshot cannot be restored; undefined when it can. */
export function snapshotProblem(snap: TagSnapshot): string | undefined {
  if (snap?.v !== 1) return 'unknown snapshot version';
  if (snap.layoutVersion !== SLAB_LAYOUT_VERSION)
    return `slab layout ${snap.layoutVersion}, expected ${SLAB_LAYOUT_VERSION}`;
  if (!Number.isInteger(snap.mask) || snap.mask < 0 || snap.mask >= 1 << 9) return 'bad rule mask';
  if (!Array.isArray(snap.slab) && !(snap.slab instanceof Float64Array)) return 'no slab';
  const layout = layoutFor(snap.mask);
  if (snap.slab.length < layout.size) return 'slab shorter than its layout';
  if ((snap.slab.length - layout.size) % B_FIELDS !== 0) return 'truncated reorder buffer';
  return undefined;
}

/** Rebuilds a tag's state; call {@link snapshotProblem} first. */
export function stateFromSnapshot(snap: TagSnapshot, bufferSlots: number): TagState {
  const layout = layoutFor(snap.mask);
  const buffered = (snap.slab.length - layout.size) / B_FIELDS;
  const slab = newSlab(layout.size + Math.max(bufferSlots, buffered) * B_FIELDS);
  slab.fill(0);
  for (let i = 0; i < snap.slab.length; i++) {
    const x = snap.slab[i];
    slab[i] = typeof x === 'string' ? Number(x) : x;
  }
  slab[H_BUF_N] = buffered;
  const st = new TagState(
    snap.tenantId,
    snap.tag,
    snap.hub,
    layout,
    snap.profileId,
    snap.profileVersion,
    0,
    slab,
  );
  st.gps = snap.gps;
  st.tripId = snap.tripId;
  return st;
}
