import type { TenantPatch, TenantSettings } from './tenant-store.port.js';

export interface TenantRow {
  id: string;
  name: string;
  time_zone: string | null;
  positions_retention_days: number | string | null;
}

export const TENANT_COLUMNS = 'id, name, time_zone, positions_retention_days';

export function toTenant(r: TenantRow): TenantSettings {
  const t: TenantSettings = { id: r.id, name: r.name };
  if (r.time_zone !== null) t.timeZone = r.time_zone;
  if (r.positions_retention_days !== null) t.positionsRetentionDays = Number(r.positions_retention_days);
  return t;
}

/** `SET` assignments of a patch, `placeholder(n)` spelling the n-th value (1-based after the caller's own). */
export function tenantAssignments(
  patch: TenantPatch,
  placeholder: (n: number) => string,
): { sets: string[]; values: unknown[] } {
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = ${placeholder(values.length)}`);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.timeZone !== undefined) set('time_zone', patch.timeZone);
  if (patch.positionsRetentionDays !== undefined)
    set('positions_retention_days', patch.positionsRetentionDays);
  return { sets, values };
}
