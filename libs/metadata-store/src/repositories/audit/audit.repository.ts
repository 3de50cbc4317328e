import type { EpochMs } from '@coldchain/domain';
import type { AuditChainVerdict } from './audit-chain.js';

export type { AuditChainVerdict } from './audit-chain.js';

/** The kinds of object the audit trail records. */
export type AuditObjectType = 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';

/** What a caller appends: the entry without what the store assigns (id and chain hashes). */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'prevHash' | 'hash'>;

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
  /** SHA-256 (hex) of the tenant's previous entry, or the genesis hash for its first. */
  prevHash: string;
  /** SHA-256 (hex) of this entry's canonical encoding and `prevHash` (see auditEntryHash). */
  hash: string;
}

/**
 * The audit trail of changes made through the operator API, append-only (the
 * database refuses UPDATE and DELETE) and tenant-scoped, each tenant's
 * entries hash-chained (docs/audit-trail.md). Proven by
 * test/contracts/audit-repository.contract.ts on both adapters.
 */
export interface AuditRepository {
  /**
   * Appends the entry at the head of its tenant's chain; returns it with its
   * id (increasing in append order) and hashes. Appends of one tenant are
   * serialised, so concurrent ones never fork the chain.
   */
  recordAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Recomputes the tenant's whole chain from the stored rows and names the first broken link. */
  verifyAuditChain(tenantId: string): Promise<AuditChainVerdict>;
  /** Newest first. */
  listAudit(
    tenantId: string,
    filter: { objectType?: AuditObjectType; objectId?: string; limit: number },
  ): Promise<AuditEntry[]>;
}
