import { OPERATOR_MIGRATION, SESSION_PREVIOUS_REFRESH_MIGRATION } from './migrations/operator-migration.js';
import { PLATFORM_MIGRATION } from './migrations/platform-migration.js';
import { TENANT_SETTINGS_MIGRATION } from './migrations/tenant-migration.js';
import { TRIPS_MIGRATION } from './migrations/trip-migration.js';
import { AUDIT_CHAIN_MIGRATION } from './repositories/audit/audit-chain.migration.js';

/** The SQL engines the metadata store runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

/** The migration's connection, inside its transaction, as an {@link Migration.after} step sees it. */
export interface MigrationConnection {
  dialect: SqlDialect;
  /** One statement with parameters (`?` on SQLite, `$1` on PostgreSQL); the rows it returns. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
}

/** One schema migration; `sql` is shared, or written per dialect where the engines differ. */
export interface Migration {
  id: number;
  name: string;
  sql: string | Readonly<Record<SqlDialect, string>>;
  /**
   * Runs after `sql`, in the same transaction: for what SQL alone cannot do
   * on both engines (SQLite has no SHA-256 function, for one).
   */
  after?: (connection: MigrationConnection) => Promise<void>;
}

/** The SQL of `migration` for `dialect`. */
export function migrationSql(migration: Migration, dialect: SqlDialect): string {
  return typeof migration.sql === 'string' ? migration.sql : migration.sql[dialect];
}

/**
 * Column definitions that the two engines spell differently; everything else
 * is the shared subset. An auto-assigned id is `INTEGER PRIMARY KEY` in SQLite
 * (an alias of the rowid) but a plain column without a default in PostgreSQL,
 * where it needs an identity (SQL:2003 `GENERATED ... AS IDENTITY`).
 */
const COLUMN_TYPES: Readonly<Record<SqlDialect, { autoId: string }>> = {
  sqlite: { autoId: 'INTEGER PRIMARY KEY' },
  postgres: { autoId: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' },
};

/** The same migration text for both dialects, with the differing column types filled in. */
const perDialect = (
  sql: (types: (typeof COLUMN_TYPES)[SqlDialect]) => string,
): Readonly<Record<SqlDialect, string>> => ({
  sqlite: sql(COLUMN_TYPES.sqlite),
  postgres: sql(COLUMN_TYPES.postgres),
});

/**
 * Migration 4: the durable DeliveryLog and AckAuditLog of @coldchain/notifications.
 * - `notification_deliveries`: one row per (alert transition, contact, channel);
 *   the UNIQUE constraints on the idempotency key and on the triple are what
 *   make a second send impossible, whatever process or restart asks.
 * - `notification_delivery_statuses`: every provider callback, append order.
 * - `alert_acks`: the acknowledgement audit trail, append-only (triggers below).
 * Times are epoch ms (BIGINT); `last_error` is JSON text.
 */
const NOTIFICATIONS_SCHEMA = (t: (typeof COLUMN_TYPES)[SqlDialect]): string => `
      CREATE TABLE notification_deliveries (
        seq ${t.autoId},
        idempotency_key TEXT NOT NULL UNIQUE,
        alert_key TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        address TEXT NOT NULL,
        escalated_from TEXT,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        lease_until BIGINT,
        next_attempt_at BIGINT,
        provider TEXT,
        provider_message_id TEXT,
        last_error TEXT,
        provider_status TEXT,
        UNIQUE (alert_key, contact_id, channel)
      );
      CREATE INDEX notification_deliveries_message ON notification_deliveries (provider_message_id);
      CREATE INDEX notification_deliveries_due ON notification_deliveries (state, updated_at);
      CREATE INDEX notification_deliveries_address ON notification_deliveries (address, created_at);
      CREATE TABLE notification_delivery_statuses (
        id ${t.autoId},
        idempotency_key TEXT NOT NULL REFERENCES notification_deliveries (idempotency_key),
        status TEXT NOT NULL,
        raw TEXT NOT NULL,
        at BIGINT NOT NULL,
        error_code TEXT
      );
      CREATE INDEX notification_delivery_statuses_key ON notification_delivery_statuses (idempotency_key, id);
      CREATE TABLE alert_acks (
        id ${t.autoId},
        alert_key TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        via TEXT NOT NULL,
        comment TEXT,
        at BIGINT NOT NULL
      );
      CREATE INDEX alert_acks_alert ON alert_acks (alert_key, id);
`;

/** The audit trail refuses UPDATE and DELETE at the database, not only by convention. */
const NOTIFICATIONS_APPEND_ONLY: Readonly<Record<SqlDialect, string>> = {
  sqlite: `
      CREATE TRIGGER alert_acks_no_update BEFORE UPDATE ON alert_acks
        BEGIN SELECT RAISE(ABORT, 'alert_acks is append-only'); END;
      CREATE TRIGGER alert_acks_no_delete BEFORE DELETE ON alert_acks
        BEGIN SELECT RAISE(ABORT, 'alert_acks is append-only'); END;
  `,
  postgres: `
      CREATE FUNCTION alert_acks_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'alert_acks is append-only'; END;
      $$;
      CREATE TRIGGER alert_acks_no_change BEFORE UPDATE OR DELETE ON alert_acks
        FOR EACH ROW EXECUTE FUNCTION alert_acks_append_only();
  `,
};

/**
 * Migration 9: dead letters keep a bounded prefix of the payload with its size
 * and SHA-256, and how many letters of the hub the edge's rate limit dropped
 * before this one. Rows kept before are cut to their first 4095 bytes (5460
 * base64 characters, a whole number of 3-byte groups, so still valid base64)
 * and their size is computed from the base64 length; their hash stays NULL,
 * as SQLite has no SHA-256 in SQL and both engines keep the same rows. Cutting
 * them here rather than waiting for retention is the point: a flood already
 * stored (one 20 MiB publish grew the database by 54 MiB) is shrunk by the
 * upgrade (SQLite reuses the freed pages; VACUUM returns them to the disk).
 */
const DEAD_LETTER_BOUNDS_MIGRATION: Migration = {
  id: 9,
  name: 'dead letters: payload prefix, size, SHA-256, suppressed count',
  sql: `
      ALTER TABLE dead_letters RENAME COLUMN payload_base64 TO payload_prefix_base64;
      ALTER TABLE dead_letters ADD COLUMN payload_bytes BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE dead_letters ADD COLUMN payload_sha256 TEXT;
      ALTER TABLE dead_letters ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0;
      UPDATE dead_letters SET
        payload_bytes = length(payload_prefix_base64) / 4 * 3
          - CASE WHEN payload_prefix_base64 LIKE '%==' THEN 2 WHEN payload_prefix_base64 LIKE '%=' THEN 1 ELSE 0 END,
        payload_prefix_base64 = substr(payload_prefix_base64, 1, 5460);
  `,
};

/**
 * Schema migrations of the metadata store, applied in order and recorded in
 * `schema_migrations`. Written in the SQL subset SQLite and PostgreSQL share
 * (BIGINT for epoch ms, TEXT for JSON), so that both adapters run the same
 * list; where the engines differ, see {@link COLUMN_TYPES}.
 * Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'tenants, users, hubs, tags, profiles',
    sql: `
      CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL);
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        email TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        temperature_min DOUBLE PRECISION NOT NULL,
        temperature_max DOUBLE PRECISION NOT NULL,
        rules TEXT,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE hubs (
        imei TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE tags (
        mac TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        profile_id TEXT REFERENCES profiles(id),
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE metadata_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL);
      INSERT INTO metadata_version (id, version) VALUES (1, 1);
    `,
  },
  {
    id: 2,
    name: 'dead letters, alerts, hub status',
    sql: perDialect(
      (t) => `
      CREATE TABLE dead_letters (
        id ${t.autoId},
        received_at BIGINT NOT NULL,
        hub TEXT NOT NULL,
        topic TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        rejections TEXT NOT NULL,
        payload_base64 TEXT NOT NULL
      );
      CREATE INDEX dead_letters_received ON dead_letters (received_at);
      CREATE TABLE alerts (
        key TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        rule TEXT NOT NULL,
        transition TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        emitted_at BIGINT NOT NULL,
        event TEXT NOT NULL
      );
      CREATE INDEX alerts_tenant_emitted ON alerts (tenant_id, emitted_at);
      CREATE TABLE hub_status (imei TEXT PRIMARY KEY, status TEXT NOT NULL, at BIGINT NOT NULL);
    `,
    ),
  },
  {
    // Id 3 belongs to another change in flight; the runner applies whatever is missing, gaps allowed.
    id: 4,
    name: 'notification deliveries, provider statuses, acknowledgement audit trail',
    sql: {
      sqlite: NOTIFICATIONS_SCHEMA(COLUMN_TYPES.sqlite) + NOTIFICATIONS_APPEND_ONLY.sqlite,
      postgres: NOTIFICATIONS_SCHEMA(COLUMN_TYPES.postgres) + NOTIFICATIONS_APPEND_ONLY.postgres,
    },
  },
  OPERATOR_MIGRATION,
  TRIPS_MIGRATION,
  TENANT_SETTINGS_MIGRATION,
  PLATFORM_MIGRATION,
  DEAD_LETTER_BOUNDS_MIGRATION,
  SESSION_PREVIOUS_REFRESH_MIGRATION,
  AUDIT_CHAIN_MIGRATION,
];
