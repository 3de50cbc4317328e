import type { CompiledProfile } from '../rules/profile.compiler.js';
import { RULE_CATALOG } from '../rules/rule-catalog.js';
import {
  C_ACKED,
  C_BUDGET_RAISED,
  C_BUDGET_STARTED,
  C_EPISODE_START,
  H_TRIP_STARTED_AT,
  R_SEV,
  SCOPE_TAG,
  SCOPE_TRIP,
} from '../state/slab-layout.js';
import type { TagState } from '../state/tag-state.js';
import { summarize } from '../stats/statistics-summary.js';
import type { ActiveAlarm, TagStatistics } from './alarm-engine.types.js';
import { SEVERITY_NAME } from './families/rule-family.js';

/*
 * Read-only views of a tag's state, for the API and tests.
 */

/**
 * Statistics of a tag laid out for `c`, overall and for the trip under way.
 * `mktK`: ΔH/R of the mean kinetic temperature, kelvin.
 */
export function statisticsOf(st: TagState, c: CompiledProfile, mktK: number): TagStatistics {
  const result: TagStatistics = {
    tenantId: st.tenantId,
    tag: st.tag,
    profileId: st.profileId,
    profileVersion: st.profileVersion,
    overall: summarize(st, c, SCOPE_TAG, mktK),
  };
  if (st.tripId !== null)
    result.trip = {
      tripId: st.tripId,
      startedAt: st.slab[H_TRIP_STARTED_AT],
      statistics: summarize(st, c, SCOPE_TRIP, mktK),
    };
  return result;
}

/** The active alarms of a tag, budget alarms included. */
export function activeAlarmsOf(st: TagState): ActiveAlarm[] {
  const s = st.slab;
  const out: ActiveAlarm[] = [];
  for (const d of RULE_CATALOG) {
    const o = st.layout.offsets[d.slot];
    const k = st.layout.cold[d.slot];
    if (o < 0) continue;
    if (s[o + R_SEV] > 0)
      out.push({
        rule: d.id,
        severity: SEVERITY_NAME[s[o + R_SEV]],
        startedAt: s[k + C_EPISODE_START],
        acknowledged: s[k + C_ACKED] === 1,
      });
    if (s[k + C_BUDGET_RAISED] > 0)
      out.push({
        rule: d.budgetId,
        severity: SEVERITY_NAME[s[k + C_BUDGET_RAISED]],
        startedAt: s[k + C_BUDGET_STARTED],
        acknowledged: false,
      });
  }
  return out;
}
