import type { Hub, Profile, ProfileRules, Tag, UserRole } from '@coldchain/domain';
import type { UserRecord } from '../metadata-store.port.js';
import type {
  AuditEntry,
  AuditObjectType,
  SessionRecord,
  TagPatch,
  UserPatch,
} from './operator-store.port.js';

/** Row shapes of the operator tables and their mapping to records, shared by both adapters. */

export interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  role: UserRole;
  password_hash: string;
  must_change_password: number;
  disabled: number;
}

export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  role: r.role,
  passwordHash: r.password_hash,
  mustChangePassword: r.must_change_password === 1,
  disabled: r.disabled === 1,
});

export const USER_COLUMNS = 'id, tenant_id, email, role, password_hash, must_change_password, disabled';

/** Columns of a new user's row, and its values in that order (`createdAt` epoch ms; email lower-cased). */
export const NEW_USER_COLUMNS = 'id, tenant_id, email, role, password_hash, must_change_password, created_at';
export const newUserValues = (u: UserRecord, createdAt: number): unknown[] => [
  u.id,
  u.tenantId,
  u.email.toLowerCase(),
  u.role,
  u.passwordHash,
  u.mustChangePassword ? 1 : 0,
  createdAt,
];

export interface SessionRow {
  id: string;
  user_id: string;
  tenant_id: string | null;
  refresh_hash: string;
  previous_refresh_hash: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  ...(r.tenant_id !== null ? { tenantId: r.tenant_id } : {}),
  refreshHash: r.refresh_hash,
  ...(r.previous_refresh_hash !== null ? { previousRefreshHash: r.previous_refresh_hash } : {}),
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at ?? undefined,
  revokedReason: r.revoked_reason ?? undefined,
});

export interface HubRow {
  imei: string;
  tenant_id: string;
  name: string;
}

export const toHub = (r: HubRow): Hub => ({ imei: r.imei, tenantId: r.tenant_id, name: r.name });

export interface TagRow {
  mac: string;
  tenant_id: string;
  name: string;
  profile_id: string | null;
}

export const toTag = (r: TagRow): Tag => ({
  mac: r.mac,
  tenantId: r.tenant_id,
  name: r.name,
  profileId: r.profile_id ?? undefined,
});

export interface ProfileRow {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  temperature_min: number;
  temperature_max: number;
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

export interface AuditRow {
  id: number;
  tenant_id: string;
  actor_id: string;
  actor_email: string;
  action: string;
  object_type: AuditObjectType;
  object_id: string;
  at: number;
  detail: string;
}

export const toAudit = (r: AuditRow): AuditEntry => ({
  id: r.id,
  tenantId: r.tenant_id,
  actorId: r.actor_id,
  actorEmail: r.actor_email,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id,
  at: r.at,
  detail: JSON.parse(r.detail) as unknown,
});

/** `SET` clauses and values of a user patch; `param(n)` spells the n-th placeholder (`?` or `$n`). */
export function userAssignments(
  patch: UserPatch,
  param: (n: number) => string,
): { sets: string[]; values: unknown[] } {
  const columns: Array<[string, unknown]> = [];
  if (patch.role !== undefined) columns.push(['role', patch.role]);
  if (patch.disabled !== undefined) columns.push(['disabled', patch.disabled ? 1 : 0]);
  if (patch.passwordHash !== undefined) columns.push(['password_hash', patch.passwordHash]);
  if (patch.mustChangePassword !== undefined)
    columns.push(['must_change_password', patch.mustChangePassword ? 1 : 0]);
  return assignments(columns, param);
}

/** `SET` clauses and values of a tag patch, as {@link userAssignments}. */
export function tagAssignments(
  patch: TagPatch,
  param: (n: number) => string,
): { sets: string[]; values: unknown[] } {
  const columns: Array<[string, unknown]> = [];
  if (patch.name !== undefined) columns.push(['name', patch.name]);
  if (patch.profileId !== undefined) columns.push(['profile_id', patch.profileId]);
  return assignments(columns, param);
}

function assignments(
  columns: Array<[string, unknown]>,
  param: (n: number) => string,
): { sets: string[]; values: unknown[] } {
  return {
    sets: columns.map(([column], i) => `${column} = ${param(i + 1)}`),
    values: columns.map(([, value]) => value),
  };
}
