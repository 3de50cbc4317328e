import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock, EpochMs } from '@coldchain/domain';
import { InvalidInputError, TooManyAttemptsError, UnauthorizedError } from '@coldchain/errors';
import {
  hashPassword,
  verifyPassword,
  type MetadataStorePort,
  type PlatformAdminRecord,
  type SessionRecord,
  type UserRecord,
} from '@coldchain/metadata-store';
import { AccessTokens } from './access-token.js';
import { IDENTITY_DEFAULTS, type AuthPolicy } from './identity.defaults.js';
import { LoginThrottle } from './login-throttle.js';
import type { Caller, TokenPair } from './principal.js';

/** The part of the metadata store authentication uses. */
export type IdentityStore = Pick<
  MetadataStorePort,
  | 'findUserByEmail'
  | 'findUser'
  | 'updateUser'
  | 'createSession'
  | 'findSession'
  | 'touchSession'
  | 'rotateRefresh'
  | 'revokeSession'
  | 'revokeUserSessions'
  | 'loginFailures'
  | 'recordLoginFailure'
  | 'clearLoginFailures'
  | 'findPlatformAdminByEmail'
  | 'findPlatformAdmin'
  | 'updatePlatformAdmin'
  | 'findTenant'
>;

/**
 * Who logs in or owns a session: a tenant's user, or a platform admin (a
 * member of no tenant). Both share the login form, lockout, sessions and
 * password rules; only where they are stored and what they may reach differ.
 */
type Account = { kind: 'tenant'; user: UserRecord } | { kind: 'platform'; admin: PlatformAdminRecord };

/** What authentication reads of either kind of account. */
function credentials(a: Account): {
  id: string;
  email: string;
  passwordHash: string;
  mustChangePassword: boolean;
  disabled: boolean;
  tenantId?: string;
} {
  if (a.kind === 'platform') return { ...a.admin };
  return { ...a.user, disabled: a.user.disabled === true };
}

const TENANT_CLOSED = 'this account’s tenant is closed';

/** One message for an unknown email and a wrong password: login does not reveal which accounts exist. */
const BAD_CREDENTIALS = 'invalid email or password';

/** SHA-256 of a refresh token: it carries 256 random bits, so a fast hash is enough (no guessing to slow down). */
const digest = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * Authentication and sessions of the operator API, framework-free, the clock
 * passed in. A session is a row in the store; the access token (JWT, short)
 * points at it and the refresh token (opaque, hashed, single use) renews it.
 * Every authenticated request checks the session, so logout, idle timeout,
 * disabling a user and a role change take effect at the next request.
 */
export class AuthService {
  private readonly tokens: AccessTokens;
  private readonly throttle: LoginThrottle;
  /** A real scrypt hash to verify against when the email is unknown, so both cases cost the same. */
  private decoyHash?: Promise<string>;

  constructor(
    private readonly store: IdentityStore,
    private readonly policy: AuthPolicy,
    private readonly clock: Clock,
  ) {
    this.tokens = new AccessTokens(policy.jwtSecret, policy.accessTokenTtlMs, clock);
    this.throttle = new LoginThrottle(policy.loginAttemptsPerMinute, 60_000, clock);
  }

  /**
   * Email and password → a new session. Refused with TooManyAttemptsError while
   * the email is locked (the password is not even checked), UnauthorizedError
   * otherwise; each failure counts toward the lock, a success clears the count.
   * Attempts from one `clientAddress` beyond `loginAttemptsPerMinute` are
   * refused with TooManyAttemptsError before anything else.
   */
  async login(email: string, password: string, clientAddress = 'unknown'): Promise<TokenPair> {
    const now = this.clock.now();
    const waitMs = this.throttle.take(clientAddress);
    if (waitMs > 0)
      throw new TooManyAttemptsError(
        `too many login attempts from this address: retry in ${Math.ceil(waitMs / 1000)} s`,
        waitMs,
      );
    const failures = await this.store.loginFailures(email);
    if (failures?.lockedUntil !== undefined && failures.lockedUntil > now)
      throw this.locked(failures.lockedUntil);
    const account = await this.accountByEmail(email);
    const found = account && credentials(account);
    const ok = await verifyPassword(password, found?.passwordHash ?? (await this.decoy()));
    if (!found || !ok) {
      const state = await this.store.recordLoginFailure(email, now, {
        maxFailures: this.policy.loginMaxFailures,
        lockMs: this.policy.loginLockoutMs,
      });
      if (state.lockedUntil !== undefined && state.lockedUntil > now) throw this.locked(state.lockedUntil);
      throw new UnauthorizedError(BAD_CREDENTIALS, 'credentials');
    }
    if (found.disabled) throw new UnauthorizedError('this account is disabled', 'disabled');
    // Only with the right password: whether a tenant is closed is nobody else's business.
    if (found.tenantId !== undefined && (await this.tenantReadableUntil(found.tenantId)) === 'gone')
      throw new UnauthorizedError(TENANT_CLOSED, 'tenant_closed');
    await this.store.clearLoginFailures(email);
    const session: SessionRecord = {
      id: randomUUID(),
      userId: found.id,
      ...(found.tenantId !== undefined ? { tenantId: found.tenantId } : {}),
      refreshHash: '',
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.policy.sessionMaxMs,
    };
    const refreshToken = this.newRefreshToken(session.id);
    session.refreshHash = digest(refreshToken);
    await this.store.createSession(session);
    return this.pair(found, session.id, refreshToken);
  }

  /**
   * A refresh token → a new pair; the presented token is spent. Presenting a
   * spent token again (a stolen copy, or a replay) ends the whole session
   * (refresh-token reuse detection, OAuth 2.0 Security BCP §4.14.2).
   * Refreshing is not activity: an idle session cannot be kept alive by it.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const sessionId = refreshToken.split('.')[0] ?? '';
    const session = await this.store.findSession(sessionId);
    if (!session) throw new UnauthorizedError('invalid refresh token', 'token');
    await this.checkLive(session);
    const presented = digest(refreshToken);
    const next = this.newRefreshToken(session.id);
    if (!(await this.store.rotateRefresh(session.id, presented, digest(next)))) {
      if (!this.sameDigest(presented, session.refreshHash)) {
        await this.store.revokeSession(session.id, this.clock.now(), 'refresh_reuse');
        throw new UnauthorizedError('refresh token already used: the session is ended', 'refresh_reuse');
      }
      throw new UnauthorizedError('session ended', 'session_revoked'); // revoked between the read and the rotation
    }
    const { account } = await this.sessionAccount(session);
    return this.pair(credentials(account), session.id, next);
  }

  /**
   * The caller of a request bearing `accessToken`: a valid signature, a live
   * session (not revoked, not past its end, not idle), an enabled account
   * and, for a tenant's user, a tenant still readable (a closed tenant's
   * users get `readOnlyUntil` until their read-only access ends, then 401
   * `tenant_closed`). Records the activity that the idle timeout counts from.
   */
  async authenticate(accessToken: string): Promise<Caller> {
    const claims = await this.tokens.verify(accessToken);
    const session = await this.store.findSession(claims.sid);
    if (!session || session.userId !== claims.sub)
      throw new UnauthorizedError('session ended', 'session_revoked');
    await this.checkLive(session);
    const { account, readOnlyUntil } = await this.sessionAccount(session);
    const now = this.clock.now();
    if (now - session.lastSeenAt >= IDENTITY_DEFAULTS.touchGranularityMs)
      await this.store.touchSession(session.id, now);
    if (account.kind === 'platform') {
      const { admin } = account;
      return {
        kind: 'platform',
        userId: admin.id,
        email: admin.email,
        sessionId: session.id,
        mustChangePassword: admin.mustChangePassword,
      };
    }
    const { user } = account;
    return {
      kind: 'tenant',
      userId: user.id,
      tenantId: user.tenantId,
      email: user.email,
      role: user.role,
      sessionId: session.id,
      mustChangePassword: user.mustChangePassword,
      ...(readOnlyUntil !== undefined ? { readOnlyUntil } : {}),
    };
  }

  /** Ends the caller's session: its access and refresh tokens stop working at once. */
  async logout(caller: Caller): Promise<void> {
    await this.store.revokeSession(caller.sessionId, this.clock.now(), 'logout');
  }

  /**
   * Replaces the caller's password (required at first login, when it is
   * temporary). The current password must be given; a wrong one counts as a
   * failed login. Every other session of the user ends.
   */
  async changePassword(caller: Caller, currentPassword: string, newPassword: string): Promise<void> {
    const account = await this.account(caller.kind === 'tenant' ? caller.tenantId : undefined, caller.userId);
    if (!account) throw new UnauthorizedError('session ended', 'session_revoked');
    const me = credentials(account);
    const problems = this.passwordProblems(newPassword, currentPassword);
    if (problems.length > 0)
      throw new InvalidInputError(`password refused: ${problems.join('; ')}`, problems);
    if (!(await verifyPassword(currentPassword, me.passwordHash))) {
      const now = this.clock.now();
      const state = await this.store.recordLoginFailure(me.email, now, {
        maxFailures: this.policy.loginMaxFailures,
        lockMs: this.policy.loginLockoutMs,
      });
      if (state.lockedUntil !== undefined && state.lockedUntil > now) {
        await this.store.revokeUserSessions(me.id, now, 'locked');
        throw this.locked(state.lockedUntil);
      }
      throw new InvalidInputError('currentPassword: wrong password', ['currentPassword: wrong password']);
    }
    const patch = { passwordHash: await hashPassword(newPassword), mustChangePassword: false };
    if (account.kind === 'platform') await this.store.updatePlatformAdmin(me.id, patch);
    else await this.store.updateUser(account.user.tenantId, me.id, patch);
    await this.store.revokeUserSessions(me.id, this.clock.now(), 'password_changed', caller.sessionId);
  }

  /** Why `password` cannot be chosen (empty when it can). */
  passwordProblems(password: string, previous?: string): string[] {
    const problems: string[] = [];
    if (password.length < this.policy.passwordMinLength)
      problems.push(`newPassword: at least ${this.policy.passwordMinLength} characters`);
    if (password.length > 256) problems.push('newPassword: at most 256 characters');
    if (previous !== undefined && password === previous)
      problems.push('newPassword: must differ from the current password');
    return problems;
  }

  /** A random temporary password for a new user (who must change it at first login). */
  static temporaryPassword(): string {
    return randomBytes(IDENTITY_DEFAULTS.temporaryPasswordBytes).toString('base64url');
  }

  private async checkLive(session: SessionRecord): Promise<void> {
    const now = this.clock.now();
    if (session.revokedAt !== undefined) throw new UnauthorizedError('session ended', 'session_revoked');
    if (now >= session.expiresAt) {
      await this.store.revokeSession(session.id, now, 'expired');
      throw new UnauthorizedError('session expired: log in again', 'session_expired');
    }
    if (now - session.lastSeenAt >= this.policy.sessionIdleMs) {
      await this.store.revokeSession(session.id, now, 'idle');
      throw new UnauthorizedError(
        `session ended after ${Math.round(this.policy.sessionIdleMs / 60_000)} minutes of inactivity: log in again`,
        'session_idle',
      );
    }
  }

  /** The tenant's user `id`, or the platform admin `id` when there is no tenant (a session's pair). */
  private async account(tenantId: string | undefined, id: string): Promise<Account | undefined> {
    if (tenantId === undefined) {
      const admin = await this.store.findPlatformAdmin(id);
      return admin && { kind: 'platform', admin };
    }
    const user = await this.store.findUser(tenantId, id);
    return user && { kind: 'tenant', user };
  }

  /** A tenant's user by email, else a platform admin (emails are unique across both). */
  private async accountByEmail(email: string): Promise<Account | undefined> {
    const user = await this.store.findUserByEmail(email);
    if (user) return { kind: 'tenant', user };
    const admin = await this.store.findPlatformAdminByEmail(email);
    return admin && { kind: 'platform', admin };
  }

  /**
   * The account a live session belongs to, still enabled, and for a tenant's
   * user, its tenant still readable; otherwise the session ends here
   * (UnauthorizedError `disabled` or `tenant_closed`).
   */
  private async sessionAccount(
    session: SessionRecord,
  ): Promise<{ account: Account; readOnlyUntil?: EpochMs }> {
    const account = await this.account(session.tenantId, session.userId);
    if (!account || credentials(account).disabled) {
      await this.store.revokeSession(session.id, this.clock.now(), 'disabled');
      throw new UnauthorizedError('this account is disabled', 'disabled');
    }
    if (account.kind === 'platform') return { account };
    const readable = await this.tenantReadableUntil(account.user.tenantId);
    if (readable === 'gone') {
      await this.store.revokeSession(session.id, this.clock.now(), 'tenant_closed');
      throw new UnauthorizedError(TENANT_CLOSED, 'tenant_closed');
    }
    return readable === 'open' ? { account } : { account, readOnlyUntil: readable };
  }

  /**
   * `open`; or, for a closed tenant, the end of its read-only access while
   * it lasts; `gone` after (or when the tenant is missing).
   */
  private async tenantReadableUntil(tenantId: string): Promise<'open' | 'gone' | EpochMs> {
    const tenant = await this.store.findTenant(tenantId);
    if (!tenant) return 'gone';
    if (tenant.closedAt === undefined) return 'open';
    const until = tenant.readOnlyUntil ?? tenant.closedAt;
    return this.clock.now() < until ? until : 'gone';
  }

  private async pair(
    account: { id: string; tenantId?: string; mustChangePassword: boolean },
    sessionId: string,
    refreshToken: string,
  ): Promise<TokenPair> {
    return {
      accessToken: await this.tokens.sign({
        sub: account.id,
        ...(account.tenantId !== undefined ? { tid: account.tenantId } : {}),
        sid: sessionId,
      }),
      expiresIn: Math.ceil(this.policy.accessTokenTtlMs / 1000),
      refreshToken,
      mustChangePassword: account.mustChangePassword,
    };
  }

  /** `<session id>.<256 random bits>`: the id finds the session, the rest proves possession. */
  private newRefreshToken(sessionId: string): string {
    return `${sessionId}.${randomBytes(IDENTITY_DEFAULTS.refreshTokenBytes).toString('base64url')}`;
  }

  private sameDigest(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword(randomBytes(16).toString('base64url'));
    return this.decoyHash;
  }

  private locked(until: number): TooManyAttemptsError {
    const retryAfterMs = Math.max(0, until - this.clock.now());
    return new TooManyAttemptsError(
      `too many failed logins: locked for ${Math.ceil(retryAfterMs / 60_000)} more minute(s)`,
      retryAfterMs,
    );
  }
}
