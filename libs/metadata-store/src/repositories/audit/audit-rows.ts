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
