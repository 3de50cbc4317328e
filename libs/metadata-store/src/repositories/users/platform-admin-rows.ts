import type { PlatformAdminPatch, PlatformAdminRecord } from './user.repository.js';
import { sqlAssignments } from '../../database/sql-assignments.js';

/** Row shape of `platform_admins` and its mapping, shared by both adapters. */
export interface PlatformAdminRow {
  id: string;
  email: string;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  created_at: number;
}

export const PLATFORM_ADMIN_COLUMNS = 'id, email, password_hash, must_change_password, disabled, created_at';

export const toPlatformAdmin = (r: PlatformAdminRow): PlatformAdminRecord => ({
  id: r.id,
  email: r.email,
  passwordHash: r.password_hash,
  mustChangePassword: r.must_change_password === 1,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
});

/** The values of an INSERT in PLATFORM_ADMIN_COLUMNS order. */
export const platformAdminValues = (a: PlatformAdminRecord): unknown[] => [
  a.id,
  a.email.toLowerCase(),
  a.passwordHash,
  a.mustChangePassword ? 1 : 0,
  a.disabled ? 1 : 0,
  a.createdAt,
];

/** `SET` assignments of a patch, `placeholder(n)` spelling the n-th value. */
export function platformAdminAssignments(
  patch: PlatformAdminPatch,
  placeholder: (n: number) => string,
): { sets: string[]; values: unknown[] } {
  return sqlAssignments(placeholder, (set) => {
    if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
    if (patch.mustChangePassword !== undefined) set('must_change_password', patch.mustChangePassword ? 1 : 0);
    if (patch.disabled !== undefined) set('disabled', patch.disabled ? 1 : 0);
  });
}
