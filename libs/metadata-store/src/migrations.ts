/** The SQL engines the metadata store runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

/** One schema migration; `sql` is shared, or written per dialect where the engines differ. */
export interface Migration {
  id: number;
  name: string;
  sql: string | Readonly<Record<SqlDialect, string>>;
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
];
