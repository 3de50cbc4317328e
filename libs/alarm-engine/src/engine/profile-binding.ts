import type { Profile } from '@coldchain/domain';
import { InvalidProfileError } from '../rules/invalid-profile.error.js';
import type { CompiledProfile, ProfileCompiler } from '../rules/profile.compiler.js';
import { RULE_CATALOG } from '../rules/rule-catalog.js';
import {
  B_FIELDS,
  C_BUDGET_RAISED,
  C_BUDGET_STARTED,
  C_EPISODE_START,
  coldSize,
  H_BUF_N,
  H_RELEASED_TS,
  HEADER_SIZE,
  HOT_SIZE,
  initRule,
  newSlab,
  R_SEV,
  type Slab,
} from '../state/slab-layout.js';
import type { TagState } from '../state/tag-state.js';
import type { EngineDiagnostic } from './alarm-engine.types.js';
import type { TransitionRecord } from './families/rule-family.js';

/** What the binding reports to the engine. */
export interface ProfileBindingHost {
  emit(st: TagState, c: CompiledProfile | undefined, record: TransitionRecord): void;
  /** A profile failed validation (reported once per version). */
  invalidProfile(diagnostic: EngineDiagnostic): void;
  /** Reorder buffer slots a re-laid slab keeps at least. */
  initialBufferSlots: number;
}

/**
 * Binds tags to compiled profiles: compiles each (id, version) once, keeps the
 * last valid version of a profile that stops validating, and re-lays a tag's
 * slab when its profile's set of rules changes.
 */
export class ProfileBinding {
  /** Last valid compiled version per profile id. */
  private readonly compiled = new Map<string, CompiledProfile>();
  /** Profile id → version refused by validation (reported once). */
  private readonly refused = new Map<string, number>();

  constructor(
    private readonly compiler: ProfileCompiler,
    private readonly host: ProfileBindingHost,
  ) {}

  /** The last valid compiled version of a profile id, if any. */
  get(profileId: string): CompiledProfile | undefined {
    return this.compiled.get(profileId);
  }

  /**
   * The compiled profile for a tag: compiled once per (id, version), looked up
   * by id on the hot path. A profile that fails validation (it should have
   * been refused when saved) is reported once; the last valid version of it
   * stays in use, or the tag is not evaluated if there is none. The tag it
   * is for (tenant, MAC, hub) names the diagnostic; passed as plain
   * arguments, since this runs once per record.
   */
  compiledFor(profile: Profile, tenantId: string, tag: string, hub: string): CompiledProfile | undefined {
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
      this.host.invalidProfile({
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
  migrate(st: TagState, c: CompiledProfile): void {
    const old = st.slab;
    const from = st.layout;
    const to = c.layout;
    const buffered = old[H_BUF_N] * B_FIELDS;
    const next = newSlab(to.size + Math.max(buffered, this.host.initialBufferSlots * B_FIELDS));
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
          this.host.emit(st, c, {
            rule: d.id,
            unit: d.unit,
            sev: old[fo + R_SEV],
            transition: 'cleared',
            startedAt: old[fk + C_EPISODE_START],
            endedAt,
            at: endedAt,
            late: false,
            reason: 'rule_removed',
          });
        if (old[fk + C_BUDGET_RAISED] > 0)
          this.host.emit(st, c, {
            rule: d.budgetId,
            unit: 'min',
            sev: old[fk + C_BUDGET_RAISED],
            transition: 'cleared',
            startedAt: old[fk + C_BUDGET_STARTED],
            endedAt,
            at: endedAt,
            late: false,
            reason: 'rule_removed',
          });
      }
    }
    copyRange(old, from.size, from.size + buffered, next, to.size);
    st.slab = next;
    st.layout = to;
  }
}

function copyRange(from: Slab, start: number, end: number, to: Slab, at: number): void {
  for (let i = start; i < end; i++) to[at + i - start] = from[i];
}
