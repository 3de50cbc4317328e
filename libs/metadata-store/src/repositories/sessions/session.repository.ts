import type { EpochMs } from '@coldchain/domain';

/**
 * A login session of the operator API. The refresh token is opaque and only
 * its SHA-256 is kept (`refreshHash`); it changes on every refresh (rotation).
 * All times are epoch ms.
 */
export interface SessionRecord {
  id: string;
  /** A tenant's user, or a platform admin when `tenantId` is absent. */
  userId: string;
  /** Absent for a platform admin's session (a member of no tenant). */
  tenantId?: string;
  refreshHash: string;
  /**
   * SHA-256 of the refresh token the last rotation spent, absent before the
   * first rotation. Only this one proves reuse (RFC 9700 §4.14.2): a token
   * that was never issued must not be able to end the session.
   */
  previousRefreshHash?: string;
  createdAt: EpochMs;
  /** Last authenticated request (not refresh): what the idle timeout counts from. */
  lastSeenAt: EpochMs;
  /** Absolute end of the session, whatever the activity. */
  expiresAt: EpochMs;
  revokedAt?: EpochMs;
  /** Why it ended: `logout`, `idle`, `refresh_reuse`, `password_changed`, `disabled`, ... */
  revokedReason?: string;
}

/** Consecutive failed logins for one email (known or not: no enumeration through lockout). */
export interface LoginFailureState {
  failures: number;
  /** Epoch ms until which logins for this email are refused; absent = not locked. */
  lockedUntil?: EpochMs;
}

/** How failed logins lock an email: after `maxFailures` (count), for `lockMs` (milliseconds). */
export interface LoginLockPolicy {
  maxFailures: number;
  lockMs: number;
}

/**
 * The answer to a login attempt's reservation ({@link SessionRepository.reserveLoginAttempt}):
 * either the password may be verified, as attempt number `attempt` since the
 * count was last cleared, or the email is locked until `lockedUntil` and the
 * password must not be verified at all.
 */
export type LoginAttemptReservation =
  { granted: true; attempt: number } | { granted: false; lockedUntil: EpochMs };

/**
 * Login sessions and failed-login counts of the operator API. Proven by
 * test/contracts/session-repository.contract.ts on both adapters. Every
 * atomic step below holds across processes sharing the database.
 */
export interface SessionRepository {
  createSession(session: SessionRecord): Promise<void>;
  findSession(id: string): Promise<SessionRecord | undefined>;
  /** Records activity at `at` (never moves lastSeenAt backwards). */
  touchSession(id: string, at: EpochMs): Promise<void>;
  /**
   * Replaces the refresh hash when the current one is `expectedHash` and the
   * session is live, keeping `expectedHash` as `previousRefreshHash`; false
   * otherwise. Atomic: of two concurrent refreshes with one token, one wins.
   */
  rotateRefresh(id: string, expectedHash: string, nextHash: string): Promise<boolean>;
  /** Ends a session (idempotent: the first revocation's time and reason stay). */
  revokeSession(id: string, at: EpochMs, reason: string): Promise<void>;
  /** Ends every live session of a user, except `keep` when given. */
  revokeUserSessions(userId: string, at: EpochMs, reason: string, keep?: string): Promise<void>;

  /**
   * Deletes what authentication no longer needs: sessions that ended (revoked,
   * or past `expiresAt`) before `before`, and failed-login records whose last
   * failure and lock both lie before it. Returns the number of rows deleted.
   */
  purgeAuthRecords(before: EpochMs): Promise<number>;

  loginFailures(email: string): Promise<LoginFailureState | undefined>;
  /**
   * Reserves one login attempt for `email` before its password is verified,
   * counting it as a failure until {@link clearUnlockedLoginFailures} clears
   * the count. In one atomic statement per email, across every process
   * sharing the store:
   * - while locked (`lockedUntil > at`): refused, nothing counted;
   * - otherwise the count goes up by one; up to `maxFailures` the attempt is
   *   granted with its number; beyond, the email is locked until
   *   `at + lockMs` (count restarted) and the attempt refused.
   * So at most `maxFailures` passwords are verified per lock window, however
   * many attempts arrive at once.
   */
  reserveLoginAttempt(email: string, at: EpochMs, policy: LoginLockPolicy): Promise<LoginAttemptReservation>;
  /**
   * A reserved attempt failed: when the count has reached `maxFailures` and
   * the email is not locked, locks it until `at + lockMs` (count restarted).
   * Returns the state after. Atomic per email.
   */
  settleFailedLogin(email: string, at: EpochMs, policy: LoginLockPolicy): Promise<LoginFailureState>;
  /**
   * A reserved attempt succeeded: clears the count unless the email is locked
   * at `at` (by the reservations of concurrent attempts); true when cleared
   * or nothing was counted, false when locked. Atomic per email.
   */
  clearUnlockedLoginFailures(email: string, at: EpochMs): Promise<boolean>;
}
