import type { PostgresDatabase } from '../../database/postgres-database.js';
import {
  AUDIT_GENESIS_HASH,
  auditEntryHash,
  verifyAuditChain,
  type AuditChainVerdict,
} from './audit-chain.js';
import { AUDIT_VERIFY_PAGE_ROWS, toAudit, toChainRow, type AuditRow } from './audit-rows.js';
import type { AuditEntry, AuditObjectType, AuditRepository, NewAuditEntry } from './audit.repository.js';

/**
 * {@link AuditRepository} on the PostgreSQL metadata database. Appends of one
 * tenant are serialised by a transaction-scoped advisory lock keyed by the
 * tenant (other tenants append in parallel): the chain head read and the
 * insert happen under it, so the identity ids follow chain order and no two
 * entries name the same predecessor, whichever process appends. The unique
 * index `audit_log_no_fork` refuses a fork even from a writer that skips the lock.
 */
export class PostgresAuditRepository implements AuditRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async recordAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const detailJson = JSON.stringify(entry.detail ?? null);
    return this.db.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `coldchain.audit-chain:${entry.tenantId}`,
      ]);
      const head = await c.query<{ hash: string | null }>(
        'SELECT hash FROM audit_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1',
        [entry.tenantId],
      );
      const prevHash = head.rows[0]?.hash ?? AUDIT_GENESIS_HASH;
      const hash = auditEntryHash({ ...entry, detailJson }, prevHash);
      const inserted = await c.query<{ id: number }>(
        `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
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
        ],
      );
      return { ...entry, detail: entry.detail ?? null, id: Number(inserted.rows[0].id), prevHash, hash };
    });
  }

  async verifyAuditChain(tenantId: string): Promise<AuditChainVerdict> {
    const db = this.db;
    async function* rows() {
      let after = 0;
      for (;;) {
        const batch = await db.query<AuditRow>(
          'SELECT * FROM audit_log WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3',
          [tenantId, after, AUDIT_VERIFY_PAGE_ROWS],
        );
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
    const rows = await this.db.query<AuditRow>(
      `SELECT * FROM audit_log WHERE tenant_id = $1
         AND ($2::text IS NULL OR object_type = $2) AND ($3::text IS NULL OR object_id = $3)
       ORDER BY id DESC LIMIT $4`,
      [tenantId, filter.objectType ?? null, filter.objectId ?? null, filter.limit],
    );
    return rows.map(toAudit);
  }
}
