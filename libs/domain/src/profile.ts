import type { ProfileRules } from './profile-rules.js';

/**
 * A product profile: the product type a tag watches over (for example
 * "Vaccines 2–8 °C") with the bounds its readings must stay within.
 *
 * `temperature` is the band; `rules` (evaluated by libs/alarm-engine) adds
 * severities, delays, hysteresis, budgets and schedules. `version` increases
 * on every saved change so each alarm can say which version of the profile
 * raised it.
 */
export interface Profile {
  id: string;
  tenantId: string;
  name: string;
  version: number;
  /** Inclusive bounds, °C. */
  temperature: { min: number; max: number };
  /** The full alarm rule set (libs/alarm-engine); absent = critical rules derived from `temperature`. */
  rules?: ProfileRules;
}

/** Why a profile cannot be saved. A bad profile is refused when saved, never found on the hot path. */
export function profileProblems(profile: Pick<Profile, 'name' | 'temperature'>): string[] {
  const problems: string[] = [];
  if (!profile.name || profile.name.trim().length === 0) problems.push('name must not be empty');
  const { min, max } = profile.temperature ?? {};
  if (!Number.isFinite(min)) problems.push('temperature.min must be a finite number');
  if (!Number.isFinite(max)) problems.push('temperature.max must be a finite number');
  if (Number.isFinite(min) && Number.isFinite(max) && min > max)
    problems.push(`temperature.min (${min}) must not be above temperature.max (${max})`);
  return problems;
}
