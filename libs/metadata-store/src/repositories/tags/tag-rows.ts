import type { Tag } from '@coldchain/domain';
import { sqlAssignments } from '../../database/sql-assignments.js';
import type { TagPatch } from './tag.repository.js';

/** Row shape of `tags` and its patch, shared by both adapters. */

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

/** `SET` clauses and values of a tag patch; `param(n)` spells the n-th placeholder (`?` or `$n`). */
export function tagAssignments(
  patch: TagPatch,
  param: (n: number) => string,
): { sets: string[]; values: unknown[] } {
  return sqlAssignments(param, (set) => {
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.profileId !== undefined) set('profile_id', patch.profileId);
  });
}
