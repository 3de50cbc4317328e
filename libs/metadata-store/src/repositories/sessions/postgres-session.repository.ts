import type { EpochMs } from '@coldchain/domain';
import type { PostgresDatabase } from '../../database/postgres-database.js';
import { RESERVE_LOGIN_ATTEMPT_POSTGRES, reservation } from './login-attempts.js';
import { toSession, type SessionRow } from './session-rows.js';
import type {
  LoginAttemptReservation,
  LoginFailureState,
  LoginLockPolicy,
  SessionRecord,
  SessionRepository,
} from './session.repository.js';

/**
 * {@link SessionRepository} on the PostgreSQL metadata database. A login
 * attempt's count and its lock change in one statement, the row locks of
 * UPDATE / INSERT ... ON CONFLICT serialising concurrent callers, in this
 * process or any other.
 */
export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async createSession(s: SessionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO auth_sessions (id, user_id, tenant_id, refresh_hash, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.id, s.userId, s.tenantId ?? null, s.refreshHash, s.createdAt, s.lastSeenAt, s.expiresAt],
    );
  }

  async findSession(id: string): Promise<SessionRecord | undefined> {
    const [r] = await this.db.query<SessionRow>('SELECT * FROM auth_sessions WHERE id = $1', [id]);
    return r && toSession(r);
  }

  async touchSession(id: string, at: EpochMs): Promise<void> {
    await this.db.query('UPDATE auth_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [
      id,
      at,
    ]);
  }

  async rotateRefresh(id: string, expectedHash: string, nextHash: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE auth_sessions SET previous_refresh_hash = refresh_hash, refresh_hash = $3
       WHERE id = $1 AND refresh_hash = $2 AND revoked_at IS NULL RETURNING 1`,
      [id, expectedHash, nextHash],
    );
    return rows.length === 1;
  }

  async revokeSession(id: string, at: EpochMs, reason: string): Promise<void> {
    await this.db.query(
      'UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL',
      [id, at, reason],
    );
  }

  async revokeUserSessions(userId: string, at: EpochMs, reason: string, keep?: string): Promise<void> {
    await this.db.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
       WHERE user_id = $1 AND revoked_at IS NULL AND id <> $4`,
      [userId, at, reason, keep ?? ''],
    );
  }

  async purgeAuthRecords(before: EpochMs): Promise<number> {
    return this.db.transaction(async (c) => {
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
    const [r] = await this.db.query<{ failures: number; locked_until: number | null }>(
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
    const [r] = await this.db.query<{ failures: number; locked_until: number | null }>(
      RESERVE_LOGIN_ATTEMPT_POSTGRES,
      [email.toLowerCase(), at, policy.maxFailures, at + policy.lockMs],
    );
    return reservation(r, at);
  }

  async settleFailedLogin(email: string, at: EpochMs, policy: LoginLockPolicy): Promise<LoginFailureState> {
    const key = email.toLowerCase();
    await this.db.query(
      `UPDATE auth_login_failures SET failures = 0, locked_until = $2
       WHERE email = $1 AND failures >= $3 AND (locked_until IS NULL OR locked_until <= $4)`,
      [key, at + policy.lockMs, policy.maxFailures, at],
    );
    return (await this.loginFailures(key)) ?? { failures: 0 };
  }

  async clearUnlockedLoginFailures(email: string, at: EpochMs): Promise<boolean> {
    // One statement: the DELETE and the look at what it left see one snapshot, and the DELETE's row lock
    // orders it after any reservation in flight for the email.
    const [r] = await this.db.query<{ locked: boolean }>(
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
}
