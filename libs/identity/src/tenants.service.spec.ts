import { beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@coldchain/domain';
import { SqliteDatabase, hashPassword } from '@coldchain/metadata-store';
import { AuthService } from './auth.service.js';
import type { AuthPolicy } from './identity.defaults.js';
import { ensurePlatformAdmin } from './platform-admin.bootstrap.js';
import type { Caller, PlatformPrincipal } from './principal.js';
import { SessionEndings, type SessionEnding } from './session-endings.js';
import { TenantsService, newTenantId } from './tenants.service.js';
import { startMetadata, type MetadataHarness } from '../../../test/support/metadata.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const policy: AuthPolicy = {
  jwtSecret: new TextEncoder().encode('x'.repeat(32)),
  accessTokenTtlMs: 5 * MINUTE,
  sessionIdleMs: 20 * MINUTE,
  sessionMaxMs: 12 * 60 * MINUTE,
  loginMaxFailures: 3,
  loginLockoutMs: 15 * MINUTE,
  passwordMinLength: 12,
  loginAttemptsPerMinute: 100,
};
const ADMIN = 'ops@platform.test';

function platformCaller(caller: Caller): PlatformPrincipal {
  if (caller.kind !== 'platform') throw new Error(`expected a platform admin, got ${caller.kind}`);
  return caller;
}

/** Platform admins and the tenant lifecycle on a real SQLite store (in memory), the clock driven by hand. */
describe('platform administration', () => {
  let store: MetadataHarness;
  let clock: ManualClock;
  let auth: AuthService;
  let tenants: TenantsService;
  let admin: PlatformPrincipal;

  beforeEach(async () => {
    store = await startMetadata(new SqliteDatabase(':memory:'));
    clock = new ManualClock(Date.UTC(2026, 11, 3));
    auth = new AuthService(store, policy, clock);
    tenants = new TenantsService(store, clock, 30);
    const boot = await ensurePlatformAdmin(store, ADMIN, clock);
    if (!boot.created) throw new Error('expected a new platform admin');
    const first = await auth.login(ADMIN, boot.temporaryPassword);
    expect(first.mustChangePassword).toBe(true);
    await auth.changePassword(
      await auth.authenticate(first.accessToken),
      boot.temporaryPassword,
      'platform admin password',
    );
    admin = platformCaller(
      await auth.authenticate((await auth.login(ADMIN, 'platform admin password')).accessToken),
    );
  });

  it('bootstraps the platform admin once, a member of no tenant, and refuses a tenant user’s email', async () => {
    expect(await ensurePlatformAdmin(store, ADMIN.toUpperCase(), clock)).toEqual({ created: false });
    expect(admin).toMatchObject({ kind: 'platform', email: ADMIN, mustChangePassword: false });
    expect(admin).not.toHaveProperty('tenantId');
    expect((await store.sessions.findSession(admin.sessionId))?.tenantId).toBeUndefined();
    await store.tenants.createTenant({ id: 'acme', name: 'Acme' });
    await store.users.createUser({
      id: 'u1',
      tenantId: 'acme',
      email: 'owner@acme.test',
      role: 'owner',
      passwordHash: await hashPassword('owner password 1'),
      mustChangePassword: false,
    });
    await expect(ensurePlatformAdmin(store, 'owner@acme.test', clock)).rejects.toMatchObject({
      code: 'invalid_input',
      problems: ['PLATFORM_ADMIN_EMAIL: belongs to a tenant’s user'],
    });
  });

  it('creates a tenant with its first owner, who must change the temporary password; all audited', async () => {
    const { tenant, owner, temporaryPassword } = await tenants.create(admin, {
      name: 'Frío Pharma S.A.',
      timeZone: 'Europe/Madrid',
      ownerEmail: 'Boss@Frio.test',
    });
    expect(tenant).toMatchObject({ name: 'Frío Pharma S.A.', timeZone: 'Europe/Madrid', status: 'open' });
    expect(tenant.id).toMatch(/^frio-pharma-s-a-[a-z0-9]{6}$/);
    expect(owner).toMatchObject({ email: 'boss@frio.test', role: 'owner', mustChangePassword: true });
    const pair = await auth.login('boss@frio.test', temporaryPassword);
    expect(pair.mustChangePassword).toBe(true);
    expect(await auth.authenticate(pair.accessToken)).toMatchObject({
      kind: 'tenant',
      tenantId: tenant.id,
      role: 'owner',
    });
    const trail = await store.audit.listAudit(tenant.id, { limit: 10 });
    expect(trail.map((e) => [e.action, e.actorEmail])).toEqual([
      ['auth.login', 'boss@frio.test'],
      ['user.create', ADMIN],
      ['tenant.create', ADMIN],
    ]);
    expect(trail[2].detail).toEqual({
      name: 'Frío Pharma S.A.',
      timeZone: 'Europe/Madrid',
      owner: 'boss@frio.test',
    });
    // The platform admin did not become a member: the tenant has exactly its owner.
    expect((await store.users.listUsers(tenant.id)).map((u) => u.email)).toEqual(['boss@frio.test']);
  });

  it('refuses a taken tenant id, a taken user email and the platform admin’s own email (409), creating nothing', async () => {
    await tenants.create(admin, { id: 'acme', name: 'Acme', ownerEmail: 'a@acme.test' });
    await expect(
      tenants.create(admin, { id: 'acme', name: 'Acme 2', ownerEmail: 'b@acme.test' }),
    ).rejects.toMatchObject({ code: 'conflict', message: 'tenant id acme is taken' });
    for (const email of ['a@acme.test', ADMIN.toUpperCase()])
      await expect(
        tenants.create(admin, { id: 'other', name: 'Other', ownerEmail: email }),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
    expect(await store.tenants.findTenant('other')).toBeUndefined();
    expect((await tenants.list(admin)).map((t) => t.id)).toEqual(['acme']);
  });

  it('closes a tenant: its users read until the end of the read-only days, then cannot log in at all', async () => {
    const { tenant, temporaryPassword } = await tenants.create(admin, {
      name: 'Acme',
      ownerEmail: 'o@acme.test',
    });
    const first = await auth.login('o@acme.test', temporaryPassword);
    await auth.changePassword(
      await auth.authenticate(first.accessToken),
      temporaryPassword,
      'owner password 12',
    );
    clock.advance(DAY);
    const closed = await tenants.close(admin, tenant.id, { readOnlyDays: 7, reason: 'contract ended' });
    const until = clock.now() + 7 * DAY;
    expect(closed).toMatchObject({
      status: 'read_only',
      closedAt: clock.now(),
      closedBy: ADMIN,
      readOnlyUntil: until,
    });
    const reading = await auth.login('o@acme.test', 'owner password 12');
    expect(await auth.authenticate(reading.accessToken)).toMatchObject({
      kind: 'tenant',
      readOnlyUntil: until,
    });
    await expect(tenants.close(admin, tenant.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(tenants.close(admin, 'nope')).rejects.toMatchObject({ code: 'not_found' });
    expect((await tenants.history(admin, tenant.id, 10)).map((e) => [e.action, e.detail])).toEqual([
      ['tenant.close', { readOnlyDays: 7, readOnlyUntil: until, reason: 'contract ended' }],
      ['tenant.create', { name: 'Acme', owner: 'o@acme.test' }],
    ]);

    // A session opened just before the read-only access ends ends with it.
    clock.set(until - MINUTE);
    const last = await auth.login('o@acme.test', 'owner password 12');
    clock.advance(2 * MINUTE);
    await expect(auth.authenticate(last.accessToken)).rejects.toMatchObject({ reason: 'tenant_closed' });
    await expect(auth.refresh(last.refreshToken)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(auth.login('o@acme.test', 'owner password 12')).rejects.toMatchObject({
      code: 'unauthorized',
      reason: 'tenant_closed',
    });
    // Only the right password learns that the tenant is closed.
    await expect(auth.login('o@acme.test', 'wrong password!')).rejects.toMatchObject({
      reason: 'credentials',
    });
    expect((await tenants.get(admin, tenant.id)).status).toBe('closed');
  });

  it('ends a live session at the next request when the tenant closes with no read-only days', async () => {
    const { tenant, temporaryPassword } = await tenants.create(admin, {
      name: 'Acme',
      ownerEmail: 'o@acme.test',
    });
    const pair = await auth.login('o@acme.test', temporaryPassword);
    await tenants.close(admin, tenant.id, { readOnlyDays: 0 });
    await expect(auth.authenticate(pair.accessToken)).rejects.toMatchObject({ reason: 'tenant_closed' });
    expect(
      (
        await store.sessions.findSession(
          (await store.sessions.findSession(pair.refreshToken.split('.')[0]))!.id,
        )
      )?.revokedReason,
    ).toBe('tenant_closed');
  });

  it('tells the process when a tenant closes, so that what its users hold open is re-validated', async () => {
    const endings = new SessionEndings();
    const heard: SessionEnding[] = [];
    endings.listen((e) => heard.push(e));
    const told = new TenantsService(store, clock, 30, endings);
    const { tenant } = await told.create(admin, { name: 'Acme', ownerEmail: 'o@acme.test' });
    expect(heard).toEqual([]);
    await told.close(admin, tenant.id);
    await expect(told.close(admin, tenant.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(heard).toEqual([{ tenantId: tenant.id }]);
  });

  it('derives a readable tenant id from any name', () => {
    expect(newTenantId('Acme Cold Chain')).toMatch(/^acme-cold-chain-[a-z0-9]{6}$/);
    expect(newTenantId('---')).toMatch(/^tenant-[a-z0-9]{6}$/);
    expect(newTenantId('Ünïcödé Lögistics & Co. with a very long name indeed')).toMatch(
      /^unicode-logistics-co-wit-[a-z0-9]{6}$/,
    );
  });
});
