import { beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@coldchain/domain';
import { SqliteDatabase, hashPassword } from '@coldchain/metadata-store';
import { AuthService, type LoginOutcome } from './auth.service.js';
import type { Caller, Principal } from './principal.js';
import type { AuthPolicy } from './identity.defaults.js';
import { SessionEndings, type SessionEnding } from './session-endings.js';
import { UsersService } from './users.service.js';
import { startMetadata, type MetadataHarness } from '../../../test/support/metadata.js';

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
  let store: MetadataHarness;
  let clock: ManualClock;
  let auth: AuthService;
  const email = 'owner@acme.test';
  const password = 'correct horse battery';

  beforeEach(async () => {
    store = await startMetadata(new SqliteDatabase(':memory:'));
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    auth = new AuthService(store, policy, clock);
    await store.tenants.createTenant({ id: 'acme', name: 'Acme' });
    await store.users.createUser({
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
    const trail = await store.audit.listAudit('acme', { objectType: 'user', objectId: user.id, limit: 10 });
    // The user's own logins are in the trail too: the accepted one, then the refusal once disabled.
    expect(trail.map((e) => [e.action, e.actorEmail])).toEqual([
      ['auth.login_failed', 'op@acme.test'],
      ['user.update', email],
      ['auth.login', 'op@acme.test'],
      ['user.create', email],
    ]);
    expect(trail[0].detail).toEqual({ clientAddress: 'unknown', reason: 'disabled' });
  });

  it('verifies at most loginMaxFailures passwords of a burst; the right one among them is refused and stays locked', async () => {
    const outcomes: LoginOutcome[] = [];
    const observed = new AuthService(store, policy, clock, { onLoginAttempt: (o) => outcomes.push(o) });
    const guesses = Array.from({ length: 20 }, (_, i) => `wrong guess ${i}`);
    guesses.splice(1, 0, password); // among the first reservations: its password is verified
    const answers = await Promise.allSettled(
      guesses.map((g) => observed.login(email, g, `198.51.100.${g.length}`)),
    );
    expect(answers[1]).toMatchObject({ status: 'rejected', reason: { code: 'too_many_attempts' } });
    expect(answers.filter((a) => a.status === 'fulfilled')).toEqual([]);
    const verified = outcomes.filter((o) => o === 'accepted' || o === 'rejected' || o === 'refused');
    expect(verified).toHaveLength(policy.loginMaxFailures);
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(guesses.length - policy.loginMaxFailures);
    await expect(observed.login(email, password)).rejects.toMatchObject({
      code: 'too_many_attempts',
      retryAfterMs: 15 * MINUTE,
    });
    clock.advance(15 * MINUTE);
    await expect(observed.login(email, password)).resolves.toMatchObject({ mustChangePassword: false });
  });

  it('lets the right password in after loginMaxFailures - 1 wrong ones, and counts afresh after it', async () => {
    for (let i = 0; i < policy.loginMaxFailures - 1; i++)
      await expect(auth.login(email, `wrong ${i}`)).rejects.toMatchObject({ reason: 'credentials' });
    await expect(auth.login(email, password)).resolves.toMatchObject({ mustChangePassword: false });
    for (let i = 0; i < policy.loginMaxFailures - 1; i++)
      await expect(auth.login(email, `wrong again ${i}`)).rejects.toMatchObject({ reason: 'credentials' });
    await expect(auth.login(email, password)).resolves.toMatchObject({ mustChangePassword: false });
  });

  it('locks the email on a burst of wrong current passwords, ends the sessions, and refuses the right one', async () => {
    const pair = await auth.login(email, password);
    const me = await auth.authenticate(pair.accessToken);
    const answers = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        auth.changePassword(me, `wrong current ${i}`, 'a long new password'),
      ),
    );
    expect(answers.filter((a) => a.status === 'fulfilled')).toEqual([]);
    await expect(auth.changePassword(me, password, 'a long new password')).rejects.toMatchObject({
      code: 'too_many_attempts',
    });
    await expect(auth.authenticate(pair.accessToken)).rejects.toMatchObject({ reason: 'session_revoked' });
    await expect(auth.login(email, password)).rejects.toMatchObject({ code: 'too_many_attempts' });
  });

  it('answers a refresh token forged from a real session id with 401 and leaves the session alone', async () => {
    const victim = await auth.login(email, password);
    const sid = victim.refreshToken.split('.')[0];
    for (const forged of [`${sid}.garbage`, `${sid}.`, sid, `${sid}.${victim.refreshToken.split('.')[1]}x`])
      await expect(auth.refresh(forged)).rejects.toMatchObject({ code: 'unauthorized', reason: 'token' });
    await auth.authenticate(victim.accessToken);
    const renewed = await auth.refresh(victim.refreshToken);
    await auth.authenticate(renewed.accessToken);
  });

  it('ends the session on reuse of the token the last rotation spent, not on an older one', async () => {
    const first = await auth.login(email, password);
    const second = await auth.refresh(first.refreshToken);
    const third = await auth.refresh(second.refreshToken);
    await expect(auth.refresh(first.refreshToken)).rejects.toMatchObject({ reason: 'token' });
    await auth.authenticate(third.accessToken);
    await expect(auth.refresh(second.refreshToken)).rejects.toMatchObject({ reason: 'refresh_reuse' });
    await expect(auth.authenticate(third.accessToken)).rejects.toMatchObject({ reason: 'session_revoked' });
    await expect(auth.refresh(third.refreshToken)).rejects.toMatchObject({ reason: 'session_revoked' });
  });

  it('tells the process of every session it ends: logout, reuse, password change, disabling', async () => {
    const endings = new SessionEndings();
    const heard: SessionEnding[] = [];
    endings.listen((e) => heard.push(e));
    const told = new AuthService(store, policy, clock, { sessionEndings: endings });
    const users = new UsersService(store, clock, endings);
    const a = await told.login(email, password);
    const meA = await told.authenticate(a.accessToken);
    await told.logout(meA);
    const b = await told.login(email, password);
    await told.refresh(b.refreshToken);
    await expect(told.refresh(b.refreshToken)).rejects.toMatchObject({ reason: 'refresh_reuse' });
    const c = await told.login(email, password);
    const meC = await told.authenticate(c.accessToken);
    await told.changePassword(meC, password, 'a long new password');
    const { user } = await users.create(tenantCaller(meC), { email: 'op@acme.test', role: 'operator' });
    await users.update(tenantCaller(meC), user.id, { disabled: true });
    expect(heard).toEqual([
      { sessionId: meA.sessionId },
      { sessionId: b.refreshToken.split('.')[0] },
      { userId: 'u1', except: meC.sessionId },
      { userId: user.id },
    ]);
  });

  it('re-authenticates a caller without counting activity, until its session ends', async () => {
    const pair = await auth.login(email, password);
    const { caller, expiresAt } = await auth.authenticateUntil(pair.accessToken);
    expect(expiresAt).toBe(clock.now() + policy.accessTokenTtlMs);
    clock.advance(10 * MINUTE);
    expect(await auth.reauthenticate(caller)).toMatchObject({ userId: 'u1', sessionId: caller.sessionId });
    clock.advance(10 * MINUTE); // 20 min after the last request: re-authenticating was not activity
    expect(await auth.reauthenticate(caller)).toBeUndefined();
    expect((await store.sessions.findSession(caller.sessionId))?.revokedReason).toBe('idle');
  });
});
