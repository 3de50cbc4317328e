import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUDIT_GENESIS_HASH, auditEntryHash, type NewAuditEntry } from '@coldchain/metadata-store';
import {
  openFixture,
  seedTenantFleet,
  tenantFleetIds,
  type MetadataFixture,
  type OpenDatabase,
} from './metadata-fixture.js';

/**
 * Raw SQL on the fixture's own connection, as someone with database access
 * would run it, bypassing the repositories (`$1` placeholders on both engines).
 */
async function rawSql(store: MetadataFixture, sql: string, params: unknown[] = []): Promise<unknown[]> {
  const db = store.database;
  if (db.kind === 'postgres') return db.query(sql, params);
  const statement = db.sql.prepare(sql.replace(/\$\d+/g, '?'));
  if (statement.reader) return statement.all(...params);
  statement.run(...params);
  return [];
}

/**
 * The message the statement was refused with, or 'not refused'. Read from the
 * message rather than with `rejects.toThrow`: better-sqlite3's native binding
 * builds its errors with the SqliteError class of the first test file that
 * loaded it, which later files of the same jest worker do not see as an Error.
 */
async function refusal(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
    return 'not refused';
  } catch (err) {
    return String((err as { message?: unknown }).message);
  }
}

/** What an attacker with DDL rights does first: drop the triggers that refuse UPDATE and DELETE. */
async function dropAppendOnly(store: MetadataFixture): Promise<void> {
  if (store.database.kind === 'postgres')
    await rawSql(store, 'DROP TRIGGER audit_log_no_change ON audit_log');
  else {
    await rawSql(store, 'DROP TRIGGER audit_log_no_update');
    await rawSql(store, 'DROP TRIGGER audit_log_no_delete');
  }
}

async function restoreAppendOnly(store: MetadataFixture): Promise<void> {
  if (store.database.kind === 'postgres')
    await rawSql(
      store,
      'CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()',
    );
  else {
    await rawSql(
      store,
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    );
    await rawSql(
      store,
      "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    );
  }
}

/**
 * The audit trail of operator changes, append-only, tenant-scoped and
 * hash-chained per tenant.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function auditRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`AuditRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const { tenantId, otherTenant, userId, email, imei, mac, profileId } = tenantFleetIds();

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await seedTenantFleet(store, { tenantId, otherTenant, userId, email, imei, mac, profileId });
    });
    afterAll(async () => {
      await store.database.close();
    });

    it('keeps the audit trail newest first, filtered by object, scoped by tenant', async () => {
      const entry = {
        tenantId,
        actorId: userId,
        actorEmail: email,
        objectType: 'profile' as const,
        objectId: profileId,
      };
      const first = await store.audit.recordAudit({
        ...entry,
        action: 'profile.create',
        at: 1,
        detail: { v: 1 },
      });
      const second = await store.audit.recordAudit({
        ...entry,
        action: 'profile.update',
        at: 2,
        detail: { v: 2 },
      });
      await store.audit.recordAudit({
        ...entry,
        objectType: 'hub',
        objectId: imei,
        action: 'hub.create',
        at: 3,
        detail: {},
      });
      expect(second.id).toBeGreaterThan(first.id);
      const trail = await store.audit.listAudit(tenantId, {
        objectType: 'profile',
        objectId: profileId,
        limit: 10,
      });
      expect(trail).toEqual([second, first]);
      expect((await store.audit.listAudit(tenantId, { limit: 10 })).map((e) => e.action)).toEqual([
        'hub.create',
        'profile.update',
        'profile.create',
      ]);
      expect(await store.audit.listAudit(otherTenant, { limit: 10 })).toEqual([]);
    });

    /** A tenant of the test's own, with `n` entries appended one after the other. */
    async function trail(n: number): Promise<{ tenant: string; entry: NewAuditEntry; ids: number[] }> {
      const tenant = `t-${randomUUID()}`;
      await store.tenants.createTenant({ id: tenant, name: 'Chain' });
      const entry: NewAuditEntry = {
        tenantId: tenant,
        actorId: userId,
        actorEmail: email,
        action: 'profile.update',
        objectType: 'profile',
        objectId: profileId,
        at: 1_000,
        detail: { note: 'é "quoted" \\ line\nbreak' },
      };
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push((await store.audit.recordAudit({ ...entry, at: 1_000 + i })).id);
      return { tenant, entry, ids };
    }

    it('chains each tenant from the genesis hash, and the chain verifies', async () => {
      const { tenant, entry } = await trail(0);
      const first = await store.audit.recordAudit(entry);
      const second = await store.audit.recordAudit({ ...entry, at: 2_000 });
      expect(first.prevHash).toBe(AUDIT_GENESIS_HASH);
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(second.prevHash).toBe(first.hash);
      expect(second.hash).not.toBe(first.hash);
      // Another tenant's appends neither join nor move this chain.
      const other = await store.audit.recordAudit({ ...entry, tenantId: otherTenant, at: 3_000 });
      expect(other.prevHash).not.toBe(second.hash);
      expect(await store.audit.verifyAuditChain(tenant)).toEqual({ ok: true, entries: 2 });
      expect((await store.audit.listAudit(tenant, { limit: 1 }))[0]).toEqual(second);
    });

    it('answers an empty chain as intact with no entries', async () => {
      expect(await store.audit.verifyAuditChain(`t-${randomUUID()}`)).toEqual({ ok: true, entries: 0 });
    });

    it('keeps one chain under concurrent appends (no fork)', async () => {
      const { tenant, entry } = await trail(0);
      const appended = await Promise.all(
        Array.from({ length: 24 }, (_, i) => store.audit.recordAudit({ ...entry, at: 5_000 + i })),
      );
      const prevs = new Set(appended.map((e) => e.prevHash));
      expect(prevs.size).toBe(24); // every entry names a different predecessor
      expect(await store.audit.verifyAuditChain(tenant)).toEqual({ ok: true, entries: 24 });
    });

    it('refuses UPDATE and DELETE of audit rows through the normal connection', async () => {
      const { ids } = await trail(2);
      expect(
        await refusal(
          rawSql(store, "UPDATE audit_log SET actor_email = 'mallory@example.com' WHERE id = $1", [ids[0]]),
        ),
      ).toMatch(/append-only/);
      expect(await refusal(rawSql(store, 'DELETE FROM audit_log WHERE id = $1', [ids[1]]))).toMatch(
        /append-only/,
      );
    });

    it('refuses a second entry naming the same predecessor (a fork) even from a writer skipping the lock', async () => {
      const { tenant, ids } = await trail(1);
      const [row] = (await rawSql(store, 'SELECT prev_hash FROM audit_log WHERE id = $1', [
        ids[0],
      ])) as Array<{ prev_hash: string }>;
      expect(
        await refusal(
          rawSql(
            store,
            `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail, prev_hash, hash)
             VALUES ($1, 'x', 'x@example.com', 'user.update', 'user', 'x', 1, 'null', $2, $3)`,
            [tenant, row.prev_hash, 'f'.repeat(64)],
          ),
        ),
      ).toMatch(/unique|UNIQUE/);
    });

    describe('edited behind the repository’s back (triggers dropped, as an attacker with DDL rights would)', () => {
      beforeAll(() => dropAppendOnly(store));
      afterAll(() => restoreAppendOnly(store));

      it('names the edited row when one field of it is changed', async () => {
        const { tenant, ids } = await trail(5);
        await rawSql(store, "UPDATE audit_log SET actor_email = 'mallory@example.com' WHERE id = $1", [
          ids[2],
        ]);
        expect(await store.audit.verifyAuditChain(tenant)).toEqual({
          ok: false,
          entries: 3,
          firstBrokenId: ids[2],
          reason: expect.stringMatching(/entry was changed/),
        });
      });

      it('names the next entry when the edited row’s own hash is recomputed too', async () => {
        const { tenant, entry, ids } = await trail(4);
        // The attacker knows the encoding: the edited row checks out on its own, its successor does not.
        const [row] = (await rawSql(store, 'SELECT prev_hash FROM audit_log WHERE id = $1', [
          ids[1],
        ])) as Array<{
          prev_hash: string;
        }>;
        const forged = auditEntryHash({ ...entry, at: 1_001, detailJson: '{}' }, row.prev_hash);
        await rawSql(store, "UPDATE audit_log SET detail = '{}', hash = $1 WHERE id = $2", [forged, ids[1]]);
        expect(await store.audit.verifyAuditChain(tenant)).toEqual({
          ok: false,
          entries: 3,
          firstBrokenId: ids[2],
          reason: expect.stringMatching(/removed or inserted/),
        });
      });

      it('names the entry after a deleted one', async () => {
        const { tenant, ids } = await trail(4);
        await rawSql(store, 'DELETE FROM audit_log WHERE id = $1', [ids[1]]);
        expect(await store.audit.verifyAuditChain(tenant)).toEqual({
          ok: false,
          entries: 2,
          firstBrokenId: ids[2],
          reason: expect.stringMatching(/removed or inserted/),
        });
      });

      it('names the new first entry when the oldest was deleted', async () => {
        const { tenant, ids } = await trail(3);
        await rawSql(store, 'DELETE FROM audit_log WHERE id = $1', [ids[0]]);
        expect(await store.audit.verifyAuditChain(tenant)).toMatchObject({
          ok: false,
          entries: 1,
          firstBrokenId: ids[1],
          reason: expect.stringMatching(/genesis/),
        });
      });
    });
  });
}
