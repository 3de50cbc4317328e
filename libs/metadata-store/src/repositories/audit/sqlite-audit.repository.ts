import type { SqliteDatabase } from '../../database/sqlite-database.js';
import {
  AUDIT_GENESIS_HASH,
  auditEntryHash,
  verifyAuditChain,
  type AuditChainVerdict,
} from './audit-chain.js';
import { AUDIT_VERIFY_PAGE_ROWS, toAudit, toChainRow, type AuditRow } from './audit-rows.js';
import type { AuditEntry, AuditObjectType, AuditRepository, NewAuditEntry } from './audit.repository.js';

/**
 * {@link AuditRepository} on the SQLite metadata database. One connection
 * per process and better-sqlite3 is synchronous: reading the chain head and
 * inserting run in one transaction no other append can interleave with.
 */
export class SqliteAuditRepository implements AuditRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async recordAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const sql = this.db.sql;
    const detailJson = JSON.stringify(entry.detail ?? null);
    return sql
      .transaction(() => {
        const head = sql
          .prepare('SELECT hash FROM audit_log WHERE tenant_id = ? ORDER BY id DESC LIMIT 1')
          .get(entry.tenantId) as { hash: string | null } | undefined;
        const prevHash = head?.hash ?? AUDIT_GENESIS_HASH;
        const hash = auditEntryHash({ ...entry, detailJson }, prevHash);
        const { lastInsertRowid } = sql
          .prepare(
            `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            entry.tenantId,
            entry.actorId,
            entry.actorEmail,
            entry.action,
            entry.objectType,
            entry.objectId,
            entry.at,
            detailJson,
            prevHash,
            hash,
          );
        return { ...entry, detail: entry.detail ?? null, id: Number(lastInsertRowid), prevHash, hash };
      })
      .immediate();
  }

  async verifyAuditChain(tenantId: string): Promise<AuditChainVerdict> {
    const page = this.db.sql.prepare(
      'SELECT * FROM audit_log WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?',
    );
    async function* rows() {
      let after = 0;
      for (;;) {
        const batch = page.all(tenantId, after, AUDIT_VERIFY_PAGE_ROWS) as AuditRow[];
        if (batch.length === 0) return;
        for (const r of batch) yield toChainRow(r);
        after = Number(batch[batch.length - 1].id);
      }
    }
    return verifyAuditChain(rows());
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
