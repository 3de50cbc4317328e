import type { TenantPatch, TenantSettings } from './tenant.repository.js';
import { sqlAssignments } from '../../database/sql-assignments.js';

export interface TenantRow {
  id: string;
  name: string;
  time_zone: string | null;
  positions_retention_days: number | string | null;
  created_at: number;
  closed_at: number | null;
  closed_by: string | null;
  read_only_until: number | null;
}

export const TENANT_COLUMNS =
  'id, name, time_zone, positions_retention_days, created_at, closed_at, closed_by, read_only_until';

export function toTenant(r: TenantRow): TenantSettings {
  const t: TenantSettings = { id: r.id, name: r.name, createdAt: Number(r.created_at) };
  if (r.time_zone !== null) t.timeZone = r.time_zone;
  if (r.positions_retention_days !== null) t.positionsRetentionDays = Number(r.positions_retention_days);
  if (r.closed_at !== null) t.closedAt = Number(r.closed_at);
  if (r.closed_by !== null) t.closedBy = r.closed_by;
  if (r.read_only_until !== null) t.readOnlyUntil = Number(r.read_only_until);
  return t;
}

/** `SET` assignments of a patch, `placeholder(n)` spelling the n-th value (1-based after the caller's own). */
export function tenantAssignments(
  patch: TenantPatch,
  placeholder: (n: number) => string,
): { sets: string[]; values: unknown[] } {
  return sqlAssignments(placeholder, (set) => {
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.timeZone !== undefined) set('time_zone', patch.timeZone);
    if (patch.positionsRetentionDays !== undefined)
      set('positions_retention_days', patch.positionsRetentionDays);
  });
}

/**
 * The condition that keeps a closed tenant's rows out of the snapshot (`alias`
 * names the table with a `tenant_id` column): the hot path never sees them.
 */
export const OPEN_TENANT = (alias: string): string =>
  `${alias}.tenant_id IN (SELECT id FROM tenants WHERE closed_at IS NULL)`;
