import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type SessionRecord } from '@coldchain/metadata-store';
import {
  openFixture,
  type MetadataFixture,
  type OpenDatabase,
  seedTenantFleet,
  tenantFleetIds,
} from './metadata-fixture.js';

/**
 * Login sessions and failed-login counts; the atomic steps hold under concurrency.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function sessionRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`SessionRepository contract: ${adapter}`, () => {
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
        await store.sessions.createSession(session(id));
        await store.sessions.touchSession(id, 5000);
        await store.sessions.touchSession(id, 3000);
        expect(await store.sessions.findSession(id)).toMatchObject({ lastSeenAt: 5000, refreshHash: 'h1' });
        expect(await store.sessions.rotateRefresh(id, 'h1', 'h2')).toBe(true);
        expect(await store.sessions.rotateRefresh(id, 'h1', 'h3')).toBe(false);
        expect(await store.sessions.findSession(id)).toMatchObject({
          refreshHash: 'h2',
          previousRefreshHash: 'h1',
        });
        expect(await store.sessions.rotateRefresh(id, 'h2', 'h4')).toBe(true);
        expect(await store.sessions.findSession(id)).toMatchObject({
          refreshHash: 'h4',
          previousRefreshHash: 'h2',
        });
        expect(await store.sessions.findSession(randomUUID())).toBeUndefined();
      });

      it('revokes a session once (first reason kept), and then refuses its rotation', async () => {
        const id = randomUUID();
        await store.sessions.createSession(session(id));
        await store.sessions.revokeSession(id, 7000, 'logout');
        await store.sessions.revokeSession(id, 8000, 'idle');
        expect(await store.sessions.findSession(id)).toMatchObject({
          revokedAt: 7000,
          revokedReason: 'logout',
        });
        expect(await store.sessions.rotateRefresh(id, 'h1', 'h2')).toBe(false);
      });

      it('revokes every live session of a user but the one kept', async () => {
        const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
        for (const id of [a, b, c]) await store.sessions.createSession(session(id));
        await store.sessions.revokeUserSessions(userId, 9000, 'password_changed', b);
        expect((await store.sessions.findSession(a))?.revokedReason).toBe('password_changed');
        expect((await store.sessions.findSession(b))?.revokedAt).toBeUndefined();
        expect((await store.sessions.findSession(c))?.revokedAt).toBe(9000);
      });

      it('reserves login attempts up to the limit, then locks and refuses without counting until the lock ends', async () => {
        const who = `Reserve-${randomUUID()}@Example.com`;
        const policy = { maxFailures: 3, lockMs: 60_000 };
        expect(await store.sessions.reserveLoginAttempt(who, 1000, policy)).toEqual({
          granted: true,
          attempt: 1,
        });
        expect(await store.sessions.reserveLoginAttempt(who.toLowerCase(), 1100, policy)).toEqual({
          granted: true,
          attempt: 2,
        });
        expect(await store.sessions.reserveLoginAttempt(who, 1200, policy)).toEqual({
          granted: true,
          attempt: 3,
        });
        expect(await store.sessions.reserveLoginAttempt(who, 1300, policy)).toEqual({
          granted: false,
          lockedUntil: 61_300,
        });
        expect(await store.sessions.reserveLoginAttempt(who, 61_299, policy)).toEqual({
          granted: false,
          lockedUntil: 61_300,
        });
        expect(await store.sessions.loginFailures(who)).toEqual({ failures: 0, lockedUntil: 61_300 });
        expect(await store.sessions.reserveLoginAttempt(who, 61_300, policy)).toEqual({
          granted: true,
          attempt: 1,
        });
      });

      it('grants exactly the allowed number of concurrent reservations for one email', async () => {
        const who = `burst-${randomUUID()}@example.com`;
        const policy = { maxFailures: 5, lockMs: 60_000 };
        const answers = await Promise.all(
          Array.from({ length: 40 }, () => store.sessions.reserveLoginAttempt(who, 5000, policy)),
        );
        const granted = answers.filter((a) => a.granted);
        expect(granted).toHaveLength(5);
        expect(granted.map((a) => a.granted && a.attempt).sort()).toEqual([1, 2, 3, 4, 5]);
        expect(answers.filter((a) => !a.granted)).toEqual(
          Array.from({ length: 35 }, () => ({ granted: false, lockedUntil: 65_000 })),
        );
        expect(await store.sessions.loginFailures(who)).toEqual({ failures: 0, lockedUntil: 65_000 });
      });

      it('settles a failed reserved attempt: locks once the count has reached the limit', async () => {
        const who = `settle-${randomUUID()}@example.com`;
        const policy = { maxFailures: 2, lockMs: 60_000 };
        await store.sessions.reserveLoginAttempt(who, 1000, policy);
        expect(await store.sessions.settleFailedLogin(who, 1500, policy)).toEqual({ failures: 1 });
        await store.sessions.reserveLoginAttempt(who, 2000, policy);
        expect(await store.sessions.settleFailedLogin(who, 2500, policy)).toEqual({
          failures: 0,
          lockedUntil: 62_500,
        });
        expect(await store.sessions.settleFailedLogin(who, 3000, policy)).toEqual({
          failures: 0,
          lockedUntil: 62_500,
        });
        expect(
          await store.sessions.settleFailedLogin(`none-${randomUUID()}@example.com`, 3000, policy),
        ).toEqual({
          failures: 0,
        });
      });

      it('clears the count after a success unless the email is locked, and then keeps the lock', async () => {
        const who = `clear-${randomUUID()}@example.com`;
        const policy = { maxFailures: 2, lockMs: 60_000 };
        await store.sessions.reserveLoginAttempt(who, 1000, policy);
        expect(await store.sessions.clearUnlockedLoginFailures(who.toUpperCase(), 1500)).toBe(true);
        expect(await store.sessions.loginFailures(who)).toBeUndefined();
        expect(await store.sessions.clearUnlockedLoginFailures(who, 1600)).toBe(true); // nothing counted
        for (let i = 0; i < 3; i++) await store.sessions.reserveLoginAttempt(who, 2000, policy); // the third locks
        expect(await store.sessions.clearUnlockedLoginFailures(who, 2500)).toBe(false);
        expect(await store.sessions.loginFailures(who)).toEqual({ failures: 0, lockedUntil: 62_000 });
        expect(await store.sessions.clearUnlockedLoginFailures(who, 62_000)).toBe(true); // the lock is over
        expect(await store.sessions.loginFailures(who)).toBeUndefined();
      });

      it('purges ended sessions and stale login failures, keeping live sessions and running locks', async () => {
        const [revoked, expired, live] = [randomUUID(), randomUUID(), randomUUID()];
        for (const id of [revoked, expired, live]) await store.sessions.createSession(session(id));
        await store.sessions.revokeSession(revoked, 2000, 'logout');
        await store.sessions.createSession({ ...session(expired), id: `${expired}-2`, expiresAt: 3000 });
        await store.sessions.revokeSession(expired, 90_000_000, 'logout'); // ended after the cut-off: kept
        const [stale, locked] = [`stale-${randomUUID()}@x.test`, `locked-${randomUUID()}@x.test`];
        await store.sessions.reserveLoginAttempt(stale, 1000, { maxFailures: 5, lockMs: 1 });
        for (let i = 0; i < 2; i++)
          await store.sessions.reserveLoginAttempt(locked, 1000, { maxFailures: 1, lockMs: 10_000_000 });
        expect(await store.sessions.purgeAuthRecords(5000)).toBeGreaterThanOrEqual(3);
        expect(await store.sessions.findSession(revoked)).toBeUndefined();
        expect(await store.sessions.findSession(`${expired}-2`)).toBeUndefined();
        expect(await store.sessions.findSession(expired)).toBeDefined();
        expect(await store.sessions.findSession(live)).toBeDefined();
        expect(await store.sessions.loginFailures(stale)).toBeUndefined();
        expect(await store.sessions.loginFailures(locked)).toEqual({ failures: 0, lockedUntil: 10_001_000 });
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

      it('keeps a platform admin’s session without a tenant, and ends it like any other', async () => {
        const adminId = randomUUID();
        await store.users.createPlatformAdmin({
          id: adminId,
          email: `ops-${randomUUID()}@platform.test`,
          passwordHash: 'scrypt$a',
          mustChangePassword: false,
          disabled: false,
          createdAt: 1,
        });
        const sid = randomUUID();
        await store.sessions.createSession({
          id: sid,
          userId: adminId,
          refreshHash: 'h',
          createdAt: 1_000,
          lastSeenAt: 1_000,
          expiresAt: 10_000,
        });
        const found = await store.sessions.findSession(sid);
        expect(found).toMatchObject({ id: sid, userId: adminId });
        expect(found?.tenantId).toBeUndefined();
        await store.sessions.revokeUserSessions(adminId, 2_000, 'password_changed');
        expect(await store.sessions.findSession(sid)).toMatchObject({
          revokedAt: 2_000,
          revokedReason: 'password_changed',
        });
      });
    });
  });
}
