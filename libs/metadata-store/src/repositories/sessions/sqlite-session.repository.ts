import type { EpochMs } from '@coldchain/domain';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import { RESERVE_LOGIN_ATTEMPT_SQLITE as RESERVE_LOGIN_ATTEMPT, reservation } from './login-attempts.js';
import { toSession, type SessionRow } from './session-rows.js';
import type {
  LoginAttemptReservation,
  LoginFailureState,
  LoginLockPolicy,
  SessionRecord,
  SessionRepository,
} from './session.repository.js';

/** {@link SessionRepository} on the SQLite metadata database. */
export class SqliteSessionRepository implements SessionRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async createSession(s: SessionRecord): Promise<void> {
    this.db.sql
      .prepare(
        `INSERT INTO auth_sessions (id, user_id, tenant_id, refresh_hash, created_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.id, s.userId, s.tenantId ?? null, s.refreshHash, s.createdAt, s.lastSeenAt, s.expiresAt);
  }

  async findSession(id: string): Promise<SessionRecord | undefined> {
    const r = this.db.sql.prepare('SELECT * FROM auth_sessions WHERE id = ?').get(id) as
      SessionRow | undefined;
    return r && toSession(r);
  }

  async touchSession(id: string, at: EpochMs): Promise<void> {
    this.db.sql
      .prepare('UPDATE auth_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?')
      .run(at, id, at);
  }

  async rotateRefresh(id: string, expectedHash: string, nextHash: string): Promise<boolean> {
    return (
      this.db.sql
        .prepare(
          `UPDATE auth_sessions SET previous_refresh_hash = refresh_hash, refresh_hash = ?
           WHERE id = ? AND refresh_hash = ? AND revoked_at IS NULL`,
        )
        .run(nextHash, id, expectedHash).changes === 1
    );
  }

  async revokeSession(id: string, at: EpochMs, reason: string): Promise<void> {
    this.db.sql
      .prepare(
        'UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
      )
      .run(at, reason, id);
  }

  async revokeUserSessions(userId: string, at: EpochMs, reason: string, keep?: string): Promise<void> {
    this.db.sql
      .prepare(
        `UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ?
         WHERE user_id = ? AND revoked_at IS NULL AND id <> ?`,
      )
      .run(at, reason, userId, keep ?? '');
  }

  async purgeAuthRecords(before: EpochMs): Promise<number> {
    const db = this.db.sql;
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
    const r = this.db.sql
      .prepare('SELECT failures, locked_until FROM auth_login_failures WHERE email = ?')
      .get(email.toLowerCase()) as { failures: number; locked_until: number | null } | undefined;
    return r && { failures: r.failures, lockedUntil: r.locked_until ?? undefined };
  }

  async reserveLoginAttempt(
    email: string,
    at: EpochMs,
    policy: LoginLockPolicy,
  ): Promise<LoginAttemptReservation> {
    const r = this.db.sql
      .prepare(RESERVE_LOGIN_ATTEMPT)
      .get({ email: email.toLowerCase(), at, max: policy.maxFailures, lockUntil: at + policy.lockMs }) as {
      failures: number;
      locked_until: number | null;
    };
    return reservation(r, at);
  }

  async settleFailedLogin(email: string, at: EpochMs, policy: LoginLockPolicy): Promise<LoginFailureState> {
    const db = this.db.sql;
    const key = email.toLowerCase();
    db.prepare(
      `UPDATE auth_login_failures SET failures = 0, locked_until = ?
       WHERE email = ? AND failures >= ? AND (locked_until IS NULL OR locked_until <= ?)`,
    ).run(at + policy.lockMs, key, policy.maxFailures, at);
    return (await this.loginFailures(key)) ?? { failures: 0 };
  }

  async clearUnlockedLoginFailures(email: string, at: EpochMs): Promise<boolean> {
    const db = this.db.sql;
    const key = email.toLowerCase();
    db.prepare(
      'DELETE FROM auth_login_failures WHERE email = ? AND (locked_until IS NULL OR locked_until <= ?)',
    ).run(key, at);
    return db.prepare('SELECT 1 FROM auth_login_failures WHERE email = ?').get(key) === undefined;
  }
}
