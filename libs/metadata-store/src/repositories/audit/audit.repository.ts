import type { EpochMs } from '@coldchain/domain';

/** The kinds of object the audit trail records. */
export type AuditObjectType = 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';

/** One change made through the operator API: who, when, what. Append-only. */
export interface AuditEntry {
  id: number;
  tenantId: string;
  actorId: string;
  actorEmail: string;
  /** `<object>.<verb>`, e.g. `profile.update`, `hub.rotate_secret`. */
  action: string;
  objectType: AuditObjectType;
  objectId: string;
  at: EpochMs;
  /** The change itself (the saved profile, the new role...); never a secret or a hash. */
  detail: unknown;
}

/**
 * The audit trail of changes made through the operator API, append-only and
 * tenant-scoped. Proven by test/contracts/audit-repository.contract.ts on
 * both adapters.
 */
export interface AuditRepository {
  /** Appends the entry; returns it with its id (increasing in append order). */
  recordAudit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Newest first. */
  listAudit(
    tenantId: string,
    filter: { objectType?: AuditObjectType; objectId?: string; limit: number },
  ): Promise<AuditEntry[]>;
}
