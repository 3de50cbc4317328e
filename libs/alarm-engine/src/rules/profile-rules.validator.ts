import { PHYSICAL_RANGES } from '@coldchain/contract';
import { profileProblems, type Profile } from '@coldchain/domain';
import { PROFILE_RULE_LIMITS } from '../alarm-engine.defaults.js';
import { isKnownTimeZone, parseClockTime } from '../schedule/rule-schedule.js';
import { RULE_CATALOG, type RuleDescriptor } from './rule-catalog.js';

type Json = Record<string, unknown>;

const COMMON_KEYS = ['repeatMs', 'budgetMs', 'budgetSeverity', 'schedule', 'tripOnly'];
const THRESHOLD_KEYS = new Set([...COMMON_KEYS, 'warning', 'critical', 'hysteresis']);
const DURATION_KEYS = new Set([...COMMON_KEYS, 'warning', 'critical']);
const LEVELS = ['warning', 'critical'] as const;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Why a rule set cannot be saved (a bad profile is
 * refused when saved, never discovered on the hot path). Takes the raw JSON a
 * client sent, so misspelt keys are refused rather than silently ignored.
 * Returns one message per problem, each starting with the path at fault;
 * empty = valid.
 *
 * Refused: unknown rules or keys; non-finite or physically impossible bounds;
 * a rule without any level; a warning bound outside its critical bound (for
 * `high`, warning above critical; for `low`, below); a `low` bound above the
 * `high` bound of the same metric (min above max); a hysteresis that would put
 * the clearing point past the opposite rule's bound; negative or absurd
 * delays; a critical duration shorter than the warning one; reminders more
 * often than once a minute; a non-positive budget; an unknown time zone or a
 * malformed schedule window.
 */
export function validateProfileRules(rules: unknown): string[] {
  const problems: string[] = [];
  if (rules === undefined) return problems;
  if (!isObject(rules)) return ['rules must be an object'];

  const knownGroups = new Set(RULE_CATALOG.map((r) => r.path[0]));
  for (const group of Object.keys(rules)) {
    if (!knownGroups.has(group)) problems.push(`rules.${group}: unknown rule group`);
  }
  for (const group of knownGroups) {
    const g = rules[group];
    if (g === undefined) continue;
    if (!isObject(g)) {
      problems.push(`rules.${group} must be an object`);
      continue;
    }
    const members = RULE_CATALOG.filter((r) => r.path[0] === group);
    for (const key of Object.keys(g)) {
      if (!members.some((r) => r.path[1] === key)) problems.push(`rules.${group}.${key}: unknown rule`);
    }
  }

  for (const desc of RULE_CATALOG) {
    const r = ruleAt(rules, desc);
    if (r === undefined) continue;
    const path = `rules.${desc.id}`;
    if (!isObject(r)) {
      problems.push(`${path} must be an object`);
      continue;
    }
    if (desc.kind === 'threshold') thresholdProblems(path, desc, r, problems);
    else durationProblems(path, desc, r, problems);
    commonProblems(path, desc, r, problems);
  }

  oppositeSidesProblems(rules, problems);
  return problems;
}

/** `profileProblems` of the domain plus {@link validateProfileRules}: what a save must check. */
export function validateProfile(profile: Profile): string[] {
  return [...profileProblems(profile), ...validateProfileRules(profile.rules)];
}

function ruleAt(rules: Json, desc: RuleDescriptor): unknown {
  const g = rules[desc.path[0]];
  return isObject(g) ? g[desc.path[1]] : undefined;
}

function thresholdProblems(path: string, desc: RuleDescriptor, r: Json, problems: string[]): void {
  for (const key of Object.keys(r))
    if (!THRESHOLD_KEYS.has(key)) problems.push(`${path}.${key}: unknown setting`);
  const range = PHYSICAL_RANGES[metricName(desc)];
  const bounds: Partial<Record<(typeof LEVELS)[number], number>> = {};
  for (const level of LEVELS) {
    const l = r[level];
    if (l === undefined) continue;
    if (!isObject(l)) {
      problems.push(`${path}.${level} must be an object`);
      continue;
    }
    for (const key of Object.keys(l))
      if (key !== 'bound' && key !== 'delayMs') problems.push(`${path}.${level}.${key}: unknown setting`);
    if (!isFiniteNumber(l.bound)) problems.push(`${path}.${level}.bound must be a finite number`);
    else if (l.bound < range.min || l.bound > range.max)
      problems.push(
        `${path}.${level}.bound (${l.bound}) is outside the physical range ${range.min}…${range.max}`,
      );
    else bounds[level] = l.bound;
    durationProblem(`${path}.${level}.delayMs`, l.delayMs, 0, problems);
  }
  if (r.warning === undefined && r.critical === undefined)
    problems.push(`${path} needs a warning or a critical level`);
  if (bounds.warning !== undefined && bounds.critical !== undefined) {
    if (desc.direction > 0 && bounds.warning > bounds.critical)
      problems.push(
        `${path}: warning bound (${bounds.warning}) is above the critical bound (${bounds.critical})`,
      );
    if (desc.direction < 0 && bounds.warning < bounds.critical)
      problems.push(
        `${path}: warning bound (${bounds.warning}) is below the critical bound (${bounds.critical})`,
      );
  }
  if (r.hysteresis !== undefined && !(isFiniteNumber(r.hysteresis) && r.hysteresis >= 0))
    problems.push(`${path}.hysteresis must be a number ≥ 0`);
}

function durationProblems(path: string, desc: RuleDescriptor, r: Json, problems: string[]): void {
  for (const key of Object.keys(r))
    if (!DURATION_KEYS.has(key)) problems.push(`${path}.${key}: unknown setting`);
  const min = desc.kind === 'absence' ? PROFILE_RULE_LIMITS.minAbsenceMs : 0;
  const after: Partial<Record<(typeof LEVELS)[number], number>> = {};
  for (const level of LEVELS) {
    const l = r[level];
    if (l === undefined) continue;
    if (!isObject(l)) {
      problems.push(`${path}.${level} must be an object`);
      continue;
    }
    for (const key of Object.keys(l))
      if (key !== 'afterMs') problems.push(`${path}.${level}.${key}: unknown setting`);
    if (l.afterMs === undefined) problems.push(`${path}.${level}.afterMs is required`);
    else if (durationProblem(`${path}.${level}.afterMs`, l.afterMs, min, problems))
      after[level] = l.afterMs as number;
  }
  if (r.warning === undefined && r.critical === undefined)
    problems.push(`${path} needs a warning or a critical level`);
  if (after.warning !== undefined && after.critical !== undefined && after.critical < after.warning)
    problems.push(
      `${path}: critical.afterMs (${after.critical}) is shorter than warning.afterMs (${after.warning})`,
    );
  if (desc.kind === 'absence' && r.budgetMs !== undefined)
    problems.push(`${path}.budgetMs: a budget applies to measured conditions, not to ${desc.id}`);
}

function commonProblems(path: string, desc: RuleDescriptor, r: Json, problems: string[]): void {
  if (r.repeatMs !== undefined && r.repeatMs !== 0) {
    if (
      !isFiniteNumber(r.repeatMs) ||
      r.repeatMs < PROFILE_RULE_LIMITS.minRepeatMs ||
      r.repeatMs > PROFILE_RULE_LIMITS.maxDelayMs
    )
      problems.push(
        `${path}.repeatMs must be 0 (no reminders) or between ${PROFILE_RULE_LIMITS.minRepeatMs} and ${PROFILE_RULE_LIMITS.maxDelayMs} ms`,
      );
  }
  if (r.budgetMs !== undefined && desc.kind !== 'absence') {
    if (!isFiniteNumber(r.budgetMs) || r.budgetMs <= 0 || r.budgetMs > PROFILE_RULE_LIMITS.maxBudgetMs)
      problems.push(`${path}.budgetMs must be a number of ms in 1…${PROFILE_RULE_LIMITS.maxBudgetMs}`);
  }
  if (r.budgetSeverity !== undefined && r.budgetSeverity !== 'warning' && r.budgetSeverity !== 'critical')
    problems.push(`${path}.budgetSeverity must be "warning" or "critical"`);
  if (r.tripOnly !== undefined && typeof r.tripOnly !== 'boolean')
    problems.push(`${path}.tripOnly must be a boolean`);
  if (r.schedule !== undefined) scheduleProblems(`${path}.schedule`, r.schedule, problems);
}

function scheduleProblems(path: string, s: unknown, problems: string[]): void {
  if (!isObject(s)) {
    problems.push(`${path} must be an object`);
    return;
  }
  for (const key of Object.keys(s))
    if (key !== 'timeZone' && key !== 'windows') problems.push(`${path}.${key}: unknown setting`);
  if (typeof s.timeZone !== 'string' || !isKnownTimeZone(s.timeZone))
    problems.push(`${path}.timeZone must be an IANA time zone such as "Europe/Paris"`);
  if (
    !Array.isArray(s.windows) ||
    s.windows.length === 0 ||
    s.windows.length > PROFILE_RULE_LIMITS.maxScheduleWindows
  ) {
    problems.push(`${path}.windows must list 1…${PROFILE_RULE_LIMITS.maxScheduleWindows} windows`);
    return;
  }
  s.windows.forEach((w: unknown, i: number) => {
    const wp = `${path}.windows[${i}]`;
    if (!isObject(w)) {
      problems.push(`${wp} must be an object`);
      return;
    }
    for (const key of Object.keys(w))
      if (key !== 'days' && key !== 'from' && key !== 'to') problems.push(`${wp}.${key}: unknown setting`);
    const days = w.days;
    if (
      !Array.isArray(days) ||
      days.length === 0 ||
      !days.every((d) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7) ||
      new Set(days).size !== days.length
    )
      problems.push(`${wp}.days must list distinct ISO weekdays 1 (Monday) … 7 (Sunday)`);
    const from = typeof w.from === 'string' ? parseClockTime(w.from) : undefined;
    const to = typeof w.to === 'string' ? parseClockTime(w.to) : undefined;
    if (from === undefined || from >= 1440) problems.push(`${wp}.from must be a time "HH:MM" before 24:00`);
    if (to === undefined) problems.push(`${wp}.to must be a time "HH:MM"`);
    if (from !== undefined && to !== undefined && from === to)
      problems.push(`${wp}: from and to are equal (an empty window; use 00:00–24:00 for a whole day)`);
  });
}

/** Returns true when the value is a valid duration. */
function durationProblem(path: string, value: unknown, min: number, problems: string[]): boolean {
  if (value === undefined) return true;
  if (!isFiniteNumber(value) || value < min || value > PROFILE_RULE_LIMITS.maxDelayMs) {
    problems.push(`${path} must be a number of ms in ${min}…${PROFILE_RULE_LIMITS.maxDelayMs}`);
    return false;
  }
  return true;
}

/** min above max, and a hysteresis that would clear past the opposite bound. */
function oppositeSidesProblems(rules: Json, problems: string[]): void {
  for (const metric of ['temperature', 'humidity'] as const) {
    const g = rules[metric];
    if (!isObject(g) || !isObject(g.low) || !isObject(g.high)) continue;
    const lowBound = innerBound(g.low);
    const highBound = innerBound(g.high);
    if (lowBound === undefined || highBound === undefined) continue;
    if (lowBound > highBound)
      problems.push(`rules.${metric}: the low bound (${lowBound}) is above the high bound (${highBound})`);
    const hHigh = isFiniteNumber(g.high.hysteresis) ? g.high.hysteresis : 0;
    const hLow = isFiniteNumber(g.low.hysteresis) ? g.low.hysteresis : 0;
    if (lowBound <= highBound && highBound - hHigh < lowBound)
      problems.push(
        `rules.${metric}.high.hysteresis (${hHigh}) would clear only below the low bound (${lowBound})`,
      );
    if (lowBound <= highBound && lowBound + hLow > highBound)
      problems.push(
        `rules.${metric}.low.hysteresis (${hLow}) would clear only above the high bound (${highBound})`,
      );
  }
}

/** The bound nearest the normal band: warning when present, else critical. */
function innerBound(r: Json): number | undefined {
  for (const level of LEVELS) {
    const l = r[level];
    if (isObject(l) && isFiniteNumber(l.bound)) return l.bound;
  }
  return undefined;
}

function metricName(desc: RuleDescriptor): keyof typeof PHYSICAL_RANGES {
  return desc.path[0] as keyof typeof PHYSICAL_RANGES;
}
