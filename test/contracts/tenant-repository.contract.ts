import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { imeiFromBody } from '@coldchain/contract';
import { MetadataCache, hashHubSecret } from '@coldchain/metadata-store';
import { openFixture, owner, settled, type MetadataFixture, type OpenDatabase } from './metadata-fixture.js';

/**
 * Tenants: settings, opening with a first owner, closing.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function tenantRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`TenantRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const id = `t-${randomUUID()}`;

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await store.tenants.createTenant({ id, name: 'Acme Cold' });
    });
    afterAll(async () => {
      await store.database.close();
    });

    it('reads a new tenant with no settings, and nothing for an unknown id', async () => {
      expect(await store.tenants.findTenant(id)).toEqual({
        id,
        name: 'Acme Cold',
        createdAt: expect.any(Number),
      });
      expect(await store.tenants.findTenant(`t-${randomUUID()}`)).toBeUndefined();
      expect(await store.tenants.updateTenant(`t-${randomUUID()}`, { name: 'x' })).toBeUndefined();
    });

    it('sets, keeps and clears settings, and lists tenants with a shorter positions retention', async () => {
      expect(
        await store.tenants.updateTenant(id, { timeZone: 'Europe/Lisbon', positionsRetentionDays: 30 }),
      ).toMatchObject({ id, name: 'Acme Cold', timeZone: 'Europe/Lisbon', positionsRetentionDays: 30 });
      expect((await store.tenants.tenantsWithPositionsRetention()).map((t) => t.id)).toContain(id);
      const cleared = await store.tenants.updateTenant(id, { name: 'Acme', positionsRetentionDays: null });
      expect(cleared).toMatchObject({ id, name: 'Acme', timeZone: 'Europe/Lisbon' });
      expect(cleared?.positionsRetentionDays).toBeUndefined();
      expect((await store.tenants.tenantsWithPositionsRetention()).map((t) => t.id)).not.toContain(id);
    });

    it('opens a tenant with its first owner in one step, and bumps the metadata version', async () => {
      const opened = `t-${randomUUID()}`;
      const first = owner(opened);
      const before = await store.database.version();
      expect(
        await store.tenants.openTenant({ id: opened, name: 'Opened Co', timeZone: 'Europe/Paris' }, first),
      ).toEqual({
        id: opened,
        name: 'Opened Co',
        timeZone: 'Europe/Paris',
        createdAt: expect.any(Number),
      });
      expect(await store.database.version()).toBeGreaterThan(before);
      expect(await store.users.findUserByEmail(first.email)).toMatchObject({
        id: first.id,
        tenantId: opened,
        role: 'owner',
        mustChangePassword: true,
      });
      expect((await store.tenants.listTenants()).map((t) => t.id)).toEqual(
        expect.arrayContaining([id, opened]),
      );
    });

    it('opens nothing when the tenant id or the owner email is taken (both or neither)', async () => {
      const taken = owner(id);
      await store.users.createUser(taken);
      const fresh = `t-${randomUUID()}`;
      expect(
        await settled(store.tenants.openTenant({ id: fresh, name: 'Dup email' }, owner(fresh, taken.email))),
      ).toBe('rejected');
      expect(await store.tenants.findTenant(fresh)).toBeUndefined();
      const newcomer = owner(id);
      expect(await settled(store.tenants.openTenant({ id, name: 'Dup id' }, newcomer))).toBe('rejected');
      expect(await store.users.findUserByEmail(newcomer.email)).toBeUndefined();
      expect((await store.tenants.findTenant(id))?.name).toBe('Acme');
    });

    it('closes a tenant once: its hubs, tags and profiles leave the snapshot the gateway authenticates from', async () => {
      const closing = `t-${randomUUID()}`;
      const staying = `t-${randomUUID()}`;
      const suffix = String(Date.now()).slice(-11);
      const [closingHub, stayingHub] = [imeiFromBody(`35${suffix}1`), imeiFromBody(`35${suffix}2`)];
      const mac = `AC:${randomUUID().slice(0, 2).toUpperCase()}:00:00:00:01`.replace(/[^0-9A-F:]/g, '0');
      for (const t of [closing, staying]) await store.tenants.openTenant({ id: t, name: t }, owner(t));
      await store.hubs.createHub({
        imei: closingHub,
        tenantId: closing,
        name: 'h',
        secretHash: hashHubSecret('s1'),
      });
      await store.hubs.createHub({
        imei: stayingHub,
        tenantId: staying,
        name: 'h',
        secretHash: hashHubSecret('s2'),
      });
      await store.profiles.saveProfile({
        id: `p-${closing}`,
        tenantId: closing,
        name: 'p',
        temperature: { min: 2, max: 8 },
      });
      await store.tags.createTag({ mac, tenantId: closing, name: 't', profileId: `p-${closing}` });
      const cache = new MetadataCache(store.database, 60_000);
      await cache.refresh();
      expect(cache.authenticateHub(closingHub, 's1')?.tenantId).toBe(closing);

      const before = await store.database.version();
      const at = Date.UTC(2026, 11, 3);
      const closingSpec = { at, by: 'ops@platform.test', readOnlyUntil: at + 30 * 86_400_000 };
      expect(await store.tenants.closeTenant(closing, closingSpec)).toBe(true);
      expect(await store.database.version()).toBeGreaterThan(before);
      expect(await store.tenants.closeTenant(closing, { ...closingSpec, at: at + 1 })).toBe(false); // the first closing stands
      expect(await store.tenants.closeTenant(`t-${randomUUID()}`, closingSpec)).toBe(false);
      expect(await store.tenants.findTenant(closing)).toMatchObject({
        closedAt: at,
        closedBy: 'ops@platform.test',
        readOnlyUntil: at + 30 * 86_400_000,
      });
      expect((await store.tenants.findTenant(staying))?.closedAt).toBeUndefined();

      const snapshot = await store.database.snapshot();
      expect(snapshot.tenants.map((t) => t.id)).not.toContain(closing);
      expect(snapshot.hubs.map((h) => h.imei)).not.toContain(closingHub);
      expect(snapshot.hubs.map((h) => h.imei)).toContain(stayingHub);
      expect(snapshot.tags.map((t) => t.mac)).not.toContain(mac);
      expect(snapshot.profiles.map((p) => p.id)).not.toContain(`p-${closing}`);
      expect(await cache.refresh()).toBe(true);
      expect(cache.authenticateHub(closingHub, 's1')).toBeUndefined();
      expect(cache.hub(closingHub)).toBeUndefined();
      expect(cache.tag(closing, mac)).toBeUndefined();
      expect(cache.authenticateHub(stayingHub, 's2')?.tenantId).toBe(staying);
      // Still the tenant's own, for its read-only users and its export.
      expect(await store.hubs.findHub(closing, closingHub)).toBeDefined();
      expect(await store.hubs.isRegistered(closingHub)).toBe(true);
    });
  });
}
