import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../database/sqlite-database.js';
import { MIGRATIONS, migrationSql } from '../../migrations.js';
import { metadataRepositories } from '../metadata-repositories.js';
import { AUDIT_GENESIS_HASH } from './audit-chain.js';

describe('migration 11 on a store written before it', () => {
  it('hashes the rows kept before, per tenant in id order, and makes the trail append-only', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-md11-')), 'metadata.db');
    const old = new Database(file);
    old.exec(
      'CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    for (const m of MIGRATIONS.filter((x) => x.id < 11)) {
      old.exec(migrationSql(m, 'sqlite'));
      old.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, 0)').run(m.id, m.name);
    }
    const insert = old.prepare(
      `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail)
       VALUES (?, 'u1', 'dana@example.com', 'profile.update', 'profile', 'p1', ?, ?)`,
    );
    // Interleaved tenants: each gets its own chain.
    insert.run('acme', 1, '{"v":1}');
    insert.run('globex', 2, '{"v":2}');
    insert.run('acme', 3, '{"v":3}');
    old.close();

    const database = new SqliteDatabase(file);
    await database.start();
    const { audit } = metadataRepositories(database);
    expect(await audit.verifyAuditChain('acme')).toEqual({ ok: true, entries: 2 });
    expect(await audit.verifyAuditChain('globex')).toEqual({ ok: true, entries: 1 });
    const [second, first] = await audit.listAudit('acme', { limit: 10 });
    expect(first.prevHash).toBe(AUDIT_GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    // New appends continue the migrated chain.
    const next = await audit.recordAudit({ ...first, at: 4, detail: { v: 4 } });
    expect(next.prevHash).toBe(second.hash);
    expect(await audit.verifyAuditChain('acme')).toEqual({ ok: true, entries: 3 });
    expect(() => database.sql.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    await database.close();
  });
});
