import type { Migration, SqlDialect } from '../migrations.js';

/** An auto-assigned id per dialect (see COLUMN_TYPES in migrations.ts). */
const AUTO_ID: Readonly<Record<SqlDialect, string>> = {
  sqlite: 'INTEGER PRIMARY KEY',
  postgres: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
};

const schema = (dialect: SqlDialect): string => `
      ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE auth_sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        tenant_id TEXT NOT NULL,
        refresh_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revoked_reason TEXT
      );
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
      CREATE TABLE auth_login_failures (
        email TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure_at BIGINT NOT NULL,
        locked_until BIGINT
      );
      CREATE TABLE audit_log (
        id ${AUTO_ID[dialect]},
        tenant_id TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_email TEXT NOT NULL,
        action TEXT NOT NULL,
        object_type TEXT NOT NULL,
        object_id TEXT NOT NULL,
        at BIGINT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_log_object ON audit_log (tenant_id, object_type, object_id, id);
`;

/**
 * Migration 5, the operator API:
 * - `users.disabled`: a disabled user cannot log in and its sessions end;
 * - `auth_sessions`: one row per login; the refresh token kept as SHA-256 only;
 * - `auth_login_failures`: consecutive failures and lockout per email
 *   (emails that match no user too, so that lockout reveals nothing);
 * - `audit_log`: who changed which user, hub, tag or profile, when, and how
 *   (`detail` is JSON text). Times are epoch ms.
 */
export const OPERATOR_MIGRATION: Migration = {
  id: 5,
  name: 'operator API: disabled users, sessions, login failures, audit trail',
  sql: { sqlite: schema('sqlite'), postgres: schema('postgres') },
};

/**
 * Migration 9: `auth_sessions.previous_refresh_hash`, the SHA-256 of the
 * refresh token the last rotation spent. Presenting that one again proves
 * reuse and ends the session; a token never issued only gets a 401.
 */
export const SESSION_PREVIOUS_REFRESH_MIGRATION: Migration = {
  id: 10,
  name: 'sessions keep the refresh token their last rotation spent',
  sql: {
    sqlite: 'ALTER TABLE auth_sessions ADD COLUMN previous_refresh_hash TEXT;',
    postgres: 'ALTER TABLE auth_sessions ADD COLUMN previous_refresh_hash TEXT;',
  },
};
