import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock, EpochMs } from '@coldchain/domain';
import { InvalidInputError, TooManyAttemptsError, UnauthorizedError } from '@coldchain/errors';
import {
  hashPassword,
  verifyPassword,
  type AuditRepository,
  type LoginLockPolicy,
  type PlatformAdminRecord,
  type SessionRecord,
  type SessionRepository,
  type TenantRepository,
  type UserRecord,
  type UserRepository,
} from '@coldchain/metadata-store';
import { AccessTokens } from './access-token.js';
import { IDENTITY_DEFAULTS, type AuthPolicy } from './identity.defaults.js';
import { LoginThrottle } from './login-throttle.js';
import type { Caller, TokenPair } from './principal.js';
import { SessionEndings } from './session-endings.js';

/**
 * How a login attempt ended, for metrics: refused before any password was
 * verified (`throttled`: too many from the address; `locked`: the email is
 * locked), or after verifying one (`accepted`; `rejected`: wrong password or
 * unknown email; `refused`: right password, but the email was locked
 * meanwhile by concurrent attempts, or the account is disabled or its tenant
 * closed).
 */
export type LoginOutcome = 'throttled' | 'locked' | 'accepted' | 'rejected' | 'refused';

/** What AuthService reports beyond its answers; both optional. */
export interface AuthServiceHooks {
  /** Told of every session this service ends, so the process can close what it holds open for it. */
  sessionEndings?: SessionEndings;
  /** Called once per login attempt with its outcome; must not throw. */
  onLoginAttempt?: (outcome: LoginOutcome) => void;
}

/** The repositories authentication works on. */
export interface AuthRepositories {
  users: Pick<
    UserRepository,
    | 'findUserByEmail'
    | 'findUser'
    | 'updateUser'
    | 'findPlatformAdminByEmail'
    | 'findPlatformAdmin'
    | 'updatePlatformAdmin'
  >;
  sessions: SessionRepository;
  /** Only to refuse the users of a closed tenant. */
  tenants: Pick<TenantRepository, 'findTenant'>;
  /** Where a tenant user's logins, accepted or not, are recorded; none: not recorded. */
  audit?: Pick<AuditRepository, 'recordAudit'>;
}

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
  private readonly endings: SessionEndings;
  /** A real scrypt hash to verify against when the email is unknown, so both cases cost the same. */
  private decoyHash?: Promise<string>;

  constructor(
    private readonly repos: AuthRepositories,
    private readonly policy: AuthPolicy,
    private readonly clock: Clock,
    private readonly hooks: AuthServiceHooks = {},
  ) {
    this.tokens = new AccessTokens(policy.jwtSecret, policy.accessTokenTtlMs, clock);
    this.throttle = new LoginThrottle(policy.loginAttemptsPerMinute, 60_000, clock);
    this.endings = hooks.sessionEndings ?? new SessionEndings();
  }

  /**
   * Email and password → a new session. Attempts from one `clientAddress`
   * beyond `loginAttemptsPerMinute` are refused with TooManyAttemptsError
   * before anything else. Then the attempt is counted as a failure in the
   * store, atomically, BEFORE the password is verified: while the email is
   * locked, or when the attempt would pass `loginMaxFailures`, it is refused
   * with TooManyAttemptsError and the password is not verified at all, so
   * at most `loginMaxFailures` passwords are verified per lock window however
   * many attempts arrive at once (in this process or others sharing the
   * store). A wrong password is UnauthorizedError, or TooManyAttemptsError
   * once the email is locked; the right one clears the count, unless
   * concurrent attempts locked the email meanwhile (then it is refused too).
   */
  async login(email: string, password: string, clientAddress = 'unknown'): Promise<TokenPair> {
    const now = this.clock.now();
    const waitMs = this.throttle.take(clientAddress);
    if (waitMs > 0) {
      this.observe('throttled');
      throw new TooManyAttemptsError(
        `too many login attempts from this address: retry in ${Math.ceil(waitMs / 1000)} s`,
        waitMs,
      );
    }
    const reserved = await this.repos.sessions.reserveLoginAttempt(email, now, this.lockPolicy());
    if (!reserved.granted) {
      this.observe('locked');
      throw this.locked(reserved.lockedUntil);
    }
    const account = await this.accountByEmail(email);
    const found = account && credentials(account);
    const ok = await verifyPassword(password, found?.passwordHash ?? (await this.decoy()));
    if (!found || !ok) {
      this.observe('rejected');
      const err = await this.failedAttempt(email);
      if (found) await this.recordLogin(found, 'auth.login_failed', clientAddress, 'credentials');
      throw err;
    }
    if (!(await this.repos.sessions.clearUnlockedLoginFailures(email, this.clock.now()))) {
      this.observe('refused');
      await this.recordLogin(found, 'auth.login_failed', clientAddress, 'locked');
      const state = await this.repos.sessions.loginFailures(email);
      throw this.locked(state?.lockedUntil ?? this.clock.now());
    }
    if (found.disabled) {
      this.observe('refused');
      await this.recordLogin(found, 'auth.login_failed', clientAddress, 'disabled');
      throw new UnauthorizedError('this account is disabled', 'disabled');
    }
    // Only with the right password: whether a tenant is closed is nobody else's business.
    if (found.tenantId !== undefined && (await this.tenantReadableUntil(found.tenantId)) === 'gone') {
      this.observe('refused');
      throw new UnauthorizedError(TENANT_CLOSED, 'tenant_closed');
    }
    this.observe('accepted');
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
    await this.repos.sessions.createSession(session);
    await this.recordLogin(found, 'auth.login', clientAddress);
    return this.pair(found, session.id, refreshToken);
  }

  /**
   * A refresh token → a new pair; the presented token is spent. Presenting
   * the spent token again (a stolen copy, or a replay) ends the whole session
   * (refresh-token reuse detection, OAuth 2.0 Security BCP, RFC 9700
   * §4.14.2). Only the token the last rotation spent proves reuse: the
   * session id in a token is no secret (access tokens carry it), so a token
   * that was never issued, or one older than that, is a plain 401 `token`
   * and leaves the session alone. Refreshing is not activity: an idle
   * session cannot be kept alive by it.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const sessionId = refreshToken.split('.')[0] ?? '';
    const session = await this.repos.sessions.findSession(sessionId);
    if (!session) throw new UnauthorizedError('invalid refresh token', 'token');
    await this.checkLive(session);
    const presented = digest(refreshToken);
    const next = this.newRefreshToken(session.id);
    if (!(await this.repos.sessions.rotateRefresh(session.id, presented, digest(next)))) {
      if (
        session.previousRefreshHash !== undefined &&
        this.sameDigest(presented, session.previousRefreshHash)
      ) {
        await this.endSession(session.id, 'refresh_reuse');
        throw new UnauthorizedError('refresh token already used: the session is ended', 'refresh_reuse');
      }
      if (this.sameDigest(presented, session.refreshHash))
        throw new UnauthorizedError('session ended', 'session_revoked'); // revoked or rotated since the read
      throw new UnauthorizedError('invalid refresh token', 'token');
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
    return (await this.authenticateUntil(accessToken)).caller;
  }

  /** {@link authenticate}, with the access token's expiry (epoch ms): what a long-lived stream must not outlive. */
  async authenticateUntil(accessToken: string): Promise<{ caller: Caller; expiresAt: EpochMs }> {
    const claims = await this.tokens.verify(accessToken);
    const caller = await this.sessionCaller(claims.sid, claims.sub, true);
    return { caller, expiresAt: claims.expiresAt };
  }

  /**
   * The caller of a session as it stands now, checked as {@link authenticate}
   * does (the session ended here when idle, expired, disabled or its tenant
   * gone), but without counting as activity; undefined once the session has
   * ended. For what stays open after the request that authenticated it (the
   * live stream). Errors other than the session's end (the store
   * unreachable) are thrown.
   */
  async reauthenticate(caller: Pick<Caller, 'sessionId' | 'userId'>): Promise<Caller | undefined> {
    try {
      return await this.sessionCaller(caller.sessionId, caller.userId, false);
    } catch (err) {
      if (err instanceof UnauthorizedError) return undefined;
      throw err;
    }
  }

  private async sessionCaller(sessionId: string, userId: string, activity: boolean): Promise<Caller> {
    const session = await this.repos.sessions.findSession(sessionId);
    if (!session || session.userId !== userId)
      throw new UnauthorizedError('session ended', 'session_revoked');
    await this.checkLive(session);
    const { account, readOnlyUntil } = await this.sessionAccount(session);
    const now = this.clock.now();
    if (activity && now - session.lastSeenAt >= IDENTITY_DEFAULTS.touchGranularityMs)
      await this.repos.sessions.touchSession(session.id, now);
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
    await this.endSession(caller.sessionId, 'logout');
  }

  /**
   * Replaces the caller's password (required at first login, when it is
   * temporary). The current password must be given, and is checked as a
   * login is (reserved first: a locked email ends every session of the user
   * and is refused without verifying it; a wrong one counts toward the lock).
   * Every other session of the user ends.
   */
  async changePassword(caller: Caller, currentPassword: string, newPassword: string): Promise<void> {
    const account = await this.account(caller.kind === 'tenant' ? caller.tenantId : undefined, caller.userId);
    if (!account) throw new UnauthorizedError('session ended', 'session_revoked');
    const me = credentials(account);
    const problems = this.passwordProblems(newPassword, currentPassword);
    if (problems.length > 0)
      throw new InvalidInputError(`password refused: ${problems.join('; ')}`, problems);
    const reserved = await this.repos.sessions.reserveLoginAttempt(
      me.email,
      this.clock.now(),
      this.lockPolicy(),
    );
    if (!reserved.granted) {
      await this.endUserSessions(me.id, 'locked');
      throw this.locked(reserved.lockedUntil);
    }
    if (!(await verifyPassword(currentPassword, me.passwordHash))) {
      const err = await this.failedAttempt(me.email);
      if (err instanceof TooManyAttemptsError) {
        await this.endUserSessions(me.id, 'locked');
        throw err;
      }
      throw new InvalidInputError('currentPassword: wrong password', ['currentPassword: wrong password']);
    }
    if (!(await this.repos.sessions.clearUnlockedLoginFailures(me.email, this.clock.now()))) {
      await this.endUserSessions(me.id, 'locked');
      throw this.locked((await this.repos.sessions.loginFailures(me.email))?.lockedUntil ?? this.clock.now());
    }
    const patch = { passwordHash: await hashPassword(newPassword), mustChangePassword: false };
    if (account.kind === 'platform') await this.repos.users.updatePlatformAdmin(me.id, patch);
    else await this.repos.users.updateUser(account.user.tenantId, me.id, patch);
    await this.endUserSessions(me.id, 'password_changed', caller.sessionId);
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
      await this.endSession(session.id, 'expired');
      throw new UnauthorizedError('session expired: log in again', 'session_expired');
    }
    if (now - session.lastSeenAt >= this.policy.sessionIdleMs) {
      await this.endSession(session.id, 'idle');
      throw new UnauthorizedError(
        `session ended after ${Math.round(this.policy.sessionIdleMs / 60_000)} minutes of inactivity: log in again`,
        'session_idle',
      );
    }
  }

  /** The tenant's user `id`, or the platform admin `id` when there is no tenant (a session's pair). */
  private async account(tenantId: string | undefined, id: string): Promise<Account | undefined> {
    if (tenantId === undefined) {
      const admin = await this.repos.users.findPlatformAdmin(id);
      return admin && { kind: 'platform', admin };
    }
    const user = await this.repos.users.findUser(tenantId, id);
    return user && { kind: 'tenant', user };
  }

  /** A tenant's user by email, else a platform admin (emails are unique across both). */
  private async accountByEmail(email: string): Promise<Account | undefined> {
    const user = await this.repos.users.findUserByEmail(email);
    if (user) return { kind: 'tenant', user };
    const admin = await this.repos.users.findPlatformAdminByEmail(email);
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
      await this.endSession(session.id, 'disabled');
      throw new UnauthorizedError('this account is disabled', 'disabled');
    }
    if (account.kind === 'platform') return { account };
    const readable = await this.tenantReadableUntil(account.user.tenantId);
    if (readable === 'gone') {
      await this.endSession(session.id, 'tenant_closed');
      throw new UnauthorizedError(TENANT_CLOSED, 'tenant_closed');
    }
    return readable === 'open' ? { account } : { account, readOnlyUntil: readable };
  }

  /**
   * `open`; or, for a closed tenant, the end of its read-only access while
   * it lasts; `gone` after (or when the tenant is missing).
   */
  private async tenantReadableUntil(tenantId: string): Promise<'open' | 'gone' | EpochMs> {
    const tenant = await this.repos.tenants.findTenant(tenantId);
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

  private async endSession(sessionId: string, reason: string): Promise<void> {
    await this.repos.sessions.revokeSession(sessionId, this.clock.now(), reason);
    this.endings.notify({ sessionId });
  }

  private async endUserSessions(userId: string, reason: string, except?: string): Promise<void> {
    await this.repos.sessions.revokeUserSessions(userId, this.clock.now(), reason, except);
    this.endings.notify(except === undefined ? { userId } : { userId, except });
  }

  private lockPolicy(): LoginLockPolicy {
    return { maxFailures: this.policy.loginMaxFailures, lockMs: this.policy.loginLockoutMs };
  }

  /**
   * A reserved attempt's password was wrong: the error to answer with,
   * TooManyAttemptsError when the email is locked now (by this failure, the
   * last one allowed, or by concurrent attempts), UnauthorizedError otherwise.
   */
  private async failedAttempt(email: string): Promise<TooManyAttemptsError | UnauthorizedError> {
    const now = this.clock.now();
    const state = await this.repos.sessions.settleFailedLogin(email, now, this.lockPolicy());
    if (state.lockedUntil !== undefined && state.lockedUntil > now) return this.locked(state.lockedUntil);
    return new UnauthorizedError(BAD_CREDENTIALS, 'credentials');
  }

  /**
   * A tenant user's login, accepted (`auth.login`) or refused after the
   * account was found (`auth.login_failed` with why), in the tenant's audit
   * trail. An unknown email belongs to no tenant's trail, and a platform
   * admin to none: neither is recorded there (failures still count towards
   * lockout). Throttled and locked-out attempts are refused before the
   * account is looked up, so they are not recorded either.
   */
  private async recordLogin(
    account: { id: string; email: string; tenantId?: string },
    action: 'auth.login' | 'auth.login_failed',
    clientAddress: string,
    reason?: 'credentials' | 'locked' | 'disabled',
  ): Promise<void> {
    if (account.tenantId === undefined || this.repos.audit === undefined) return;
    await this.repos.audit.recordAudit({
      tenantId: account.tenantId,
      actorId: account.id,
      actorEmail: account.email,
      action,
      objectType: 'user',
      objectId: account.id,
      at: this.clock.now(),
      detail: reason === undefined ? { clientAddress } : { clientAddress, reason },
    });
  }

  private observe(outcome: LoginOutcome): void {
    try {
      this.hooks.onLoginAttempt?.(outcome);
    } catch {
      // metrics must not change the answer to a login
    }
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
