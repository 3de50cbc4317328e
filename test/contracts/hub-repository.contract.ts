import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { imeiFromBody } from '@coldchain/contract';
import { MetadataCache, hashHubSecret } from '@coldchain/metadata-store';
import {
  openFixture,
  seedTenantFleet,
  tenantFleetIds,
  type MetadataFixture,
  type OpenDatabase,
} from './metadata-fixture.js';

/**
 * Hubs and their secrets, tenant-scoped, each change moving the metadata version.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function hubRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`HubRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const { tenantId, otherTenant, userId, email, imei, mac, profileId } = tenantFleetIds();

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await seedTenantFleet(store, { tenantId, otherTenant, userId, email, imei, mac, profileId });
    });
    afterAll(async () => {
      await store.database.close();
    });

    it('tells whether an IMEI or a MAC is registered, whatever the tenant', async () => {
      expect(await store.hubs.isRegistered(imei)).toBe(true);
      expect(await store.tags.isRegistered(mac)).toBe(true);
      expect(await store.hubs.isRegistered(imeiFromBody('35000000000001'))).toBe(false);
      expect(await store.tags.isRegistered('FE:FE:FE:FE:FE:FE')).toBe(false);
    });

    it('finds and lists hubs of one tenant only', async () => {
      expect(await store.hubs.findHub(tenantId, imei)).toEqual({ imei, tenantId, name: 'Truck' });
      expect(await store.hubs.findHub(otherTenant, imei)).toBeUndefined();
      expect((await store.hubs.listHubs(tenantId)).map((h) => h.imei)).toEqual([imei]);
      expect(await store.hubs.listHubs(otherTenant)).toEqual([]);
    });

    it('rotates a hub secret: the version moves, a cache takes the new secret and refuses the old', async () => {
      const cache = new MetadataCache(store.database, 60_000);
      await cache.start();
      try {
        expect(cache.authenticateHub(imei, 'old-secret')).toBeDefined();
        const before = await store.database.version();
        expect(await store.hubs.setHubSecret(otherTenant, imei, hashHubSecret('stolen'))).toBe(false);
        expect(await store.database.version()).toBe(before);
        expect(await store.hubs.setHubSecret(tenantId, imei, hashHubSecret('new-secret'))).toBe(true);
        expect(await store.database.version()).toBeGreaterThan(before);
        expect(await cache.refresh()).toBe(true);
        expect(cache.authenticateHub(imei, 'new-secret')?.tenantId).toBe(tenantId);
        expect(cache.authenticateHub(imei, 'old-secret')).toBeUndefined();
        expect(cache.authenticateHub(imei, 'stolen')).toBeUndefined();
      } finally {
        cache.stop();
      }
    });
  });
}
