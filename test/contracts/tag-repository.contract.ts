import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { imeiFromBody } from '@coldchain/contract';
import { hashHubSecret } from '@coldchain/metadata-store';
import { openFixture, type MetadataFixture, type OpenDatabase } from './metadata-fixture.js';

/**
 * Tags and the profile each follows, tenant-scoped, each change moving the metadata version.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function tagRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`TagRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const tenantId = `t-${randomUUID()}`;
    const otherTenant = `t-${randomUUID()}`;
    const userId = randomUUID();
    const email = `owner-${randomUUID()}@example.com`;
    const imei = imeiFromBody('35' + String(Date.now()).slice(-12));
    const mac = ['AA', 'BB', 'CC', ...randomBytes(3).toString('hex').toUpperCase().match(/../g)!].join(':');
    const profileId = `p-${randomUUID()}`;

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
      await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
      await store.users.createUser({
        id: userId,
        tenantId,
        email,
        role: 'owner',
        passwordHash: 'scrypt$x',
        mustChangePassword: true,
      });
      await store.profiles.saveProfile({
        id: profileId,
        tenantId,
        name: 'Vaccines',
        temperature: { min: 2, max: 8 },
      });
      await store.hubs.createHub({ imei, tenantId, name: 'Truck', secretHash: hashHubSecret('old-secret') });
      await store.tags.createTag({ mac, tenantId, name: 'Pallet' });
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
