import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { imeiFromBody } from '@coldchain/contract';
import {
  MetadataCache,
  hashHubSecret,
  type MetadataStorePort,
  type SessionRecord,
} from '@coldchain/metadata-store';

/**
 * The operator API's part of MetadataStorePort (OperatorStore): tenant-scoped
 * reads and edits, sessions, login failures, audit trail. Every adapter runs
 * it: SQLite in the unit tier, PostgreSQL in the integration tier. Each case
 * also proves that another tenant's object behaves as absent.
 */
export function operatorStoreContract(adapter: string, makeStore: () => Promise<MetadataStorePort>): void {
  describe(`OperatorStore contract: ${adapter}`, () => {
    let store: MetadataStorePort;
    const tenantId = `t-${randomUUID()}`;
    const otherTenant = `t-${randomUUID()}`;
    const userId = randomUUID();
    const email = `owner-${randomUUID()}@example.com`;
    const imei = imeiFromBody('35' + String(Date.now()).slice(-12));
    const mac = ['AA', 'BB', 'CC', ...randomBytes(3).toString('hex').toUpperCase().match(/../g)!].join(':');
    const profileId = `p-${randomUUID()}`;

    beforeAll(async () => {
      store = await makeStore();
      await store.start();
      await store.createTenant({ id: tenantId, name: 'Acme' });
      await store.createTenant({ id: otherTenant, name: 'Other' });
      await store.createUser({
        id: userId,
        tenantId,
        email,
        role: 'owner',
        passwordHash: 'scrypt$x',
        mustChangePassword: true,
      });
      await store.saveProfile({ id: profileId, tenantId, name: 'Vaccines', temperature: { min: 2, max: 8 } });
      await store.createHub({ imei, tenantId, name: 'Truck', secretHash: hashHubSecret('old-secret') });
      await store.createTag({ mac, tenantId, name: 'Pallet' });
    });
    afterAll(async () => {
      await store.close();
    });

    it('finds and lists users of one tenant only', async () => {
      expect(await store.findUser(tenantId, userId)).toMatchObject({ email, role: 'owner', disabled: false });
      expect(await store.findUser(otherTenant, userId)).toBeUndefined();
      expect((await store.listUsers(tenantId)).map((u) => u.id)).toEqual([userId]);
      expect(await store.listUsers(otherTenant)).toEqual([]);
    });

    it('updates a user within its tenant, and leaves it untouched from another', async () => {
      expect(await store.updateUser(otherTenant, userId, { role: 'viewer' })).toBeUndefined();
      expect((await store.findUser(tenantId, userId))?.role).toBe('owner');
      const updated = await store.updateUser(tenantId, userId, {
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
      expect((await store.findUserByEmail(email))?.disabled).toBe(true);
      await store.updateUser(tenantId, userId, { role: 'owner', disabled: false });
      expect(await store.findUser(tenantId, userId)).toMatchObject({ role: 'owner', disabled: false });
    });

    const session = (id: string): SessionRecord => ({
      id,
      userId,
      tenantId,
      refreshHash: 'h1',
      createdAt: 1000,
      lastSeenAt: 1000,
      expiresAt: 100_000,
    });

    it('keeps sessions: activity only moves forward, the refresh hash rotates once per value', async () => {
      const id = randomUUID();
      await store.createSession(session(id));
      await store.touchSession(id, 5000);
      await store.touchSession(id, 3000);
      expect(await store.findSession(id)).toMatchObject({ lastSeenAt: 5000, refreshHash: 'h1' });
      expect(await store.rotateRefresh(id, 'h1', 'h2')).toBe(true);
      expect(await store.rotateRefresh(id, 'h1', 'h3')).toBe(false);
      expect(await store.findSession(id)).toMatchObject({ refreshHash: 'h2', previousRefreshHash: 'h1' });
      expect(await store.rotateRefresh(id, 'h2', 'h4')).toBe(true);
      expect(await store.findSession(id)).toMatchObject({ refreshHash: 'h4', previousRefreshHash: 'h2' });
      expect(await store.findSession(randomUUID())).toBeUndefined();
    });

    it('revokes a session once (first reason kept), and then refuses its rotation', async () => {
      const id = randomUUID();
      await store.createSession(session(id));
      await store.revokeSession(id, 7000, 'logout');
      await store.revokeSession(id, 8000, 'idle');
      expect(await store.findSession(id)).toMatchObject({ revokedAt: 7000, revokedReason: 'logout' });
      expect(await store.rotateRefresh(id, 'h1', 'h2')).toBe(false);
    });

    it('revokes every live session of a user but the one kept', async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of [a, b, c]) await store.createSession(session(id));
      await store.revokeUserSessions(userId, 9000, 'password_changed', b);
      expect((await store.findSession(a))?.revokedReason).toBe('password_changed');
      expect((await store.findSession(b))?.revokedAt).toBeUndefined();
      expect((await store.findSession(c))?.revokedAt).toBe(9000);
    });

    it('reserves login attempts up to the limit, then locks and refuses without counting until the lock ends', async () => {
      const who = `Reserve-${randomUUID()}@Example.com`;
      const policy = { maxFailures: 3, lockMs: 60_000 };
      expect(await store.reserveLoginAttempt(who, 1000, policy)).toEqual({ granted: true, attempt: 1 });
      expect(await store.reserveLoginAttempt(who.toLowerCase(), 1100, policy)).toEqual({
        granted: true,
        attempt: 2,
      });
      expect(await store.reserveLoginAttempt(who, 1200, policy)).toEqual({ granted: true, attempt: 3 });
      expect(await store.reserveLoginAttempt(who, 1300, policy)).toEqual({
        granted: false,
        lockedUntil: 61_300,
      });
      expect(await store.reserveLoginAttempt(who, 61_299, policy)).toEqual({
        granted: false,
        lockedUntil: 61_300,
      });
      expect(await store.loginFailures(who)).toEqual({ failures: 0, lockedUntil: 61_300 });
      expect(await store.reserveLoginAttempt(who, 61_300, policy)).toEqual({ granted: true, attempt: 1 });
    });

    it('grants exactly the allowed number of concurrent reservations for one email', async () => {
      const who = `burst-${randomUUID()}@example.com`;
      const policy = { maxFailures: 5, lockMs: 60_000 };
      const answers = await Promise.all(
        Array.from({ length: 40 }, () => store.reserveLoginAttempt(who, 5000, policy)),
      );
      const granted = answers.filter((a) => a.granted);
      expect(granted).toHaveLength(5);
      expect(granted.map((a) => a.granted && a.attempt).sort()).toEqual([1, 2, 3, 4, 5]);
      expect(answers.filter((a) => !a.granted)).toEqual(
        Array.from({ length: 35 }, () => ({ granted: false, lockedUntil: 65_000 })),
      );
      expect(await store.loginFailures(who)).toEqual({ failures: 0, lockedUntil: 65_000 });
    });

    it('settles a failed reserved attempt: locks once the count has reached the limit', async () => {
      const who = `settle-${randomUUID()}@example.com`;
      const policy = { maxFailures: 2, lockMs: 60_000 };
      await store.reserveLoginAttempt(who, 1000, policy);
      expect(await store.settleFailedLogin(who, 1500, policy)).toEqual({ failures: 1 });
      await store.reserveLoginAttempt(who, 2000, policy);
      expect(await store.settleFailedLogin(who, 2500, policy)).toEqual({ failures: 0, lockedUntil: 62_500 });
      expect(await store.settleFailedLogin(who, 3000, policy)).toEqual({ failures: 0, lockedUntil: 62_500 });
      expect(await store.settleFailedLogin(`none-${randomUUID()}@example.com`, 3000, policy)).toEqual({
        failures: 0,
      });
    });

    it('clears the count after a success unless the email is locked, and then keeps the lock', async () => {
      const who = `clear-${randomUUID()}@example.com`;
      const policy = { maxFailures: 2, lockMs: 60_000 };
      await store.reserveLoginAttempt(who, 1000, policy);
      expect(await store.clearUnlockedLoginFailures(who.toUpperCase(), 1500)).toBe(true);
      expect(await store.loginFailures(who)).toBeUndefined();
      expect(await store.clearUnlockedLoginFailures(who, 1600)).toBe(true); // nothing counted
      for (let i = 0; i < 3; i++) await store.reserveLoginAttempt(who, 2000, policy); // the third locks
      expect(await store.clearUnlockedLoginFailures(who, 2500)).toBe(false);
      expect(await store.loginFailures(who)).toEqual({ failures: 0, lockedUntil: 62_000 });
      expect(await store.clearUnlockedLoginFailures(who, 62_000)).toBe(true); // the lock is over
      expect(await store.loginFailures(who)).toBeUndefined();
    });

    it('tells whether an IMEI or a MAC is registered, whatever the tenant', async () => {
      expect(await store.isRegistered({ imei })).toBe(true);
      expect(await store.isRegistered({ mac })).toBe(true);
      expect(await store.isRegistered({ imei: imeiFromBody('35000000000001') })).toBe(false);
      expect(await store.isRegistered({ mac: 'FE:FE:FE:FE:FE:FE' })).toBe(false);
    });

    it('purges ended sessions and stale login failures, keeping live sessions and running locks', async () => {
      const [revoked, expired, live] = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of [revoked, expired, live]) await store.createSession(session(id));
      await store.revokeSession(revoked, 2000, 'logout');
      await store.createSession({ ...session(expired), id: `${expired}-2`, expiresAt: 3000 });
      await store.revokeSession(expired, 90_000_000, 'logout'); // ended after the cut-off: kept
      const [stale, locked] = [`stale-${randomUUID()}@x.test`, `locked-${randomUUID()}@x.test`];
      await store.reserveLoginAttempt(stale, 1000, { maxFailures: 5, lockMs: 1 });
      for (let i = 0; i < 2; i++)
        await store.reserveLoginAttempt(locked, 1000, { maxFailures: 1, lockMs: 10_000_000 });
      expect(await store.purgeAuthRecords(5000)).toBeGreaterThanOrEqual(3);
      expect(await store.findSession(revoked)).toBeUndefined();
      expect(await store.findSession(`${expired}-2`)).toBeUndefined();
      expect(await store.findSession(expired)).toBeDefined();
      expect(await store.findSession(live)).toBeDefined();
      expect(await store.loginFailures(stale)).toBeUndefined();
      expect(await store.loginFailures(locked)).toEqual({ failures: 0, lockedUntil: 10_001_000 });
    });

    it('finds and lists hubs of one tenant only', async () => {
      expect(await store.findHub(tenantId, imei)).toEqual({ imei, tenantId, name: 'Truck' });
      expect(await store.findHub(otherTenant, imei)).toBeUndefined();
      expect((await store.listHubs(tenantId)).map((h) => h.imei)).toEqual([imei]);
      expect(await store.listHubs(otherTenant)).toEqual([]);
    });

    it('rotates a hub secret: the version moves, a cache takes the new secret and refuses the old', async () => {
      const cache = new MetadataCache(store, 60_000);
      await cache.start();
      try {
        expect(cache.authenticateHub(imei, 'old-secret')).toBeDefined();
        const before = await store.version();
        expect(await store.setHubSecret(otherTenant, imei, hashHubSecret('stolen'))).toBe(false);
        expect(await store.version()).toBe(before);
        expect(await store.setHubSecret(tenantId, imei, hashHubSecret('new-secret'))).toBe(true);
        expect(await store.version()).toBeGreaterThan(before);
        expect(await cache.refresh()).toBe(true);
        expect(cache.authenticateHub(imei, 'new-secret')?.tenantId).toBe(tenantId);
        expect(cache.authenticateHub(imei, 'old-secret')).toBeUndefined();
        expect(cache.authenticateHub(imei, 'stolen')).toBeUndefined();
      } finally {
        cache.stop();
      }
    });

    it('assigns and unassigns a tag profile within its tenant, moving the version', async () => {
      expect(await store.findTag(otherTenant, mac)).toBeUndefined();
      expect(await store.updateTag(otherTenant, mac, { profileId })).toBeUndefined();
      const before = await store.version();
      expect(await store.updateTag(tenantId, mac, { profileId, name: 'Pallet 7' })).toEqual({
        mac,
        tenantId,
        name: 'Pallet 7',
        profileId,
      });
      expect(await store.version()).toBeGreaterThan(before);
      expect((await store.snapshot()).tags.find((t) => t.mac === mac)?.profileId).toBe(profileId);
      expect((await store.updateTag(tenantId, mac, { profileId: null }))?.profileId).toBeUndefined();
      expect((await store.listTags(tenantId)).map((t) => t.mac)).toEqual([mac]);
      expect(await store.listTags(otherTenant)).toEqual([]);
    });

    it('finds and lists profiles of one tenant only', async () => {
      expect(await store.findProfile(tenantId, profileId)).toMatchObject({
        id: profileId,
        version: 1,
        temperature: { min: 2, max: 8 },
      });
      expect(await store.findProfile(otherTenant, profileId)).toBeUndefined();
      expect((await store.listProfiles(tenantId)).map((p) => p.id)).toEqual([profileId]);
      expect(await store.listProfiles(otherTenant)).toEqual([]);
    });

    it('keeps the audit trail newest first, filtered by object, scoped by tenant', async () => {
      const entry = {
        tenantId,
        actorId: userId,
        actorEmail: email,
        objectType: 'profile' as const,
        objectId: profileId,
      };
      const first = await store.recordAudit({ ...entry, action: 'profile.create', at: 1, detail: { v: 1 } });
      const second = await store.recordAudit({ ...entry, action: 'profile.update', at: 2, detail: { v: 2 } });
      await store.recordAudit({
        ...entry,
        objectType: 'hub',
        objectId: imei,
        action: 'hub.create',
        at: 3,
        detail: {},
      });
      expect(second.id).toBeGreaterThan(first.id);
      const trail = await store.listAudit(tenantId, {
        objectType: 'profile',
        objectId: profileId,
        limit: 10,
      });
      expect(trail).toEqual([second, first]);
      expect((await store.listAudit(tenantId, { limit: 10 })).map((e) => e.action)).toEqual([
        'hub.create',
        'profile.update',
        'profile.create',
      ]);
      expect(await store.listAudit(otherTenant, { limit: 10 })).toEqual([]);
    });
  });
}
