import type { Migration, SqlDialect } from '../migrations.js';

/** The platform admins: operators of the platform itself, members of no tenant. */
const PLATFORM_ADMINS = `
      CREATE TABLE platform_admins (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      );
`;

/**
 * A tenant's lifecycle: when and by whom it was closed (contract terminated),
 * and until when its users may still log in, read only, to export their data.
 */
const TENANT_LIFECYCLE: Readonly<Record<SqlDialect, string>> = {
  sqlite: `
      ALTER TABLE tenants ADD COLUMN closed_at BIGINT;
      ALTER TABLE tenants ADD COLUMN closed_by TEXT;
      ALTER TABLE tenants ADD COLUMN read_only_until BIGINT;
  `,
  postgres: `
      ALTER TABLE tenants ADD COLUMN closed_at BIGINT, ADD COLUMN closed_by TEXT, ADD COLUMN read_only_until BIGINT;
  `,
};

/**
 * `auth_sessions` also holds platform admins' sessions: `tenant_id` NULL, and
 * `user_id` a platform admin's id, so the foreign key to `users` goes.
 * PostgreSQL drops the constraint (named by migration 5's defaults); SQLite
 * cannot alter a constraint and rebuilds the table (rows, columns and index
 * kept; no table references it).
 */
const SESSIONS_WITHOUT_TENANT: Readonly<Record<SqlDialect, string>> = {
  sqlite: `
      CREATE TABLE auth_sessions_v8 (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        tenant_id TEXT,
        refresh_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revoked_reason TEXT
      );
      INSERT INTO auth_sessions_v8
        SELECT id, user_id, tenant_id, refresh_hash, created_at, last_seen_at, expires_at, revoked_at, revoked_reason
        FROM auth_sessions;
      DROP TABLE auth_sessions;
      ALTER TABLE auth_sessions_v8 RENAME TO auth_sessions;
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
  `,
  postgres: `
      ALTER TABLE auth_sessions DROP CONSTRAINT auth_sessions_user_id_fkey, ALTER COLUMN tenant_id DROP NOT NULL;
  `,
};

/**
 * Migration 8, tenant administration: platform admins, tenants'
 * closing (closed_at, closed_by, read_only_until; times epoch ms), and
 * sessions without a tenant for the platform admins.
 */
export const PLATFORM_MIGRATION: Migration = {
  id: 8,
  name: 'platform admins, tenant closing, sessions without a tenant',
  sql: {
    sqlite: PLATFORM_ADMINS + TENANT_LIFECYCLE.sqlite + SESSIONS_WITHOUT_TENANT.sqlite,
    postgres: PLATFORM_ADMINS + TENANT_LIFECYCLE.postgres + SESSIONS_WITHOUT_TENANT.postgres,
  },
};
