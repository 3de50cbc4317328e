import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  openFixture,
  seedTenantFleet,
  tenantFleetIds,
  type MetadataFixture,
  type OpenDatabase,
} from './metadata-fixture.js';

/**
 * The audit trail of operator changes, append-only and tenant-scoped.
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
  });
}
