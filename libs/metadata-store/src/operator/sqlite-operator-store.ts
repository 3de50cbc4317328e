import type Database from 'better-sqlite3';
import type { EpochMs, Hub, Profile, Tag } from '@coldchain/domain';
import type { UserRecord } from '../metadata-store.port.js';
import {
  PROFILE_COLUMNS,
  USER_COLUMNS,
  toAudit,
  toHub,
  toProfile,
  toSession,
  toTag,
  toUser,
  tagAssignments,
  userAssignments,
  type AuditRow,
  type HubRow,
  type ProfileRow,
  type SessionRow,
  type TagRow,
  type UserRow,
} from './operator-rows.js';
import { RESERVE_LOGIN_ATTEMPT_SQLITE as RESERVE_LOGIN_ATTEMPT, reservation } from './login-attempts.js';
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

/**
 * The operator part of {@link SqliteMetadataStore}: the adapter hands over its
 * open database and its version bump, and delegates each method here.
 * better-sqlite3 is synchronous, so every method runs to completion without
 * interleaving; multi-statement edits still run in a transaction.
 */
export class SqliteOperatorStore implements OperatorStore {
  constructor(
    private readonly db: () => Database.Database,
    private readonly bump: () => void,
  ) {}

  async findUser(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const r = this.db()
      .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = ? AND id = ?`)
      .get(tenantId, id) as UserRow | undefined;
    return r && toUser(r);
  }

  async listUsers(tenantId: string): Promise<UserRecord[]> {
    return (
      this.db()
        .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = ? ORDER BY email`)
        .all(tenantId) as UserRow[]
    ).map(toUser);
  }

  async updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const db = this.db();
    const { sets, values } = userAssignments(patch, () => '?');
    if (sets.length > 0)
      db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE tenant_id = ? AND id = ?`).run(
        ...values,
        tenantId,
        id,
      );
    return this.findUser(tenantId, id);
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.db()
      .prepare(
        `INSERT INTO auth_sessions (id, user_id, tenant_id, refresh_hash, created_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.id, s.userId, s.tenantId ?? null, s.refreshHash, s.createdAt, s.lastSeenAt, s.expiresAt);
  }

  async findSession(id: string): Promise<SessionRecord | undefined> {
    const r = this.db().prepare('SELECT * FROM auth_sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return r && toSession(r);
  }

  async touchSession(id: string, at: EpochMs): Promise<void> {
    this.db()
      .prepare('UPDATE auth_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?')
      .run(at, id, at);
  }

  async rotateRefresh(id: string, expectedHash: string, nextHash: string): Promise<boolean> {
    return (
      this.db()
        .prepare(
          `UPDATE auth_sessions SET previous_refresh_hash = refresh_hash, refresh_hash = ?
           WHERE id = ? AND refresh_hash = ? AND revoked_at IS NULL`,
        )
        .run(nextHash, id, expectedHash).changes === 1
    );
  }

  async revokeSession(id: string, at: EpochMs, reason: string): Promise<void> {
    this.db()
      .prepare(
        'UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
      )
      .run(at, reason, id);
  }

  async revokeUserSessions(userId: string, at: EpochMs, reason: string, keep?: string): Promise<void> {
    this.db()
      .prepare(
        `UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ?
         WHERE user_id = ? AND revoked_at IS NULL AND id <> ?`,
      )
      .run(at, reason, userId, keep ?? '');
  }

  async purgeAuthRecords(before: EpochMs): Promise<number> {
    const db = this.db();
    return db.transaction(() => {
      const sessions = db
        .prepare('DELETE FROM auth_sessions WHERE revoked_at < ? OR expires_at < ?')
        .run(before, before).changes;
      const failures = db
        .prepare(
          'DELETE FROM auth_login_failures WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until < ?)',
        )
        .run(before, before).changes;
      return sessions + failures;
    })();
  }

  async loginFailures(email: string): Promise<LoginFailureState | undefined> {
    const r = this.db()
      .prepare('SELECT failures, locked_until FROM auth_login_failures WHERE email = ?')
      .get(email.toLowerCase()) as { failures: number; locked_until: number | null } | undefined;
    return r && { failures: r.failures, lockedUntil: r.locked_until ?? undefined };
  }

  async reserveLoginAttempt(
    email: string,
    at: EpochMs,
    policy: LoginLockPolicy,
  ): Promise<LoginAttemptReservation> {
    const r = this.db()
      .prepare(RESERVE_LOGIN_ATTEMPT)
      .get({ email: email.toLowerCase(), at, max: policy.maxFailures, lockUntil: at + policy.lockMs }) as {
      failures: number;
      locked_until: number | null;
    };
    return reservation(r, at);
  }

  async settleFailedLogin(email: string, at: EpochMs, policy: LoginLockPolicy): Promise<LoginFailureState> {
    const db = this.db();
    const key = email.toLowerCase();
    db.prepare(
      `UPDATE auth_login_failures SET failures = 0, locked_until = ?
       WHERE email = ? AND failures >= ? AND (locked_until IS NULL OR locked_until <= ?)`,
    ).run(at + policy.lockMs, key, policy.maxFailures, at);
    return (await this.loginFailures(key)) ?? { failures: 0 };
  }

  async clearUnlockedLoginFailures(email: string, at: EpochMs): Promise<boolean> {
    const db = this.db();
    const key = email.toLowerCase();
    db.prepare(
      'DELETE FROM auth_login_failures WHERE email = ? AND (locked_until IS NULL OR locked_until <= ?)',
    ).run(key, at);
    return db.prepare('SELECT 1 FROM auth_login_failures WHERE email = ?').get(key) === undefined;
  }

  async isRegistered(device: { imei: string } | { mac: string }): Promise<boolean> {
    const row =
      'imei' in device
        ? this.db().prepare('SELECT 1 FROM hubs WHERE imei = ?').get(device.imei)
        : this.db().prepare('SELECT 1 FROM tags WHERE mac = ?').get(device.mac);
    return row !== undefined;
  }

  async findHub(tenantId: string, imei: string): Promise<Hub | undefined> {
    const r = this.db()
      .prepare('SELECT imei, tenant_id, name FROM hubs WHERE tenant_id = ? AND imei = ?')
      .get(tenantId, imei) as HubRow | undefined;
    return r && toHub(r);
  }

  async listHubs(tenantId: string): Promise<Hub[]> {
    return (
      this.db()
        .prepare('SELECT imei, tenant_id, name FROM hubs WHERE tenant_id = ? ORDER BY imei')
        .all(tenantId) as HubRow[]
    ).map(toHub);
  }

  async setHubSecret(tenantId: string, imei: string, secretHash: string): Promise<boolean> {
    const db = this.db();
    return db.transaction(() => {
      const changed =
        db
          .prepare('UPDATE hubs SET secret_hash = ? WHERE tenant_id = ? AND imei = ?')
          .run(secretHash, tenantId, imei).changes === 1;
      if (changed) this.bump();
      return changed;
    })();
  }

  async findTag(tenantId: string, mac: string): Promise<Tag | undefined> {
    const r = this.db()
      .prepare('SELECT mac, tenant_id, name, profile_id FROM tags WHERE tenant_id = ? AND mac = ?')
      .get(tenantId, mac) as TagRow | undefined;
    return r && toTag(r);
  }

  async listTags(tenantId: string): Promise<Tag[]> {
    return (
      this.db()
        .prepare('SELECT mac, tenant_id, name, profile_id FROM tags WHERE tenant_id = ? ORDER BY mac')
        .all(tenantId) as TagRow[]
    ).map(toTag);
  }

  async updateTag(tenantId: string, mac: string, patch: TagPatch): Promise<Tag | undefined> {
    const db = this.db();
    db.transaction(() => {
      const { sets, values } = tagAssignments(patch, () => '?');
      if (sets.length === 0) return;
      const changes = db
        .prepare(`UPDATE tags SET ${sets.join(', ')} WHERE tenant_id = ? AND mac = ?`)
        .run(...values, tenantId, mac).changes;
      if (changes === 1) this.bump();
    })();
    return this.findTag(tenantId, mac);
  }

  async findProfile(tenantId: string, id: string): Promise<Profile | undefined> {
    const r = this.db()
      .prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE tenant_id = ? AND id = ?`)
      .get(tenantId, id) as ProfileRow | undefined;
    return r && toProfile(r);
  }

  async listProfiles(tenantId: string): Promise<Profile[]> {
    return (
      this.db()
        .prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE tenant_id = ? ORDER BY name, id`)
        .all(tenantId) as ProfileRow[]
    ).map(toProfile);
  }

  async recordAudit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const { lastInsertRowid } = this.db()
      .prepare(
        `INSERT INTO audit_log (tenant_id, actor_id, actor_email, action, object_type, object_id, at, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.tenantId,
        entry.actorId,
        entry.actorEmail,
        entry.action,
        entry.objectType,
        entry.objectId,
        entry.at,
        JSON.stringify(entry.detail ?? null),
      );
    return { ...entry, id: Number(lastInsertRowid) };
  }

  async listAudit(
    tenantId: string,
    filter: { objectType?: AuditObjectType; objectId?: string; limit: number },
  ): Promise<AuditEntry[]> {
    const rows = this.db()
      .prepare(
        `SELECT * FROM audit_log WHERE tenant_id = ?
           AND (? IS NULL OR object_type = ?) AND (? IS NULL OR object_id = ?)
         ORDER BY id DESC LIMIT ?`,
      )
      .all(
        tenantId,
        filter.objectType ?? null,
        filter.objectType ?? null,
        filter.objectId ?? null,
        filter.objectId ?? null,
        filter.limit,
      ) as AuditRow[];
    return rows.map(toAudit);
  }
}
