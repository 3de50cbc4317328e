/**
 * @coldchain/alarm-engine — the profile threshold engine. Plain
 * TypeScript: no framework, no I/O, the clock passed in. The only public door
 * of the lib; see docs/alarm-engine.md.
 */
export {
  ALARM_ENGINE_DEFAULTS,
  PROFILE_RULE_LIMITS,
  type AlarmEngineOptions,
} from './alarm-engine.defaults.js';
export { AlarmEngine, type AlarmEngineConfig } from './engine/alarm.engine.js';
export type { RestoreResult, TagChange } from './engine/tag-states.js';
export type {
  ActiveAlarm,
  AlarmEvent,
  ClearReason,
  DiagnosticKind,
  DoorRuleStatistics,
  EngineCounters,
  EngineDiagnostic,
  EngineOutput,
  ExcursionStatistics,
  StatisticsSummary,
  TagStatistics,
  TemperatureStatistics,
  ThresholdRuleStatistics,
  Trip,
  TripLookup,
  TripSummary,
} from './engine/alarm-engine.types.js';
export { validateProfile, validateProfileRules } from './rules/profile-rules.validator.js';
export { InvalidProfileError } from './rules/invalid-profile.error.js';
export {
  defaultRules,
  ProfileCompiler,
  type CompiledDurationRule,
  type CompiledProfile,
  type CompiledThresholdRule,
} from './rules/profile.compiler.js';
export { RULE_IDS } from './rules/rule-catalog.js';
export { meanKineticTemperature, mktFromSum, mktTerm } from './stats/mean-kinetic-temperature.js';
export type { TagSnapshot } from './state/tag-state.js';
