import type { UserRole } from '@coldchain/domain';
import { sqlAssignments } from '../../database/sql-assignments.js';
import type { UserPatch, UserRecord } from './user.repository.js';

/** Row shape of `users` and its mapping to records, shared by both adapters. */

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

/** `SET` clauses and values of a user patch; `param(n)` spells the n-th placeholder (`?` or `$n`). */
export function userAssignments(
  patch: UserPatch,
  param: (n: number) => string,
): { sets: string[]; values: unknown[] } {
  return sqlAssignments(param, (set) => {
    if (patch.role !== undefined) set('role', patch.role);
    if (patch.disabled !== undefined) set('disabled', patch.disabled ? 1 : 0);
    if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
    if (patch.mustChangePassword !== undefined) set('must_change_password', patch.mustChangePassword ? 1 : 0);
  });
}
