import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword } from '@coldchain/metadata-store';
import {
  openFixture,
  settled,
  type MetadataFixture,
  type OpenDatabase,
  seedTenantFleet,
  tenantFleetIds,
} from './metadata-fixture.js';

/**
 * Accounts: tenants' users (tenant-scoped) and platform admins.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function userRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`UserRepository contract: ${adapter}`, () => {
    describe('store basics', () => {
      let store: MetadataFixture;
      const tenantId = `t-${randomUUID()}`;
      const otherTenant = `t-${randomUUID()}`;

      beforeAll(async () => {
        store = await openFixture(openDatabase);
        await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
        await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
      });
      afterAll(async () => {
        await store.database.close();
      });

      it('stores users with a verifiable scrypt hash, found by email whatever its case', async () => {
        const email = `Op-${randomUUID()}@Example.com`;
        await store.users.createUser({
          id: randomUUID(),
          tenantId,
          email,
          role: 'operator',
          passwordHash: await hashPassword('correct horse'),
          mustChangePassword: true,
        });
        const user = await store.users.findUserByEmail(email.toUpperCase());
        expect(user).toMatchObject({ tenantId, role: 'operator', mustChangePassword: true });
        expect(await verifyPassword('correct horse', user!.passwordHash)).toBe(true);
        expect(await verifyPassword('wrong', user!.passwordHash)).toBe(false);
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

      it('finds and lists users of one tenant only', async () => {
        expect(await store.users.findUser(tenantId, userId)).toMatchObject({
          email,
          role: 'owner',
          disabled: false,
        });
        expect(await store.users.findUser(otherTenant, userId)).toBeUndefined();
        expect((await store.users.listUsers(tenantId)).map((u) => u.id)).toEqual([userId]);
        expect(await store.users.listUsers(otherTenant)).toEqual([]);
      });

      it('updates a user within its tenant, and leaves it untouched from another', async () => {
        expect(await store.users.updateUser(otherTenant, userId, { role: 'viewer' })).toBeUndefined();
        expect((await store.users.findUser(tenantId, userId))?.role).toBe('owner');
        const updated = await store.users.updateUser(tenantId, userId, {
          role: 'operator',
          passwordHash: 'scrypt$y',
          mustChangePassword: false,
          disabled: true,
        });
        expect(updated).toMatchObject({
          role: 'operator',
          passwordHash: 'scrypt$y',
          mustChangePassword: false,
          disabled: true,
        });
        expect((await store.users.findUserByEmail(email))?.disabled).toBe(true);
        await store.users.updateUser(tenantId, userId, { role: 'owner', disabled: false });
        expect(await store.users.findUser(tenantId, userId)).toMatchObject({
          role: 'owner',
          disabled: false,
        });
      });
    });

    describe('tenants and platform admins', () => {
      let store: MetadataFixture;
      const id = `t-${randomUUID()}`;

      beforeAll(async () => {
        store = await openFixture(openDatabase);
        await store.tenants.createTenant({ id, name: 'Acme Cold' });
      });
      afterAll(async () => {
        await store.database.close();
      });

      it('keeps platform admins apart from users: found by id and email (any case), updated, emails unique', async () => {
        const admin = {
          id: randomUUID(),
          email: `Ops-${randomUUID()}@Platform.test`,
          passwordHash: 'scrypt$a',
          mustChangePassword: true,
          disabled: false,
          createdAt: Date.UTC(2026, 11, 3),
        };
        await store.users.createPlatformAdmin(admin);
        const stored = { ...admin, email: admin.email.toLowerCase() };
        expect(await store.users.findPlatformAdmin(admin.id)).toEqual(stored);
        expect(await store.users.findPlatformAdminByEmail(admin.email.toUpperCase())).toEqual(stored);
        expect(await store.users.findUserByEmail(admin.email)).toBeUndefined();
        expect(
          await store.users.updatePlatformAdmin(admin.id, {
            passwordHash: 'scrypt$b',
            mustChangePassword: false,
          }),
        ).toEqual({ ...stored, passwordHash: 'scrypt$b', mustChangePassword: false });
        expect((await store.users.updatePlatformAdmin(admin.id, { disabled: true }))?.disabled).toBe(true);
        expect(await store.users.updatePlatformAdmin(randomUUID(), { disabled: true })).toBeUndefined();
        expect(await settled(store.users.createPlatformAdmin({ ...admin, id: randomUUID() }))).toBe(
          'rejected',
        );
      });
    });
  });
}
