import type { StoredChainRow } from './audit-chain.js';
import type { AuditEntry, AuditObjectType } from './audit.repository.js';

/** Row shape of `audit_log`, shared by both adapters. */

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
  /** NULL only on a row written outside the chain (verification names it). */
  prev_hash: string | null;
  hash: string | null;
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
  prevHash: r.prev_hash ?? '',
  hash: r.hash ?? '',
});

export const toChainRow = (r: AuditRow): StoredChainRow => ({
  id: Number(r.id),
  tenantId: r.tenant_id,
  actorId: r.actor_id,
  actorEmail: r.actor_email,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id,
  at: Number(r.at),
  detailJson: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Rows read per page when a chain is verified, bounding memory whatever the trail's length. */
export const AUDIT_VERIFY_PAGE_ROWS = 1000;
