import type { CompiledProfile, CompiledThresholdRule } from '../rules/profile.compiler.js';
import { RULE_CATALOG } from '../rules/rule-catalog.js';
import {
  C_BUDGET_USED,
  NONE,
  R_EXC_START,
  RS_EXC_COUNT,
  RS_EXC_LONGEST,
  RS_EXC_TOTAL,
  RS_TIME_CRIT,
  RS_TIME_WARN,
  ruleStatIndex,
  SC_READINGS,
  SC_T_MAX,
  SC_T_MIN,
  SC_T_MKT_SUM,
  SC_T_N,
  SC_T_SUM,
  SCOPE_TRIP,
  scopeIndex,
} from '../state/slab-layout.js';
import type { TagState } from '../state/tag-state.js';
import type { ExcursionStatistics, StatisticsSummary } from '../engine/alarm-engine.types.js';
import { mktFromSum } from './mean-kinetic-temperature.js';

/** Reads one statistics scope of a tag's slab into a plain summary. Cold path (API, trip end). */
export function summarize(
  st: TagState,
  c: CompiledProfile,
  scope: number,
  activationEnergyOverRK: number,
): StatisticsSummary {
  const s = st.slab;
  const n = s[scopeIndex(scope, SC_T_N)];
  const summary: StatisticsSummary = { readings: s[scopeIndex(scope, SC_READINGS)], rules: [] };
  if (n > 0) {
    summary.temperature = {
      samples: n,
      minC: s[scopeIndex(scope, SC_T_MIN)],
      maxC: s[scopeIndex(scope, SC_T_MAX)],
      meanC: s[scopeIndex(scope, SC_T_SUM)] / n,
      mktC: mktFromSum(s[scopeIndex(scope, SC_T_MKT_SUM)], n, activationEnergyOverRK),
    };
  }
  for (const d of RULE_CATALOG) {
    const r = c.bySlot[d.slot];
    if (r === null || d.kind === 'absence') continue;
    const o = r.offset;
    const k = r.cold;
    const excursions: ExcursionStatistics = {
      count: s[k + ruleStatIndex(scope, RS_EXC_COUNT)],
      totalMs: s[k + ruleStatIndex(scope, RS_EXC_TOTAL)],
      longestMs: s[k + ruleStatIndex(scope, RS_EXC_LONGEST)],
    };
    if (s[o + R_EXC_START] !== NONE) excursions.ongoingSince = s[o + R_EXC_START];
    const budgetUsedMs = scope === SCOPE_TRIP && r.budgetMs > 0 ? s[k + C_BUDGET_USED] : undefined;
    if (d.kind === 'door') {
      summary.rules.push({
        rule: 'door.open',
        kind: 'door',
        timeOpenMs: s[k + ruleStatIndex(scope, RS_TIME_WARN)],
        openings: excursions,
        ...(budgetUsedMs !== undefined ? { budgetUsedMs } : {}),
      });
      continue;
    }
    const t = r as CompiledThresholdRule;
    summary.rules.push({
      rule: d.id,
      kind: 'threshold',
      unit: d.unit,
      side: d.direction > 0 ? 'above' : 'below',
      ...(t.hasWarning
        ? { warningBound: t.warnBound, timeBeyondWarningMs: s[k + ruleStatIndex(scope, RS_TIME_WARN)] }
        : {}),
      ...(t.hasCritical
        ? { criticalBound: t.critBound, timeBeyondCriticalMs: s[k + ruleStatIndex(scope, RS_TIME_CRIT)] }
        : {}),
      excursions,
      ...(budgetUsedMs !== undefined ? { budgetUsedMs } : {}),
    });
  }
  return summary;
}
