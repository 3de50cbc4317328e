import type { EpochMs, Hub, Profile, Tag, UserRole } from '@coldchain/domain';
import type { UserRecord } from '../metadata-store.port.js';

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
 * The answer to a login attempt's reservation ({@link OperatorStore.reserveLoginAttempt}):
 * either the password may be verified, as attempt number `attempt` since the
 * count was last cleared, or the email is locked until `lockedUntil` and the
 * password must not be verified at all.
 */
export type LoginAttemptReservation =
  { granted: true; attempt: number } | { granted: false; lockedUntil: EpochMs };

/** The kinds of object the audit trail records. */
export type AuditObjectType = 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';

/** One change made through the operator API: who, when, what. Append-only. */
export interface AuditEntry {
  id: number;
  tenantId: string;
  actorId: string;
  actorEmail: string;
  /** `<object>.<verb>`, e.g. `profile.update`, `hub.rotate_secret`. */
  action: string;
  objectType: AuditObjectType;
  objectId: string;
  at: EpochMs;
  /** The change itself (the saved profile, the new role...); never a secret or a hash. */
  detail: unknown;
}

export interface UserPatch {
  role?: UserRole;
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

export interface TagPatch {
  name?: string;
  /** null unassigns the profile. */
  profileId?: string | null;
}

/**
 * What the operator API needs of the metadata store beyond the hot path:
 * tenant-scoped reads and edits, sessions, login failures and the audit
 * trail. Part of {@link MetadataStorePort}; proven by
 * test/contracts/operator-store.contract.ts on both adapters.
 *
 * Tenant scoping is part of the contract: every method taking a `tenantId`
 * sees only that tenant's rows, and an object of another tenant behaves as
 * absent (undefined / false), never as an error that would reveal it.
 * Edits of hubs, tags and profiles bump the metadata version (the gateway
 * and ingest caches reload within METADATA_REFRESH_MS).
 */
export interface OperatorStore {
  findUser(tenantId: string, id: string): Promise<UserRecord | undefined>;
  listUsers(tenantId: string): Promise<UserRecord[]>;
  /** Applies `patch`; undefined when no such user in this tenant. */
  updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined>;

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

  /**
   * Whether a hub or tag with this IMEI / MAC is registered to any tenant: the
   * identifiers are physical and unique, so registering a taken one is a conflict.
   */
  isRegistered(device: { imei: string } | { mac: string }): Promise<boolean>;

  findHub(tenantId: string, imei: string): Promise<Hub | undefined>;
  listHubs(tenantId: string): Promise<Hub[]>;
  /** Replaces the hub's secret hash (the old secret stops working) and bumps the version. */
  setHubSecret(tenantId: string, imei: string, secretHash: string): Promise<boolean>;

  findTag(tenantId: string, mac: string): Promise<Tag | undefined>;
  listTags(tenantId: string): Promise<Tag[]>;
  /** Applies `patch` and bumps the version; undefined when no such tag in this tenant. */
  updateTag(tenantId: string, mac: string, patch: TagPatch): Promise<Tag | undefined>;

  findProfile(tenantId: string, id: string): Promise<Profile | undefined>;
  listProfiles(tenantId: string): Promise<Profile[]>;

  recordAudit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Newest first. */
  listAudit(
    tenantId: string,
    filter: { objectType?: AuditObjectType; objectId?: string; limit: number },
  ): Promise<AuditEntry[]>;
}
