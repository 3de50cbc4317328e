import type { SqliteDatabase } from '../../database/sqlite-database.js';
import { toAudit, type AuditRow } from './audit-rows.js';
import type { AuditEntry, AuditObjectType, AuditRepository } from './audit.repository.js';

/** {@link AuditRepository} on the SQLite metadata database. */
export class SqliteAuditRepository implements AuditRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async recordAudit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const { lastInsertRowid } = this.db.sql
      .prepare(
        `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.tenantId,
        entry.actorId,
        entry.actorEmail,
        entry.action,
        entry.objectType,
        entry.objectId,
        entry.at,
        JSON.stringify(entry.detail ?? null),
      );
    return { ...entry, id: Number(lastInsertRowid) };
  }

  async listAudit(
    tenantId: string,
    filter: { objectType?: AuditObjectType; objectId?: string; limit: number },
  ): Promise<AuditEntry[]> {
    const rows = this.db.sql
      .prepare(
        `SELECT * FROM audit_log WHERE tenant_id = ?
           AND (? IS NULL OR object_type = ?) AND (? IS NULL OR object_id = ?)
         ORDER BY id DESC LIMIT ?`,
      )
      .all(
        tenantId,
        filter.objectType ?? null,
        filter.objectType ?? null,
        filter.objectId ?? null,
        filter.objectId ?? null,
        filter.limit,
      ) as AuditRow[];
    return rows.map(toAudit);
  }
}
