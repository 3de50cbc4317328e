import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { imeiFromBody } from '@coldchain/contract';
import {
  MetadataCache,
  hashHubSecret,
  type MetadataStorePort,
  type UserRecord,
} from '@coldchain/metadata-store';

const owner = (tenantId: string, email = `owner-${randomUUID()}@example.com`): UserRecord => ({
  id: randomUUID(),
  tenantId,
  email,
  role: 'owner',
  passwordHash: 'scrypt$x',
  mustChangePassword: true,
});

/**
 * How `promise` settled. The engines' constraint errors are not asserted with
 * `rejects.toThrow()`: better-sqlite3's error class belongs to the first jest
 * realm that loaded the native module, so in another test file of the same
 * worker it is not an `Error` of this realm and `toThrow` sees nothing.
 */
const settled = (promise: Promise<unknown>): Promise<'resolved' | 'rejected'> =>
  promise.then(
    () => 'resolved',
    () => 'rejected',
  );

/**
 * The tenant part of MetadataStorePort (TenantStore: settings, opening,
 * closing) and the platform admins (PlatformAdminStore), on every adapter.
 */
export function tenantStoreContract(adapter: string, makeStore: () => Promise<MetadataStorePort>): void {
  describe(`TenantStore contract: ${adapter}`, () => {
    let store: MetadataStorePort;
    const id = `t-${randomUUID()}`;

    beforeAll(async () => {
      store = await makeStore();
      await store.start();
      await store.createTenant({ id, name: 'Acme Cold' });
    });
    afterAll(async () => {
      await store.close();
    });

    it('reads a new tenant with no settings, and nothing for an unknown id', async () => {
      expect(await store.findTenant(id)).toEqual({ id, name: 'Acme Cold', createdAt: expect.any(Number) });
      expect(await store.findTenant(`t-${randomUUID()}`)).toBeUndefined();
      expect(await store.updateTenant(`t-${randomUUID()}`, { name: 'x' })).toBeUndefined();
    });

    it('sets, keeps and clears settings, and lists tenants with a shorter positions retention', async () => {
      expect(
        await store.updateTenant(id, { timeZone: 'Europe/Lisbon', positionsRetentionDays: 30 }),
      ).toMatchObject({ id, name: 'Acme Cold', timeZone: 'Europe/Lisbon', positionsRetentionDays: 30 });
      expect((await store.tenantsWithPositionsRetention()).map((t) => t.id)).toContain(id);
      const cleared = await store.updateTenant(id, { name: 'Acme', positionsRetentionDays: null });
      expect(cleared).toMatchObject({ id, name: 'Acme', timeZone: 'Europe/Lisbon' });
      expect(cleared?.positionsRetentionDays).toBeUndefined();
      expect((await store.tenantsWithPositionsRetention()).map((t) => t.id)).not.toContain(id);
    });

    it('opens a tenant with its first owner in one step, and bumps the metadata version', async () => {
      const opened = `t-${randomUUID()}`;
      const first = owner(opened);
      const before = await store.version();
      expect(
        await store.openTenant({ id: opened, name: 'Opened Co', timeZone: 'Europe/Paris' }, first),
      ).toEqual({
        id: opened,
        name: 'Opened Co',
        timeZone: 'Europe/Paris',
        createdAt: expect.any(Number),
      });
      expect(await store.version()).toBeGreaterThan(before);
      expect(await store.findUserByEmail(first.email)).toMatchObject({
        id: first.id,
        tenantId: opened,
        role: 'owner',
        mustChangePassword: true,
      });
      expect((await store.listTenants()).map((t) => t.id)).toEqual(expect.arrayContaining([id, opened]));
    });

    it('opens nothing when the tenant id or the owner email is taken (both or neither)', async () => {
      const taken = owner(id);
      await store.createUser(taken);
      const fresh = `t-${randomUUID()}`;
      expect(
        await settled(store.openTenant({ id: fresh, name: 'Dup email' }, owner(fresh, taken.email))),
      ).toBe('rejected');
      expect(await store.findTenant(fresh)).toBeUndefined();
      const newcomer = owner(id);
      expect(await settled(store.openTenant({ id, name: 'Dup id' }, newcomer))).toBe('rejected');
      expect(await store.findUserByEmail(newcomer.email)).toBeUndefined();
      expect((await store.findTenant(id))?.name).toBe('Acme');
    });

    it('closes a tenant once: its hubs, tags and profiles leave the snapshot the gateway authenticates from', async () => {
      const closing = `t-${randomUUID()}`;
      const staying = `t-${randomUUID()}`;
      const suffix = String(Date.now()).slice(-11);
      const [closingHub, stayingHub] = [imeiFromBody(`35${suffix}1`), imeiFromBody(`35${suffix}2`)];
      const mac = `AC:${randomUUID().slice(0, 2).toUpperCase()}:00:00:00:01`.replace(/[^0-9A-F:]/g, '0');
      for (const t of [closing, staying]) await store.openTenant({ id: t, name: t }, owner(t));
      await store.createHub({
        imei: closingHub,
        tenantId: closing,
        name: 'h',
        secretHash: hashHubSecret('s1'),
      });
      await store.createHub({
        imei: stayingHub,
        tenantId: staying,
        name: 'h',
        secretHash: hashHubSecret('s2'),
      });
      await store.saveProfile({
        id: `p-${closing}`,
        tenantId: closing,
        name: 'p',
        temperature: { min: 2, max: 8 },
      });
      await store.createTag({ mac, tenantId: closing, name: 't', profileId: `p-${closing}` });
      const cache = new MetadataCache(store, 60_000);
      await cache.refresh();
      expect(cache.authenticateHub(closingHub, 's1')?.tenantId).toBe(closing);

      const before = await store.version();
      const at = Date.UTC(2026, 11, 3);
      const closingSpec = { at, by: 'ops@platform.test', readOnlyUntil: at + 30 * 86_400_000 };
      expect(await store.closeTenant(closing, closingSpec)).toBe(true);
      expect(await store.version()).toBeGreaterThan(before);
      expect(await store.closeTenant(closing, { ...closingSpec, at: at + 1 })).toBe(false); // the first closing stands
      expect(await store.closeTenant(`t-${randomUUID()}`, closingSpec)).toBe(false);
      expect(await store.findTenant(closing)).toMatchObject({
        closedAt: at,
        closedBy: 'ops@platform.test',
        readOnlyUntil: at + 30 * 86_400_000,
      });
      expect((await store.findTenant(staying))?.closedAt).toBeUndefined();

      const snapshot = await store.snapshot();
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
      expect(await store.findHub(closing, closingHub)).toBeDefined();
      expect(await store.isRegistered({ imei: closingHub })).toBe(true);
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
      await store.createPlatformAdmin(admin);
      const stored = { ...admin, email: admin.email.toLowerCase() };
      expect(await store.findPlatformAdmin(admin.id)).toEqual(stored);
      expect(await store.findPlatformAdminByEmail(admin.email.toUpperCase())).toEqual(stored);
      expect(await store.findUserByEmail(admin.email)).toBeUndefined();
      expect(
        await store.updatePlatformAdmin(admin.id, { passwordHash: 'scrypt$b', mustChangePassword: false }),
      ).toEqual({ ...stored, passwordHash: 'scrypt$b', mustChangePassword: false });
      expect((await store.updatePlatformAdmin(admin.id, { disabled: true }))?.disabled).toBe(true);
      expect(await store.updatePlatformAdmin(randomUUID(), { disabled: true })).toBeUndefined();
      expect(await settled(store.createPlatformAdmin({ ...admin, id: randomUUID() }))).toBe('rejected');
    });

    it('keeps a platform admin’s session without a tenant, and ends it like any other', async () => {
      const adminId = randomUUID();
      await store.createPlatformAdmin({
        id: adminId,
        email: `ops-${randomUUID()}@platform.test`,
        passwordHash: 'scrypt$a',
        mustChangePassword: false,
        disabled: false,
        createdAt: 1,
      });
      const sid = randomUUID();
      await store.createSession({
        id: sid,
        userId: adminId,
        refreshHash: 'h',
        createdAt: 1_000,
        lastSeenAt: 1_000,
        expiresAt: 10_000,
      });
      const found = await store.findSession(sid);
      expect(found).toMatchObject({ id: sid, userId: adminId });
      expect(found?.tenantId).toBeUndefined();
      await store.revokeUserSessions(adminId, 2_000, 'password_changed');
      expect(await store.findSession(sid)).toMatchObject({
        revokedAt: 2_000,
        revokedReason: 'password_changed',
      });
    });
  });
}
