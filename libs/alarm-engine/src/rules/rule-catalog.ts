/**
 * The fixed set of rules the engine knows. Each has a slot (its
 * index, used to lay out per-tag state), its id (also the `rule` of its alert
 * events) and how it is evaluated.
 */

/** Which reading field a threshold rule watches. */
export const METRIC = { temperature: 0, humidity: 1, co2: 2, battery: 3 } as const;
export type MetricCode = (typeof METRIC)[keyof typeof METRIC];

/**
 * `threshold`: decided on each reading of a metric (measured time).
 * `door`: a state held between readings, decided on readings and, for a quiet tag, at `tick`.
 * `absence`: decided at `tick` on processing time (nothing arrives to decide on).
 */
export type RuleKind = 'threshold' | 'door' | 'absence';

export interface RuleDescriptor {
  slot: number;
  id: string;
  /** Id of the cumulative-budget alarm of this rule. */
  budgetId: string;
  kind: RuleKind;
  /** Threshold rules only. */
  metric: MetricCode;
  /** +1: alarm above the bound (`high`), −1: below (`low`). Threshold rules only. */
  direction: 1 | -1;
  /** Unit of `value`/`bound` in the rule's alert events. */
  unit: string;
  /** Path in `ProfileRules`. */
  path: readonly [string, string];
}

function rule(
  slot: number,
  path: readonly [string, string],
  kind: RuleKind,
  unit: string,
  metric: MetricCode = 0,
  direction: 1 | -1 = 1,
): RuleDescriptor {
  const id = `${path[0]}.${path[1]}`;
  return { slot, id, budgetId: `${id}.budget`, kind, metric, direction, unit, path };
}

export const RULE_CATALOG: readonly RuleDescriptor[] = [
  rule(0, ['temperature', 'low'], 'threshold', '°C', METRIC.temperature, -1),
  rule(1, ['temperature', 'high'], 'threshold', '°C', METRIC.temperature, 1),
  rule(2, ['humidity', 'low'], 'threshold', '%RH', METRIC.humidity, -1),
  rule(3, ['humidity', 'high'], 'threshold', '%RH', METRIC.humidity, 1),
  rule(4, ['co2', 'high'], 'threshold', 'ppm', METRIC.co2, 1),
  rule(5, ['battery', 'low'], 'threshold', '%', METRIC.battery, -1),
  // Duration rules report durations in minutes: value = how long so far, bound = the level.
  rule(6, ['door', 'open'], 'door', 'min'),
  rule(7, ['tag', 'silent'], 'absence', 'min'),
  rule(8, ['hub', 'offline'], 'absence', 'min'),
];

export const SLOT = {
  temperatureLow: 0,
  temperatureHigh: 1,
  humidityLow: 2,
  humidityHigh: 3,
  co2High: 4,
  batteryLow: 5,
  doorOpen: 6,
  tagSilent: 7,
  hubOffline: 8,
} as const;

export const RULE_COUNT = RULE_CATALOG.length;

const byId = new Map<string, RuleDescriptor>(RULE_CATALOG.map((r) => [r.id, r]));

/** The rule with this id (`temperature.high`), or undefined. */
export function ruleById(id: string): RuleDescriptor | undefined {
  return byId.get(id);
}

/** Rule ids, for documentation and validation messages. */
export const RULE_IDS: readonly string[] = RULE_CATALOG.map((r) => r.id);
