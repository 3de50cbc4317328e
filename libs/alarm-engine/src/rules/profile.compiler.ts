import type { AlertSeverity, DurationRule, Profile, ProfileRules, ThresholdRule } from '@coldchain/domain';
import { layoutFor, type SlabLayout } from '../state/slab-layout.js';
import { TimeZoneRegistry, type CompiledSchedule } from '../schedule/rule-schedule.js';
import { InvalidProfileError } from './invalid-profile.error.js';
import { RULE_CATALOG, type RuleDescriptor } from './rule-catalog.js';
import { validateProfile } from './profile-rules.validator.js';

/** Settings shared by compiled rules. */
interface CompiledCommon {
  desc: RuleDescriptor;
  /** Offsets of this rule's hot and cold parts in a tag slab laid out with the profile's layout. */
  offset: number;
  cold: number;
  /** ms, 0 = no reminders. */
  repeatMs: number;
  /** ms, 0 = no budget. */
  budgetMs: number;
  budgetSeverity: AlertSeverity;
  schedule: CompiledSchedule | null;
  tripOnly: boolean;
}

/**
 * A threshold rule in "signed space": with `s = direction × value`, the value
 * is beyond a bound `b` when `s > b` (bounds are inclusive-within: a value on a
 * bound is within). An absent level has bound +∞ (never beyond).
 */
export interface CompiledThresholdRule extends CompiledCommon {
  direction: 1 | -1;
  hasWarning: boolean;
  hasCritical: boolean;
  warnSigned: number;
  critSigned: number;
  /** The bound nearest the normal band (warning when present): excursions, budget. */
  innerSigned: number;
  /** Bounds as configured, for events. */
  warnBound: number;
  critBound: number;
  warnDelayMs: number;
  critDelayMs: number;
  hysteresis: number;
}

export interface CompiledDurationRule extends CompiledCommon {
  hasWarning: boolean;
  hasCritical: boolean;
  /** ms; +∞ when the level is absent. */
  warnAfterMs: number;
  critAfterMs: number;
}

/** A profile ready for the hot path. Immutable; recompiled when `version` changes. */
export interface CompiledProfile {
  id: string;
  tenantId: string;
  version: number;
  layout: SlabLayout;
  thresholds: readonly CompiledThresholdRule[];
  door: CompiledDurationRule | null;
  silent: CompiledDurationRule | null;
  hubOffline: CompiledDurationRule | null;
  /** Compiled rule per catalog slot, null when absent. */
  bySlot: readonly (CompiledThresholdRule | CompiledDurationRule | null)[];
}

/** The rules used when a profile has none: its temperature band as two critical rules, no delay. */
export function defaultRules(profile: Pick<Profile, 'temperature'>): ProfileRules {
  return {
    temperature: {
      low: { critical: { bound: profile.temperature.min } },
      high: { critical: { bound: profile.temperature.max } },
    },
  };
}

/**
 * Compiles profiles, sharing time-zone offset caches between them.
 * `compile` validates first and throws {@link InvalidProfileError}: call it
 * when a profile is saved so a bad one is refused there; the engine compiles
 * once per profile version, never per reading.
 */
export class ProfileCompiler {
  constructor(private readonly zones = new TimeZoneRegistry()) {}

  compile(profile: Profile): CompiledProfile {
    const problems = validateProfile(profile);
    if (problems.length > 0) throw new InvalidProfileError(profile.id, problems);
    const rules = profile.rules ?? defaultRules(profile);
    let mask = 0;
    for (const d of RULE_CATALOG) if (ruleOf(rules, d) !== undefined) mask |= 1 << d.slot;
    const layout = layoutFor(mask);
    const bySlot: (CompiledThresholdRule | CompiledDurationRule | null)[] = RULE_CATALOG.map(() => null);
    const thresholds: CompiledThresholdRule[] = [];
    let door: CompiledDurationRule | null = null;
    let silent: CompiledDurationRule | null = null;
    let hubOffline: CompiledDurationRule | null = null;
    for (const d of RULE_CATALOG) {
      const r = ruleOf(rules, d);
      if (r === undefined) continue;
      const offset = layout.offsets[d.slot];
      const cold = layout.cold[d.slot];
      if (d.kind === 'threshold') {
        const c = this.threshold(d, offset, cold, r as ThresholdRule);
        thresholds.push(c);
        bySlot[d.slot] = c;
      } else {
        const c = this.duration(d, offset, cold, r as DurationRule);
        bySlot[d.slot] = c;
        if (d.kind === 'door') door = c;
        else if (d.id === 'tag.silent') silent = c;
        else hubOffline = c;
      }
    }
    return {
      id: profile.id,
      tenantId: profile.tenantId,
      version: profile.version,
      layout,
      thresholds,
      door,
      silent,
      hubOffline,
      bySlot,
    };
  }

  private common(
    d: RuleDescriptor,
    offset: number,
    cold: number,
    r: ThresholdRule | DurationRule,
  ): CompiledCommon {
    return {
      desc: d,
      offset,
      cold,
      repeatMs: r.repeatMs ?? 0,
      budgetMs: r.budgetMs ?? 0,
      budgetSeverity: r.budgetSeverity ?? 'critical',
      schedule: r.schedule ? this.zones.compile(r.schedule) : null,
      tripOnly: r.tripOnly ?? false,
    };
  }

  private threshold(
    d: RuleDescriptor,
    offset: number,
    cold: number,
    r: ThresholdRule,
  ): CompiledThresholdRule {
    const dir = d.direction;
    const warnSigned = r.warning ? dir * r.warning.bound : Infinity;
    const critSigned = r.critical ? dir * r.critical.bound : Infinity;
    return {
      ...this.common(d, offset, cold, r),
      direction: dir,
      hasWarning: r.warning !== undefined,
      hasCritical: r.critical !== undefined,
      warnSigned,
      critSigned,
      innerSigned: r.warning ? warnSigned : critSigned,
      warnBound: r.warning?.bound ?? Number.NaN,
      critBound: r.critical?.bound ?? Number.NaN,
      warnDelayMs: r.warning?.delayMs ?? 0,
      critDelayMs: r.critical?.delayMs ?? 0,
      hysteresis: r.hysteresis ?? 0,
    };
  }

  private duration(d: RuleDescriptor, offset: number, cold: number, r: DurationRule): CompiledDurationRule {
    return {
      ...this.common(d, offset, cold, r),
      hasWarning: r.warning !== undefined,
      hasCritical: r.critical !== undefined,
      warnAfterMs: r.warning?.afterMs ?? Infinity,
      critAfterMs: r.critical?.afterMs ?? Infinity,
    };
  }
}

function ruleOf(rules: ProfileRules, d: RuleDescriptor): ThresholdRule | DurationRule | undefined {
  const group = (
    rules as Record<string, Record<string, ThresholdRule | DurationRule | undefined> | undefined>
  )[d.path[0]];
  return group?.[d.path[1]];
}
