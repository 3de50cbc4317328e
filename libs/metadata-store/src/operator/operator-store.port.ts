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
   * session is live; false otherwise (an old token: the caller revokes).
   * Atomic: of two concurrent refreshes with one token, one wins.
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
   * Counts one failed login; when the count reaches `maxFailures`, locks the
   * email until `at + lockMs` and restarts the count. Atomic per email.
   */
  recordLoginFailure(
    email: string,
    at: EpochMs,
    policy: { maxFailures: number; lockMs: number },
  ): Promise<LoginFailureState>;
  clearLoginFailures(email: string): Promise<void>;

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
