import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  AUDIT_GENESIS_HASH,
  MIGRATIONS,
  PostgresDatabase,
  metadataRepositories,
  migrationSql,
} from '@coldchain/metadata-store';
import { ensureInfra } from '../../support/infra.js';
import { privateSchema } from '../../support/pg-schema.js';

const schema = privateSchema('audit_mig');

describe('migration 11 on a PostgreSQL store written before it', () => {
  it('hashes the rows kept before, per tenant in id order, then refuses edits', async () => {
    const { databaseUrl } = await ensureInfra(['postgres']);
    schema.use(databaseUrl);
    // The store as migrations 1–10 left it, with audit rows of two tenants interleaved.
    const old = new pg.Client({ connectionString: databaseUrl });
    await old.connect();
    try {
      await old.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema.name)}`);
      await old.query(`SET search_path TO ${pg.escapeIdentifier(schema.name)}`);
      await old.query(
        'CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      for (const m of MIGRATIONS.filter((x) => x.id < 11)) {
        await old.query(migrationSql(m, 'postgres'));
        await old.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, 0)', [
          m.id,
          m.name,
        ]);
      }
      for (const [tenant, at] of [
        ['acme', 1],
        ['globex', 2],
        ['acme', 3],
      ] as const)
        await old.query(
          `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail)
           VALUES ($1, 'u1', 'dana@example.com', 'profile.update', 'profile', 'p1', $2, $3)`,
          [tenant, at, JSON.stringify({ v: at })],
        );
    } finally {
      await old.end();
    }

    const database = new PostgresDatabase(databaseUrl, { schema: schema.name });
    await database.start();
    try {
      const { audit } = metadataRepositories(database);
      expect(await audit.verifyAuditChain('acme')).toEqual({ ok: true, entries: 2 });
      expect(await audit.verifyAuditChain('globex')).toEqual({ ok: true, entries: 1 });
      const [second, first] = await audit.listAudit('acme', { limit: 10 });
      expect([first.prevHash, second.prevHash]).toEqual([AUDIT_GENESIS_HASH, first.hash]);
      const next = await audit.recordAudit({ ...first, at: 4, detail: { v: 4 } });
      expect(next.prevHash).toBe(second.hash);
      await expect(database.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await database.close();
    }
  });
});
