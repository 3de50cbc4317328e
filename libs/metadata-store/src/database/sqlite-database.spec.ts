import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metadataDatabaseContract } from '../../../../test/contracts/metadata-database.contract.js';
import { MIGRATIONS, migrationSql } from '../migrations.js';
import { metadataRepositories } from '../repositories/metadata-repositories.js';
import { SqliteDatabase } from './sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-md-'));
metadataDatabaseContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

/** A started handle on `file` and the repositories on it. */
async function open(file: string) {
  const database = new SqliteDatabase(file);
  await database.start();
  return { database, ...metadataRepositories(database) };
}

describe('migration 8 on a store written before it', () => {
  it('keeps the sessions of the rebuilt auth_sessions table, and then takes sessions without a tenant', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-md8-')), 'metadata.db');
    // The store as migrations 1–7 left it, with a user and a live session.
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    old.exec(
      'CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    for (const m of MIGRATIONS.filter((x) => x.id < 8)) {
      old.exec(migrationSql(m, 'sqlite'));
      old.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, 0)').run(m.id, m.name);
    }
    old.exec(`
      INSERT INTO tenants (id, name, created_at) VALUES ('acme', 'Acme', 1);
      INSERT INTO users (id, tenant_id, email, role, password_hash, must_change_password, created_at)
        VALUES ('u1', 'acme', 'o@acme.test', 'owner', 'scrypt$x', 0, 1);
      INSERT INTO auth_sessions (id, user_id, tenant_id, refresh_hash, created_at, last_seen_at, expires_at)
        VALUES ('s1', 'u1', 'acme', 'h', 10, 20, 30);
    `);
    old.close();

    const store = await open(file);
    expect(await store.sessions.findSession('s1')).toEqual({
      id: 's1',
      userId: 'u1',
      tenantId: 'acme',
      refreshHash: 'h',
      createdAt: 10,
      lastSeenAt: 20,
      expiresAt: 30,
    });
    await store.sessions.createSession({
      id: 's2',
      userId: 'a platform admin',
      refreshHash: 'h',
      createdAt: 1,
      lastSeenAt: 1,
      expiresAt: 2,
    });
    expect((await store.sessions.findSession('s2'))?.tenantId).toBeUndefined();
    expect(await store.tenants.findTenant('acme')).toEqual({ id: 'acme', name: 'Acme', createdAt: 1 });
    await store.database.close();
  });
});

describe('migration 9 on a store written before it', () => {
  it('cuts the whole payloads kept before to a 4095-byte prefix, computes their size and leaves their hash unknown', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-md9-')), 'metadata.db');
    const old = new Database(file);
    old.exec(
      'CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    for (const m of MIGRATIONS.filter((x) => x.id < 9)) {
      old.exec(migrationSql(m, 'sqlite'));
      old.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, 0)').run(m.id, m.name);
    }
    const big = randomBytes(1024 * 1024 + 1); // one byte past whole 3-byte groups: base64 ends in '=='
    const small = Buffer.from('{"v":1,');
    const insert = old.prepare(
      `INSERT INTO dead_letters (received_at, hub, topic, reason, detail, rejections, payload_base64)
       VALUES (?, 'h', 't', 'malformed_json', 'd', '[]', ?)`,
    );
    insert.run(1, big.toString('base64'));
    insert.run(2, small.toString('base64'));
    insert.run(3, '');
    old.close();

    const store = await open(file);
    const [empty, kept, cut] = await store.deadLetters.listDeadLetters(3);
    expect(cut).toMatchObject({
      receivedAt: 1,
      payloadBytes: big.length,
      payloadSha256: null,
      suppressed: 0,
    });
    expect(Buffer.from(cut.payloadPrefixBase64, 'base64').equals(big.subarray(0, 4095))).toBe(true);
    expect(kept).toMatchObject({ payloadBytes: small.length, payloadPrefixBase64: small.toString('base64') });
    expect(empty).toMatchObject({ payloadBytes: 0, payloadPrefixBase64: '' });
    await store.database.close();
  });
});
