import type { PostgresDatabase } from '../../database/postgres-database.js';
import { toAudit, type AuditRow } from './audit-rows.js';
import type { AuditEntry, AuditObjectType, AuditRepository } from './audit.repository.js';

/** {@link AuditRepository} on the PostgreSQL metadata database. */
export class PostgresAuditRepository implements AuditRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async recordAudit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const [r] = await this.db.query<{ id: number }>(
      `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        entry.tenantId,
        entry.actorId,
        entry.actorEmail,
        entry.action,
        entry.objectType,
        entry.objectId,
        entry.at,
        JSON.stringify(entry.detail ?? null),
      ],
    );
    return { ...entry, id: r.id };
  }

  async listAudit(
    tenantId: string,
    filter: { objectType?: AuditObjectType; objectId?: string; limit: number },
  ): Promise<AuditEntry[]> {
    const rows = await this.db.query<AuditRow>(
      `SELECT * FROM audit_log WHERE tenant_id = $1
         AND ($2::text IS NULL OR object_type = $2) AND ($3::text IS NULL OR object_id = $3)
       ORDER BY id DESC LIMIT $4`,
      [tenantId, filter.objectType ?? null, filter.objectId ?? null, filter.limit],
    );
    return rows.map(toAudit);
  }
}
