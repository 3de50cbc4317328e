import type pg from 'pg';
import type { EpochMs, Hub, Profile, Tag } from '@coldchain/domain';
import type { UserRecord } from '../metadata-store.port.js';
import {
  PROFILE_COLUMNS,
  USER_COLUMNS,
  tagAssignments,
  toAudit,
  toHub,
  toProfile,
  toSession,
  toTag,
  toUser,
  userAssignments,
  type AuditRow,
  type HubRow,
  type ProfileRow,
  type SessionRow,
  type TagRow,
  type UserRow,
} from './operator-rows.js';
import { RESERVE_LOGIN_ATTEMPT_POSTGRES, reservation } from './login-attempts.js';
import type {
  AuditEntry,
  AuditObjectType,
  LoginAttemptReservation,
  LoginLockPolicy,
  LoginFailureState,
  OperatorStore,
  SessionRecord,
  TagPatch,
  UserPatch,
} from './operator-store.port.js';

/** What {@link PostgresOperatorStore} borrows from its adapter: statements with the adapter's error mapping. */
export interface PostgresAccess {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
}

const BUMP = 'UPDATE metadata_version SET version = version + 1 WHERE id = 1';

/**
 * The operator part of {@link PostgresMetadataStore}; the adapter delegates
 * each method here. Edits that must be atomic run in one transaction (a
 * version bump with its change) or one statement (a login attempt's count
 * with its lock), the row locks of UPDATE / INSERT ... ON CONFLICT
 * serialising concurrent callers, in this process or any other.
 */
export class PostgresOperatorStore implements OperatorStore {
  constructor(private readonly pg: PostgresAccess) {}

  async findUser(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const [r] = await this.pg.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return r && toUser(r);
  }

  async listUsers(tenantId: string): Promise<UserRecord[]> {
    return (
      await this.pg.query<UserRow>(
        `SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 ORDER BY email COLLATE "C"`,
        [tenantId],
      )
    ).map(toUser);
  }

  async updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const { sets, values } = userAssignments(patch, (n) => `$${n + 2}`);
    if (sets.length === 0) return this.findUser(tenantId, id);
    const [r] = await this.pg.query<UserRow>(
      `UPDATE users SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2 RETURNING ${USER_COLUMNS}`,
      [tenantId, id, ...values],
    );
    return r && toUser(r);
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.pg.query(
      `INSERT INTO auth_sessions (id, user_id, tenant_id, refresh_hash, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.id, s.userId, s.tenantId ?? null, s.refreshHash, s.createdAt, s.lastSeenAt, s.expiresAt],
    );
  }

  async findSession(id: string): Promise<SessionRecord | undefined> {
    const [r] = await this.pg.query<SessionRow>('SELECT * FROM auth_sessions WHERE id = $1', [id]);
    return r && toSession(r);
  }

  async touchSession(id: string, at: EpochMs): Promise<void> {
    await this.pg.query('UPDATE auth_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [
      id,
      at,
    ]);
  }

  async rotateRefresh(id: string, expectedHash: string, nextHash: string): Promise<boolean> {
    const rows = await this.pg.query(
      `UPDATE auth_sessions SET previous_refresh_hash = refresh_hash, refresh_hash = $3
       WHERE id = $1 AND refresh_hash = $2 AND revoked_at IS NULL RETURNING 1`,
      [id, expectedHash, nextHash],
    );
    return rows.length === 1;
  }

  async revokeSession(id: string, at: EpochMs, reason: string): Promise<void> {
    await this.pg.query(
      'UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL',
      [id, at, reason],
    );
  }

  async revokeUserSessions(userId: string, at: EpochMs, reason: string, keep?: string): Promise<void> {
    await this.pg.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
       WHERE user_id = $1 AND revoked_at IS NULL AND id <> $4`,
      [userId, at, reason, keep ?? ''],
    );
  }

  async purgeAuthRecords(before: EpochMs): Promise<number> {
    return this.pg.transaction(async (c) => {
      const sessions = await c.query('DELETE FROM auth_sessions WHERE revoked_at < $1 OR expires_at < $1', [
        before,
      ]);
      const failures = await c.query(
        'DELETE FROM auth_login_failures WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until < $1)',
        [before],
      );
      return (sessions.rowCount ?? 0) + (failures.rowCount ?? 0);
    });
  }

  async loginFailures(email: string): Promise<LoginFailureState | undefined> {
    const [r] = await this.pg.query<{ failures: number; locked_until: number | null }>(
      'SELECT failures, locked_until FROM auth_login_failures WHERE email = $1',
      [email.toLowerCase()],
    );
    return r && { failures: r.failures, lockedUntil: r.locked_until ?? undefined };
  }

  async reserveLoginAttempt(
    email: string,
    at: EpochMs,
    policy: LoginLockPolicy,
  ): Promise<LoginAttemptReservation> {
    const [r] = await this.pg.query<{ failures: number; locked_until: number | null }>(
      RESERVE_LOGIN_ATTEMPT_POSTGRES,
      [email.toLowerCase(), at, policy.maxFailures, at + policy.lockMs],
    );
    return reservation(r, at);
  }

  async settleFailedLogin(email: string, at: EpochMs, policy: LoginLockPolicy): Promise<LoginFailureState> {
    const key = email.toLowerCase();
    await this.pg.query(
      `UPDATE auth_login_failures SET failures = 0, locked_until = $2
       WHERE email = $1 AND failures >= $3 AND (locked_until IS NULL OR locked_until <= $4)`,
      [key, at + policy.lockMs, policy.maxFailures, at],
    );
    return (await this.loginFailures(key)) ?? { failures: 0 };
  }

  async clearUnlockedLoginFailures(email: string, at: EpochMs): Promise<boolean> {
    // One statement: the DELETE and the look at what it left see one snapshot, and the DELETE's row lock
    // orders it after any reservation in flight for the email.
    const [r] = await this.pg.query<{ locked: boolean }>(
      `WITH cleared AS (
         DELETE FROM auth_login_failures WHERE email = $1 AND (locked_until IS NULL OR locked_until <= $2)
         RETURNING email
       )
       SELECT EXISTS (
         SELECT 1 FROM auth_login_failures WHERE email = $1 AND NOT EXISTS (SELECT 1 FROM cleared)
       ) AS locked`,
      [email.toLowerCase(), at],
    );
    return !r.locked;
  }

  async isRegistered(device: { imei: string } | { mac: string }): Promise<boolean> {
    const rows =
      'imei' in device
        ? await this.pg.query('SELECT 1 FROM hubs WHERE imei = $1', [device.imei])
        : await this.pg.query('SELECT 1 FROM tags WHERE mac = $1', [device.mac]);
    return rows.length > 0;
  }

  async findHub(tenantId: string, imei: string): Promise<Hub | undefined> {
    const [r] = await this.pg.query<HubRow>(
      'SELECT imei, tenant_id, name FROM hubs WHERE tenant_id = $1 AND imei = $2',
      [tenantId, imei],
    );
    return r && toHub(r);
  }

  async listHubs(tenantId: string): Promise<Hub[]> {
    return (
      await this.pg.query<HubRow>(
        'SELECT imei, tenant_id, name FROM hubs WHERE tenant_id = $1 ORDER BY imei COLLATE "C"',
        [tenantId],
      )
    ).map(toHub);
  }

  async setHubSecret(tenantId: string, imei: string, secretHash: string): Promise<boolean> {
    return this.pg.transaction(async (c) => {
      const { rowCount } = await c.query(
        'UPDATE hubs SET secret_hash = $3 WHERE tenant_id = $1 AND imei = $2',
        [tenantId, imei, secretHash],
      );
      if (rowCount !== 1) return false;
      await c.query(BUMP);
      return true;
    });
  }

  async findTag(tenantId: string, mac: string): Promise<Tag | undefined> {
    const [r] = await this.pg.query<TagRow>(
      'SELECT mac, tenant_id, name, profile_id FROM tags WHERE tenant_id = $1 AND mac = $2',
      [tenantId, mac],
    );
    return r && toTag(r);
  }

  async listTags(tenantId: string): Promise<Tag[]> {
    return (
      await this.pg.query<TagRow>(
        'SELECT mac, tenant_id, name, profile_id FROM tags WHERE tenant_id = $1 ORDER BY mac COLLATE "C"',
        [tenantId],
      )
    ).map(toTag);
  }

  async updateTag(tenantId: string, mac: string, patch: TagPatch): Promise<Tag | undefined> {
    const { sets, values } = tagAssignments(patch, (n) => `$${n + 2}`);
    if (sets.length === 0) return this.findTag(tenantId, mac);
    return this.pg.transaction(async (c) => {
      const {
        rows: [r],
      } = await c.query<TagRow>(
        `UPDATE tags SET ${sets.join(', ')} WHERE tenant_id = $1 AND mac = $2
         RETURNING mac, tenant_id, name, profile_id`,
        [tenantId, mac, ...values],
      );
      if (!r) return undefined;
      await c.query(BUMP);
      return toTag(r);
    });
  }

  async findProfile(tenantId: string, id: string): Promise<Profile | undefined> {
    const [r] = await this.pg.query<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return r && toProfile(r);
  }

  async listProfiles(tenantId: string): Promise<Profile[]> {
    return (
      await this.pg.query<ProfileRow>(
        `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE tenant_id = $1 ORDER BY name COLLATE "C", id COLLATE "C"`,
        [tenantId],
      )
    ).map(toProfile);
  }

  async recordAudit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const [r] = await this.pg.query<{ id: number }>(
      `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        entry.tenantId,
        entry.actorId,
        entry.actorEmail,
        entry.action,
        entry.objectType,
        entry.objectId,
        entry.at,
        JSON.stringify(entry.detail ?? null),
      ],
    );
    return { ...entry, id: r.id };
  }

  async listAudit(
    tenantId: string,
    filter: { objectType?: AuditObjectType; objectId?: string; limit: number },
  ): Promise<AuditEntry[]> {
    const rows = await this.pg.query<AuditRow>(
      `SELECT * FROM audit_log WHERE tenant_id = $1
         AND ($2::text IS NULL OR object_type = $2) AND ($3::text IS NULL OR object_id = $3)
       ORDER BY id DESC LIMIT $4`,
      [tenantId, filter.objectType ?? null, filter.objectId ?? null, filter.limit],
    );
    return rows.map(toAudit);
  }
}
