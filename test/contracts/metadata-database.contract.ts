import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { imeiFromBody } from '@coldchain/contract';
import { MetadataCache, hashHubSecret } from '@coldchain/metadata-store';
import { openFixture, type MetadataFixture, type OpenDatabase } from './metadata-fixture.js';

/**
 * The database handle every repository of a process shares: migrations, the
 * cross-process lock, and the hot path's read model (version, snapshot, and
 * the MetadataCache over them).
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function metadataDatabaseContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`MetadataDatabase contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const tenantId = `t-${randomUUID()}`;
    const otherTenant = `t-${randomUUID()}`;
    const imei = imeiFromBody('35' + String(Date.now()).slice(-12));
    const profileId = `p-${randomUUID()}`;

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
      await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
      await store.profiles.saveProfile({
        id: profileId,
        tenantId,
        name: 'Vaccines',
        temperature: { min: 2, max: 8 },
      });
    });
    afterAll(async () => {
      await store.database.close();
    });

    it('applies migrations idempotently (a second start changes nothing)', async () => {
      await store.database.close();
      store = await openFixture(openDatabase);
      expect(await store.tenants.isEmpty()).toBe(false);
    });

    it('keeps hubs and tags in the snapshot, and moves the version on every change', async () => {
      const before = await store.database.version();
      await store.hubs.createHub({ imei, tenantId, name: 'Truck 1', secretHash: hashHubSecret('s3cret') });
      await store.tags.createTag({ mac: 'AA:BB:CC:DD:EE:01', tenantId, name: 'Pallet 1', profileId });
      expect(await store.database.version()).toBeGreaterThan(before);
      const snap = await store.database.snapshot();
      expect(snap.hubs.find((h) => h.imei === imei)).toMatchObject({ tenantId, name: 'Truck 1' });
      expect(snap.tags.find((t) => t.mac === 'AA:BB:CC:DD:EE:01')).toMatchObject({ tenantId, profileId });
    });

    it('lets a cache authenticate hubs and resolve profiles, scoped by tenant', async () => {
      const cache = new MetadataCache(store.database, 60_000);
      await cache.start();
      try {
        expect(cache.authenticateHub(imei, 's3cret')?.tenantId).toBe(tenantId);
        expect(cache.authenticateHub(imei, 'wrong')).toBeUndefined();
        expect(cache.profileForTag(tenantId, 'AA:BB:CC:DD:EE:01')?.id).toBe(profileId);
        expect(cache.profileForTag(otherTenant, 'AA:BB:CC:DD:EE:01')).toBeUndefined();
        await store.profiles.saveProfile({
          id: profileId,
          tenantId,
          name: 'Vaccines',
          temperature: { min: 2, max: 6 },
        });
        expect(await cache.refresh()).toBe(true);
        expect(cache.profileForTag(tenantId, 'AA:BB:CC:DD:EE:01')?.temperature.max).toBe(6);
        expect(await cache.refresh()).toBe(false);
      } finally {
        cache.stop();
      }
    });

    it('never runs two withLock callbacks of one name at once, and returns their results', async () => {
      let inside = 0;
      let overlapped = false;
      const critical = (n: number) => async () => {
        inside++;
        if (inside > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 20));
        inside--;
        return n;
      };
      const results = await Promise.all(
        [1, 2, 3].map((n) => store.database.withLock('contract-lock', critical(n))),
      );
      expect(results).toEqual([1, 2, 3]);
      expect(overlapped).toBe(false);
    });
  });
}
