import type { Migration, MigrationConnection, SqlDialect } from '../../migrations.js';
import { AUDIT_GENESIS_HASH, auditEntryHash } from './audit-chain.js';
import type { AuditRow } from './audit-rows.js';

/** The audit trail refuses UPDATE and DELETE at the database, as `alert_acks` does (migration 4). */
export const AUDIT_APPEND_ONLY: Readonly<Record<SqlDialect, string>> = {
  sqlite: `
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
  postgres: `
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
      $$;
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  `,
};

/** Rows hashed per statement batch by the backfill, bounding its memory. */
const BACKFILL_PAGE_ROWS = 1000;

/**
 * Hashes the rows written before the chain existed, per tenant in id order
 * from the genesis hash, exactly as {@link auditEntryHash} would have when
 * they were appended. Runs before the append-only triggers exist, in the
 * migration's transaction.
 */
async function backfillChain(c: MigrationConnection): Promise<void> {
  const p = (n: number): string => (c.dialect === 'postgres' ? `$${n}` : '?');
  const heads = new Map<string, string>();
  let after = 0;
  for (;;) {
    const rows = await c.query<AuditRow>(
      `SELECT * FROM audit_log WHERE id > ${p(1)} ORDER BY id LIMIT ${p(2)}`,
      [after, BACKFILL_PAGE_ROWS],
    );
    if (rows.length === 0) return;
    for (const r of rows) {
      const prevHash = heads.get(r.tenant_id) ?? AUDIT_GENESIS_HASH;
      const hash = auditEntryHash(
        {
          tenantId: r.tenant_id,
          actorId: r.actor_id,
          actorEmail: r.actor_email,
          action: r.action,
          objectType: r.object_type,
          objectId: r.object_id,
          at: Number(r.at),
          detailJson: r.detail,
        },
        prevHash,
      );
      await c.query(`UPDATE audit_log SET prev_hash = ${p(1)}, hash = ${p(2)} WHERE id = ${p(3)}`, [
        prevHash,
        hash,
        r.id,
      ]);
      heads.set(r.tenant_id, hash);
      after = Number(r.id);
    }
  }
}

const columns = `
      ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
      ALTER TABLE audit_log ADD COLUMN hash TEXT;
      CREATE INDEX audit_log_chain ON audit_log (tenant_id, id);
      CREATE UNIQUE INDEX audit_log_no_fork ON audit_log (tenant_id, prev_hash);
`;

/**
 * Migration 11: the audit trail becomes tamper-evident.
 * - `prev_hash`, `hash`: the per-tenant SHA-256 chain (docs/audit-trail.md);
 *   rows kept before are hashed here, in id order.
 * - `audit_log_no_fork`: two entries of one tenant naming the same
 *   predecessor (a fork) cannot both be stored, whatever the writer.
 * - triggers refuse UPDATE and DELETE.
 */
export const AUDIT_CHAIN_MIGRATION: Migration = {
  id: 11,
  name: 'audit trail: per-tenant hash chain, append-only',
  sql: { sqlite: columns, postgres: columns },
  after: async (c) => {
    await backfillChain(c);
    await c.exec(AUDIT_APPEND_ONLY[c.dialect]);
  },
};
