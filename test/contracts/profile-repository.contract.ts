import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  openFixture,
  type MetadataFixture,
  type OpenDatabase,
  seedTenantFleet,
  tenantFleetIds,
} from './metadata-fixture.js';

/**
 * Profiles, versioned on every save, tenant-scoped. Whether a profile makes
 * sense is the domain's question, asked before saving (libs/fleet).
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function profileRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`ProfileRepository contract: ${adapter}`, () => {
    describe('store basics', () => {
      let store: MetadataFixture;
      const tenantId = `t-${randomUUID()}`;
      const otherTenant = `t-${randomUUID()}`;
      const profileId = `p-${randomUUID()}`;

      beforeAll(async () => {
        store = await openFixture(openDatabase);
        await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
        await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
      });
      afterAll(async () => {
        await store.database.close();
      });

      it('saves a profile at version 1, and bumps the version on each edit', async () => {
        const v1 = await store.profiles.saveProfile({
          id: profileId,
          tenantId,
          name: 'Vaccines',
          temperature: { min: 2, max: 8 },
        });
        expect(v1.version).toBe(1);
        const v2 = await store.profiles.saveProfile({
          id: profileId,
          tenantId,
          name: 'Vaccines',
          temperature: { min: 2, max: 7 },
        });
        expect(v2.version).toBe(2);
        const snap = await store.database.snapshot();
        expect(snap.profiles.find((p) => p.id === profileId)).toMatchObject({
          version: 2,
          temperature: { min: 2, max: 7 },
        });
      });

      it('persists the alarm rules of a profile and returns them with each new version', async () => {
        const id = `p-${randomUUID()}`;
        const rules = {
          temperature: {
            high: {
              warning: { bound: 8, delayMs: 900_000 },
              critical: { bound: 12, delayMs: 300_000 },
              hysteresis: 0.5,
            },
          },
          tag: { silent: { warning: { afterMs: 1_800_000 } } },
        };
        const v1 = await store.profiles.saveProfile({
          id,
          tenantId,
          name: 'Vaccines',
          temperature: { min: 2, max: 8 },
          rules,
        });
        expect(v1).toMatchObject({ version: 1, rules });
        const v2 = await store.profiles.saveProfile({
          id,
          tenantId,
          name: 'Vaccines',
          temperature: { min: 2, max: 8 },
        });
        expect(v2.version).toBe(2);
        const snap = await store.database.snapshot();
        const saved = snap.profiles.find((p) => p.id === id);
        expect(saved).toMatchObject({ version: 2 });
        expect(saved?.rules).toBeUndefined();
        await store.profiles.saveProfile({
          id,
          tenantId,
          name: 'Vaccines',
          temperature: { min: 2, max: 8 },
          rules,
        });
        expect((await store.database.snapshot()).profiles.find((p) => p.id === id)).toEqual({
          id,
          tenantId,
          name: 'Vaccines',
          version: 3,
          temperature: { min: 2, max: 8 },
          rules,
        });
      });
    });

    describe('operator API', () => {
      let store: MetadataFixture;
      const { tenantId, otherTenant, userId, email, imei, mac, profileId } = tenantFleetIds();

      beforeAll(async () => {
        store = await openFixture(openDatabase);
        await seedTenantFleet(store, { tenantId, otherTenant, userId, email, imei, mac, profileId });
      });
      afterAll(async () => {
        await store.database.close();
      });

      it('finds and lists profiles of one tenant only', async () => {
        expect(await store.profiles.findProfile(tenantId, profileId)).toMatchObject({
          id: profileId,
          version: 1,
          temperature: { min: 2, max: 8 },
        });
        expect(await store.profiles.findProfile(otherTenant, profileId)).toBeUndefined();
        expect((await store.profiles.listProfiles(tenantId)).map((p) => p.id)).toEqual([profileId]);
        expect(await store.profiles.listProfiles(otherTenant)).toEqual([]);
      });
    });
  });
}
