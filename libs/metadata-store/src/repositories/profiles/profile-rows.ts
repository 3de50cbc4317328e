import type { Profile, ProfileRules } from '@coldchain/domain';

/** Row shape of `profiles`, shared by both adapters and the snapshot. */

export interface ProfileRow {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  temperature_min: number;
  temperature_max: number;
  /** JSON of `Profile.rules`; null = none (the engine derives rules from the temperature bounds). */
  rules: string | null;
}

export const PROFILE_COLUMNS = 'id, tenant_id, name, version, temperature_min, temperature_max, rules';

export const toProfile = (r: ProfileRow): Profile => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  version: r.version,
  temperature: { min: r.temperature_min, max: r.temperature_max },
  ...(r.rules ? { rules: JSON.parse(r.rules) as ProfileRules } : {}),
});
