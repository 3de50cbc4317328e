import type { CompiledDurationRule } from '../../rules/profile.compiler.js';
import { C_EPISODE_START, H_ABSENCE_ACTIVE, R_SEV } from '../../state/slab-layout.js';
import {
  beginEpisode,
  dueReminder,
  levelMinutes,
  MINUTE_MS,
  type RuleContext,
  type RuleFamilyHost,
} from './rule-family.js';

/**
 * The level step of a duration rule (door open, tag silent, hub offline): the
 * condition has held since a known time, and the level follows from how long.
 * Shared by the door and absence families.
 */
export class DurationLevels {
  constructor(private readonly host: RuleFamilyHost) {}

  /**
   * Level of a duration rule whose condition holds since `since`, judged at
   * `t` (epoch ms). Raises or escalates only (a held condition only grows);
   * the transition time in the key is `since + afterMs` of the level, whoever
   * (reading or tick) noticed it. Events are late when `x.late`.
   */
  step(x: RuleContext, r: CompiledDurationRule, since: number, t: number): void {
    const s = x.st.slab;
    const o = r.offset;
    const held = t - since;
    const level = held >= r.critAfterMs ? 2 : held >= r.warnAfterMs ? 1 : 0;
    const sev = s[o + R_SEV];
    if (level > sev) {
      const at = since + (level === 2 ? r.critAfterMs : r.warnAfterMs);
      if (sev === 0) beginEpisode(s, r.cold, since, at);
      this.host.emit(x.st, x.c, {
        rule: r.desc.id,
        unit: r.desc.unit,
        sev: level,
        transition: sev === 0 ? 'raised' : 'escalated',
        startedAt: since,
        at,
        value: held / MINUTE_MS,
        bound: levelMinutes(r, level),
        late: x.late,
      });
      s[o + R_SEV] = level;
      if (r.desc.kind === 'absence') s[H_ABSENCE_ACTIVE] = 1;
    } else if (sev > 0 && r.repeatMs > 0) {
      const at = dueReminder(s, r, t, x.late);
      if (at === at)
        this.host.emit(x.st, x.c, {
          rule: r.desc.id,
          unit: r.desc.unit,
          sev,
          transition: 'reminder',
          startedAt: s[r.cold + C_EPISODE_START],
          at,
          value: held / MINUTE_MS,
          bound: levelMinutes(r, sev),
          late: false,
        });
    }
  }
}
