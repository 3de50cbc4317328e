import { beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@coldchain/domain';
import { SqliteMetadataStore, hashPassword } from '@coldchain/metadata-store';
import { AuthService } from './auth.service.js';
import type { Caller, Principal } from './principal.js';
import type { AuthPolicy } from './identity.defaults.js';
import { UsersService } from './users.service.js';

const MINUTE = 60_000;
const policy: AuthPolicy = {
  jwtSecret: new TextEncoder().encode('x'.repeat(32)),
  accessTokenTtlMs: 5 * MINUTE,
  sessionIdleMs: 20 * MINUTE,
  sessionMaxMs: 12 * 60 * MINUTE,
  loginMaxFailures: 3,
  loginLockoutMs: 15 * MINUTE,
  passwordMinLength: 12,
  loginAttemptsPerMinute: 10,
};

/** A tenant's user, as the routes that act within a tenant need it. */
function tenantCaller(caller: Caller): Principal {
  if (caller.kind !== 'tenant') throw new Error(`expected a tenant's user, got ${caller.kind}`);
  return caller;
}

/** AuthService on a real SQLite store (in memory) with a hand-driven clock: no sleeps. */
describe('AuthService', () => {
  let store: SqliteMetadataStore;
  let clock: ManualClock;
  let auth: AuthService;
  const email = 'owner@acme.test';
  const password = 'correct horse battery';

  beforeEach(async () => {
    store = new SqliteMetadataStore(':memory:');
    await store.start();
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    auth = new AuthService(store, policy, clock);
    await store.createTenant({ id: 'acme', name: 'Acme' });
    await store.createUser({
      id: 'u1',
      tenantId: 'acme',
      email,
      role: 'owner',
      passwordHash: await hashPassword(password),
      mustChangePassword: false,
    });
  });

  it('logs in and authenticates the access token as the user of its tenant', async () => {
    const pair = await auth.login('OWNER@acme.test', password);
    expect(pair).toMatchObject({ expiresIn: 300, mustChangePassword: false });
    expect(await auth.authenticate(pair.accessToken)).toMatchObject({
      userId: 'u1',
      tenantId: 'acme',
      role: 'owner',
      mustChangePassword: false,
    });
  });

  it('answers an unknown email and a wrong password alike', async () => {
    const expected = { code: 'unauthorized', reason: 'credentials', message: 'invalid email or password' };
    await expect(auth.login('nobody@acme.test', password)).rejects.toMatchObject(expected);
    await expect(auth.login(email, 'wrong password!')).rejects.toMatchObject(expected);
  });

  it('locks an email after N failures, even for the right password, until the lockout ends', async () => {
    await expect(auth.login(email, 'wrong 1')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(auth.login(email, 'wrong 2')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(auth.login(email, 'wrong 3')).rejects.toMatchObject({
      code: 'too_many_attempts',
      retryAfterMs: 15 * MINUTE,
    });
    await expect(auth.login(email, password)).rejects.toMatchObject({ code: 'too_many_attempts' });
    clock.advance(15 * MINUTE);
    await expect(auth.login(email, password)).resolves.toMatchObject({ mustChangePassword: false });
  });

  it('locks unknown emails too (lockout reveals nothing)', async () => {
    for (let i = 0; i < 2; i++)
      await expect(auth.login('ghost@acme.test', 'x')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(auth.login('ghost@acme.test', 'x')).rejects.toMatchObject({ code: 'too_many_attempts' });
  });

  it('throttles login attempts per client address, whatever the emails, until the minute is over', async () => {
    for (let i = 0; i < 10; i++)
      await expect(auth.login(`spray-${i}@acme.test`, 'Summer2026!', '203.0.113.7')).rejects.toMatchObject({
        code: 'unauthorized',
      });
    clock.advance(30_000);
    await expect(auth.login(email, password, '203.0.113.7')).rejects.toMatchObject({
      code: 'too_many_attempts',
      retryAfterMs: 30_000,
    });
    await expect(auth.login(email, password, '198.51.100.1')).resolves.toMatchObject({
      mustChangePassword: false,
    });
    clock.advance(30_000);
    await expect(auth.login(email, password, '203.0.113.7')).resolves.toMatchObject({
      mustChangePassword: false,
    });
  });

  it('rotates the refresh token; the spent one ends the session when used again', async () => {
    const first = await auth.login(email, password);
    const second = await auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expect(auth.refresh(first.refreshToken)).rejects.toMatchObject({ reason: 'refresh_reuse' });
    await expect(auth.refresh(second.refreshToken)).rejects.toMatchObject({ reason: 'session_revoked' });
    await expect(auth.authenticate(second.accessToken)).rejects.toMatchObject({ reason: 'session_revoked' });
  });

  it('refuses a forged or foreign refresh token without touching any session', async () => {
    await expect(auth.refresh('nonsense')).rejects.toMatchObject({ code: 'unauthorized', reason: 'token' });
    await expect(auth.refresh(`${randomUUID()}.abc`)).rejects.toMatchObject({ reason: 'token' });
  });

  it('ends the session after the idle time without requests; activity keeps it alive; refresh does not', async () => {
    const pair = await auth.login(email, password);
    clock.advance(19 * MINUTE);
    const renewed = await auth.refresh(pair.refreshToken); // not activity
    await auth.authenticate(renewed.accessToken); // activity at 19 min
    clock.advance(19 * MINUTE);
    await expect(auth.authenticate(renewed.accessToken)).rejects.toMatchObject({ reason: 'token_expired' });
    const again = await auth.refresh(renewed.refreshToken);
    await auth.authenticate(again.accessToken); // activity at 38 min
    clock.advance(4 * MINUTE);
    const later = await auth.refresh(again.refreshToken);
    clock.advance(16 * MINUTE); // 20 min after the last request
    await expect(auth.refresh(later.refreshToken)).rejects.toMatchObject({ reason: 'session_idle' });
    await expect(auth.authenticate(later.accessToken)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('ends the session at its maximum lifetime whatever the activity', async () => {
    let pair = await auth.login(email, password);
    for (let t = 4; t < 12 * 60; t += 4) {
      clock.advance(4 * MINUTE);
      pair = await auth.refresh(pair.refreshToken);
      await auth.authenticate(pair.accessToken);
    }
    clock.advance(4 * MINUTE); // 12 h after login
    await expect(auth.refresh(pair.refreshToken)).rejects.toMatchObject({ reason: 'session_expired' });
  });

  it('logs out: both tokens stop working at once', async () => {
    const pair = await auth.login(email, password);
    await auth.logout(await auth.authenticate(pair.accessToken));
    await expect(auth.authenticate(pair.accessToken)).rejects.toMatchObject({ reason: 'session_revoked' });
    await expect(auth.refresh(pair.refreshToken)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses tampered, foreign-key and unsigned tokens', async () => {
    const { accessToken } = await auth.login(email, password);
    const [header, payload] = accessToken.split('.');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const other = new AuthService(
      store,
      { ...policy, jwtSecret: new TextEncoder().encode('y'.repeat(32)) },
      clock,
    );
    const foreign = (await other.login(email, password)).accessToken;
    for (const bad of [unsigned, `${header}.${payload}.AAAA`, foreign, 'not-a-jwt'])
      await expect(auth.authenticate(bad)).rejects.toMatchObject({ code: 'unauthorized', reason: 'token' });
  });

  it('makes a new user change the temporary password; the change ends the other sessions', async () => {
    const owner = tenantCaller(await auth.authenticate((await auth.login(email, password)).accessToken));
    const users = new UsersService(store, clock);
    const { user, temporaryPassword } = await users.create(owner, { email: 'new@acme.test', role: 'viewer' });
    expect(user).toMatchObject({ mustChangePassword: true, role: 'viewer' });
    const elsewhere = await auth.login('new@acme.test', temporaryPassword);
    const pair = await auth.login('new@acme.test', temporaryPassword);
    expect(pair.mustChangePassword).toBe(true);
    const me = tenantCaller(await auth.authenticate(pair.accessToken));
    expect(me.mustChangePassword).toBe(true);
    await expect(auth.changePassword(me, temporaryPassword, 'short')).rejects.toMatchObject({
      code: 'invalid_input',
      problems: ['newPassword: at least 12 characters'],
    });
    await expect(auth.changePassword(me, 'not the temp one', 'a long new password')).rejects.toMatchObject({
      problems: ['currentPassword: wrong password'],
    });
    await auth.changePassword(me, temporaryPassword, 'a long new password');
    expect((await auth.authenticate(pair.accessToken)).mustChangePassword).toBe(false);
    await expect(auth.authenticate(elsewhere.accessToken)).rejects.toMatchObject({
      reason: 'session_revoked',
    });
    await expect(auth.login('new@acme.test', temporaryPassword)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect((await auth.login('new@acme.test', 'a long new password')).mustChangePassword).toBe(false);
  });

  it('disabling a user ends its sessions and refuses its logins', async () => {
    const owner = tenantCaller(await auth.authenticate((await auth.login(email, password)).accessToken));
    const users = new UsersService(store, clock);
    const { user, temporaryPassword } = await users.create(owner, {
      email: 'op@acme.test',
      role: 'operator',
    });
    const pair = await auth.login('op@acme.test', temporaryPassword);
    await users.update(owner, user.id, { disabled: true });
    await expect(auth.authenticate(pair.accessToken)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(auth.login('op@acme.test', temporaryPassword)).rejects.toMatchObject({ reason: 'disabled' });
    await expect(users.update(owner, owner.userId, { role: 'viewer' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const trail = await store.listAudit('acme', { objectType: 'user', objectId: user.id, limit: 10 });
    expect(trail.map((e) => [e.action, e.actorEmail])).toEqual([
      ['user.update', email],
      ['user.create', email],
    ]);
  });
});
