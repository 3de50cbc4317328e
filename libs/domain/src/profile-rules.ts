import type { AlertSeverity } from './alert.js';

/**
 * The alarm rules a {@link Profile} carries.
 * Types only: validation (`validateProfileRules`) and evaluation live in
 * libs/alarm-engine. Every duration is in milliseconds, every bound in the
 * metric's own unit (°C, %RH, ppm, %).
 *
 * A rule is identified by its path, which is also the `rule` of the alert
 * events it produces: `temperature.low`, `temperature.high`, `humidity.low`,
 * `humidity.high`, `co2.high`, `battery.low`, `door.open`, `tag.silent`,
 * `hub.offline`. A cumulative-budget alarm uses the rule id plus `.budget`
 * (for example `temperature.high.budget`).
 *
 * When `Profile.rules` is absent the engine derives two critical rules from
 * `Profile.temperature` (below `min`, above `max`, no delay); when present it is
 * the whole rule set.
 */
export interface ProfileRules {
  temperature?: { low?: ThresholdRule; high?: ThresholdRule };
  humidity?: { low?: ThresholdRule; high?: ThresholdRule };
  co2?: { high?: ThresholdRule };
  battery?: { low?: ThresholdRule };
  door?: { open?: DurationRule };
  tag?: { silent?: DurationRule };
  hub?: { offline?: DurationRule };
}

/** Settings every rule may have. */
export interface RuleCommon {
  /** Reminder interval while the alarm stays active, ms; absent or 0 = no reminders. */
  repeatMs?: number;
  /**
   * Cumulative time out of range allowed per trip, ms. Counted on measured time,
   * never reset within a trip; exceeding it raises `<rule>.budget`. Only counted
   * while the tag is on a trip.
   */
  budgetMs?: number;
  /** Severity of the budget alarm; default `critical`. */
  budgetSeverity?: AlertSeverity;
  /** Active hours; absent = always active. */
  schedule?: RuleSchedule;
  /** Evaluate only between trip (shipment) start and stop. */
  tripOnly?: boolean;
}

/** A bound with the time the value must stay beyond it before the alarm is raised. */
export interface ThresholdLevel {
  /** Inclusive limit: a value equal to the bound is within. Metric's unit. */
  bound: number;
  /** Alarm delay: how long the condition must hold continuously (measured time) before raising, ms; default 0. */
  delayMs?: number;
}

/**
 * A rule on a measured value (`*.low`: alarm below the bound; `*.high`: above).
 * At least one level. For a `high` rule the critical bound must not be below
 * the warning bound; for a `low` rule not above it.
 */
export interface ThresholdRule extends RuleCommon {
  warning?: ThresholdLevel;
  critical?: ThresholdLevel;
  /** Deadband for clearing and downgrading, metric's unit; default 0. */
  hysteresis?: number;
}

/** A level of a duration rule: the condition has lasted this long. */
export interface DurationLevel {
  /** ms; for `critical` not shorter than for `warning`. */
  afterMs: number;
}

/** A rule on how long a state lasts: door open, tag silent, hub offline. At least one level. */
export interface DurationRule extends RuleCommon {
  warning?: DurationLevel;
  critical?: DurationLevel;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** When a rule is active, in local time of an IANA time zone. */
export interface RuleSchedule {
  /** IANA name, for example `Europe/Paris`. */
  timeZone: string;
  /** The rule is active inside any window. */
  windows: ScheduleWindow[];
}

/**
 * Local hours on the given days, `from` inclusive, `to` exclusive, `HH:MM`.
 * A window whose `to` is not after `from` runs past midnight into the next day
 * (`22:00`–`06:00` on Monday is Monday 22:00 to Tuesday 06:00).
 */
export interface ScheduleWindow {
  days: IsoWeekday[];
  from: string;
  to: string;
}
