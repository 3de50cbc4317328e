import type { TelemetryRecord } from '@coldchain/domain';
import type { CompiledProfile } from '../rules/profile.compiler.js';
import { RULE_CATALOG } from '../rules/rule-catalog.js';
import { initRule } from '../state/slab-layout.js';
import {
  packedSnapshotOf,
  snapshotOf,
  snapshotProblem,
  stateFromSnapshot,
  TagState,
  type TagSnapshot,
} from '../state/tag-state.js';

/** One changelog write: the tag's new state, or null when the engine dropped it (a tombstone). */
export interface TagChange {
  tag: string;
  snapshot: TagSnapshot | null;
}

export interface RestoreResult {
  restored: number;
  refused: { tag: string; problem: string }[];
}

/**
 * The engine's tag states by tag MAC, and what changed since the changelog
 * was last written: each changed state listed once (flagged `dirty`), and the
 * tags dropped since (tombstones).
 */
export class TagStates {
  private readonly tags = new Map<string, TagState>();
  private changed: TagState[] = [];
  private readonly dropped = new Set<string>();

  /** @param initialBufferSlots reorder buffer slots a new or restored state starts with */
  constructor(private readonly initialBufferSlots: number) {}

  get size(): number {
    return this.tags.size;
  }

  get(tag: string): TagState | undefined {
    return this.tags.get(tag);
  }

  values(): IterableIterator<TagState> {
    return this.tags.values();
  }

  /** A fresh state for the record's tag under profile `c`, every rule normal. */
  create(rec: TelemetryRecord, c: CompiledProfile): TagState {
    const st = new TagState(
      rec.tenantId,
      rec.tag,
      rec.hub,
      c.layout,
      c.id,
      c.version,
      this.initialBufferSlots,
    );
    for (const d of RULE_CATALOG) {
      const off = c.layout.offsets[d.slot];
      if (off >= 0) initRule(st.slab, off, c.layout.cold[d.slot], d.kind);
    }
    this.tags.set(rec.tag, st);
    return st;
  }

  markChanged(st: TagState): void {
    if (st.dirty) return;
    st.dirty = true;
    this.changed.push(st);
  }

  /** The engine dropped the state (its alarms already cleared): a tombstone is due. */
  retire(st: TagState): void {
    this.tags.delete(st.tag);
    this.dropped.add(st.tag);
  }

  /** Forgets a tag without a tombstone (its partition was revoked). */
  forget(tag: string): void {
    this.tags.delete(tag);
    this.dropped.delete(tag);
  }

  /** Forgets every tag without tombstones. */
  clear(): void {
    this.tags.clear();
    this.changed = [];
    this.dropped.clear();
  }

  /** The changes since the last call as changelog writes (see AlarmEngine.takeChanges). */
  takeChanges(packed: boolean): TagChange[] {
    const out: TagChange[] = [];
    const of = packed ? packedSnapshotOf : snapshotOf;
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

  /** Loads snapshots read back from the changelog (see AlarmEngine.restore). */
  restore(snapshots: Iterable<TagSnapshot>): RestoreResult {
    const result: RestoreResult = { restored: 0, refused: [] };
    for (const snap of snapshots) {
      const problem = snapshotProblem(snap);
      if (problem !== undefined) {
        result.refused.push({ tag: String(snap?.tag), problem });
        continue;
      }
      this.tags.set(snap.tag, stateFromSnapshot(snap, this.initialBufferSlots));
      result.restored++;
    }
    return result;
  }
}
