import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  openFixture,
  seedTenantFleet,
  tenantFleetIds,
  type MetadataFixture,
  type OpenDatabase,
} from './metadata-fixture.js';

/**
 * Tags and the profile each follows, tenant-scoped, each change moving the metadata version.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function tagRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`TagRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const { tenantId, otherTenant, userId, email, imei, mac, profileId } = tenantFleetIds();

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await seedTenantFleet(store, { tenantId, otherTenant, userId, email, imei, mac, profileId });
    });
    afterAll(async () => {
      await store.database.close();
    });

    it('assigns and unassigns a tag profile within its tenant, moving the version', async () => {
      expect(await store.tags.findTag(otherTenant, mac)).toBeUndefined();
      expect(await store.tags.updateTag(otherTenant, mac, { profileId })).toBeUndefined();
      const before = await store.database.version();
      expect(await store.tags.updateTag(tenantId, mac, { profileId, name: 'Pallet 7' })).toEqual({
        mac,
        tenantId,
        name: 'Pallet 7',
        profileId,
      });
      expect(await store.database.version()).toBeGreaterThan(before);
      expect((await store.database.snapshot()).tags.find((t) => t.mac === mac)?.profileId).toBe(profileId);
      expect((await store.tags.updateTag(tenantId, mac, { profileId: null }))?.profileId).toBeUndefined();
      expect((await store.tags.listTags(tenantId)).map((t) => t.mac)).toEqual([mac]);
      expect(await store.tags.listTags(otherTenant)).toEqual([]);
    });
  });
}
