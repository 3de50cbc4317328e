import pg from 'pg';
import type { EpochMs, Tenant } from '@coldchain/domain';
import { EngineUnavailableError, InvalidInputError } from '@coldchain/errors';
import { MIGRATIONS, migrationSql } from '../migrations.js';
import { toProfile, type ProfileRow } from '../repositories/profiles/profile-rows.js';
import { OPEN_TENANT } from '../repositories/tenants/tenant-rows.js';
import type { MetadataDatabase, MetadataSnapshot } from './metadata-database.js';
import { POSTGRES_ENGINE, isUniqueViolation, toStoreError } from './postgres-errors.js';
import { createPostgresPool } from './postgres-pool.js';
/** The pool's tunables, units in the names (defaults and reasons in POSTGRES_DATABASE_DEFAULTS). */
export interface PostgresDatabaseTunables {
  poolSize: number;
  connectionTimeoutMs: number;
  idleTimeoutMs: number;
  statementTimeoutMs: number;
  applicationName: string;
}

/** Tunables of the PostgreSQL metadata store, units in the names. */
export const POSTGRES_DATABASE_DEFAULTS = {
  /** Schema holding the tables; created when missing. */
  schema: 'public',
  /**
   * Connections per process. Metadata traffic is light (a version check per
   * cache refresh, a snapshot when it moved, rare writes); at least 2, since
   * {@link PostgresDatabase.withLock} holds one while its callback uses others.
   */
  poolSize: 4,
  /** Waiting for a connection (TCP, TLS, auth, or a free pooled one) before EngineUnavailableError. */
  connectionTimeoutMs: 5_000, // 5 s
  /** An idle pooled connection is closed after this. */
  idleTimeoutMs: 30_000, // 30 s
  /** Server-side statement_timeout: a statement running longer is cancelled (SQLSTATE 57014, retriable). */
  statementTimeoutMs: 15_000, // 15 s
  /** Shown in pg_stat_activity.application_name. */
  applicationName: 'coldchain-metadata-store',
} satisfies PostgresDatabaseTunables & { schema: string };

export type PostgresDatabaseOptions = Partial<PostgresDatabaseTunables> & {
  /** Lower-case SQL identifier; tests pass a unique one per run. */
  schema?: string;
  /** Clock for created_at / updated_at / applied_at, epoch ms. */
  now?: () => EpochMs;
};

/** Lower-case unquoted identifiers only (max 63 bytes, NAMEDATALEN - 1), so that no quoting is ever needed. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Namespace of the advisory-lock keys this store takes; the schema and the lock name follow. */
const LOCK_NAMESPACE = 'coldchain.metadata-store';

/**
 * Isolation of {@link PostgresDatabase.snapshot}: every table read at
 * one point in time, so the version returned matches the rows.
 */
const SNAPSHOT_BEGIN = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/** Moves the metadata version; run in the transaction of the write it follows. */
export const BUMP_VERSION = 'UPDATE metadata_version SET version = version + 1 WHERE id = 1';

/** Bumps `metadata_version` in the same statement as the write it follows (a data-modifying CTE). */
export const BUMP_AFTER = (write: string): string =>
  `WITH written AS (${write} RETURNING 1)
   UPDATE metadata_version SET version = version + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM written)`;

/**
 * The production metadata database: PostgreSQL through one pg pool per
 * process, which every PostgreSQL repository of the process uses. Behaves as
 * {@link SqliteDatabase} does (the contract suites under test/contracts run
 * against both), and is safe with several processes on one database:
 * migrations run under an advisory lock, every write and its version bump
 * commit together, snapshots read one point in time.
 *
 * Errors: an unreachable, overloaded or timed-out server gives a retriable
 * EngineUnavailableError keeping `cause`; values the database refuses (a
 * duplicate id, an unknown tenant) give InvalidInputError (postgres-errors.ts).
 */
export class PostgresDatabase implements MetadataDatabase {
  readonly kind = 'postgres' as const;
  readonly schema: string;
  private readonly settings: PostgresDatabaseTunables;
  /** Clock for created_at / updated_at / applied_at, epoch ms. */
  readonly now: () => EpochMs;
  private pool?: pg.Pool;
  /** Outcome of the last statement, or of the last idle-connection event: what isHealthy() reports. */
  private lastOk = false;

  constructor(
    private readonly databaseUrl: string,
    options: PostgresDatabaseOptions = {},
  ) {
    const { schema, now, ...tunables } = options;
    const { schema: defaultSchema, ...defaultTunables } = POSTGRES_DATABASE_DEFAULTS;
    this.schema = schema ?? defaultSchema;
    this.now = now ?? Date.now;
    this.settings = { ...defaultTunables, ...tunables };
    if (!SCHEMA_NAME.test(this.schema))
      throw new InvalidInputError(
        `postgres metadata store: schema "${this.schema}" must be a lower-case SQL identifier (a-z, 0-9, _; at most 63)`,
      );
    if (!Number.isInteger(this.settings.poolSize) || this.settings.poolSize < 2)
      throw new InvalidInputError(
        `postgres metadata store: poolSize ${this.settings.poolSize} must be an integer of at least 2`,
      );
  }

  /**
   * Opens the pool and applies pending migrations, all in one transaction
   * under a transaction-scoped advisory lock keyed by the schema: of several
   * instances starting at once (gateway, ingest, api), one applies them and
   * the others wait, then find nothing left to do. Creates the schema if
   * missing (under the same lock: CREATE SCHEMA IF NOT EXISTS races otherwise).
   */
  async start(): Promise<void> {
    if (this.pool && !this.pool.ended) return;
    const pool = createPostgresPool({ databaseUrl: this.databaseUrl, schema: this.schema, ...this.settings });
    pool.on('error', () => {
      // An idle pooled connection broke (server restart, network): pg drops it
      // and opens a new one on demand. Without this listener the process would crash.
      this.lastOk = false;
    });
    this.pool = pool;
    try {
      await this.transaction(async (c) => {
        // No statement timeout here: waiting for another instance's migrations, or a
        // long migration itself, must not fail the start half-way.
        await c.query('SET LOCAL statement_timeout = 0');
        await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [this.lockKey('migrate')]);
        const exists = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
        // Only when missing: CREATE SCHEMA checks the CREATE privilege on the database even with IF NOT EXISTS.
        if (exists.rowCount === 0) await c.query(`CREATE SCHEMA ${pg.escapeIdentifier(this.schema)}`);
        await c.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        const applied = new Set(
          (await c.query<{ id: number }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id),
        );
        for (const m of MIGRATIONS) {
          if (applied.has(m.id)) continue;
          await c.query(migrationSql(m, 'postgres'));
          await m.after?.({
            dialect: 'postgres',
            query: async <T>(sql: string, params: readonly unknown[] = []) =>
              (await c.query(sql, [...params])).rows as T[],
            exec: async (sql: string) => {
              await c.query(sql);
            },
          });
          await c.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [
            m.id,
            m.name,
            this.now(),
          ]);
        }
      });
    } catch (err) {
      this.pool = undefined;
      this.lastOk = false;
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  /** True when the pool is open and the last statement (or idle connection) was fine. */
  isHealthy(): boolean {
    return this.pool !== undefined && !this.pool.ended && this.lastOk;
  }

  /** Waits for statements in flight, then closes every connection. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.lastOk = false;
    if (pool && !pool.ended) await pool.end();
  }

  /**
   * Runs `fn` while holding a cross-process lock named `name` in this schema
   * (a session-level advisory lock): callers in other processes with the same
   * name wait until `fn` settles. Made for the demo seed, where several
   * processes may start on an empty database at once:
   * `withLock('demo-seed', async () => { if (await tenants.isEmpty()) await seedDemoTenant(repositories, ...) })`.
   * `fn` runs outside the lock's connection and may use the repositories freely.
   */
  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const pool = this.open();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw this.failed(err);
    }
    const key = this.lockKey(name);
    try {
      try {
        // The wait lasts as long as the holder's `fn` (a demo seed of thousands of
        // tags takes seconds): no statement timeout on this connection.
        await client.query('SET statement_timeout = 0');
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
        this.lastOk = true;
      } catch (err) {
        throw this.failed(err);
      }
      return await fn();
    } finally {
      // The connection is closed rather than returned to the pool: ending the
      // session releases the lock whatever happened, and no pooled connection
      // can carry a forgotten lock. Rare (start-up), so the reconnect is cheap.
      client.release(true);
    }
  }

  async version(): Promise<number> {
    const [row] = await this.query<{ version: number }>('SELECT version FROM metadata_version WHERE id = 1');
    return row.version;
  }

  async snapshot(): Promise<MetadataSnapshot> {
    return this.transaction(async (c) => {
      const [{ version }] = (
        await c.query<{ version: number }>('SELECT version FROM metadata_version WHERE id = 1')
      ).rows;
      const tenants = (await c.query<Tenant>('SELECT id, name FROM tenants WHERE closed_at IS NULL')).rows;
      const hubs = (
        await c.query<{ imei: string; tenant_id: string; name: string; secret_hash: string }>(
          `SELECT imei, tenant_id, name, secret_hash FROM hubs h WHERE ${OPEN_TENANT('h')}`,
        )
      ).rows.map((r) => ({ imei: r.imei, tenantId: r.tenant_id, name: r.name, secretHash: r.secret_hash }));
      const tags = (
        await c.query<{ mac: string; tenant_id: string; name: string; profile_id: string | null }>(
          `SELECT mac, tenant_id, name, profile_id FROM tags t WHERE ${OPEN_TENANT('t')}`,
        )
      ).rows.map((r) => ({
        mac: r.mac,
        tenantId: r.tenant_id,
        name: r.name,
        profileId: r.profile_id ?? undefined,
      }));
      const profiles = (
        await c.query<ProfileRow>(
          `SELECT id, tenant_id, name, version, temperature_min, temperature_max, rules FROM profiles p WHERE ${OPEN_TENANT('p')}`,
        )
      ).rows.map(toProfile);
      return { version, tenants, hubs, tags, profiles };
    }, SNAPSHOT_BEGIN);
  }

  private lockKey(name: string): string {
    return `${LOCK_NAMESPACE}:${this.schema}:${name}`;
  }

  private open(): pg.Pool {
    if (!this.pool || this.pool.ended) throw new EngineUnavailableError(POSTGRES_ENGINE, 'not open');
    return this.pool;
  }

  /** Maps `err` (postgres-errors.ts) and records an unavailable engine for isHealthy(). */
  private failed(err: unknown): unknown {
    const mapped = toStoreError(err);
    if (mapped instanceof EngineUnavailableError) this.lastOk = false;
    return mapped;
  }

  /** One statement on any pooled connection, errors mapped (postgres-errors.ts); `onDuplicate` names the error a unique violation becomes. */
  async query<R extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
    onDuplicate?: () => InvalidInputError,
  ): Promise<R[]> {
    const pool = this.open();
    try {
      const result = await pool.query<R>(text, values);
      this.lastOk = true;
      return result.rows;
    } catch (err) {
      if (onDuplicate && isUniqueViolation(err)) throw onDuplicate();
      throw this.failed(err);
    }
  }

  /** Runs `fn` in a transaction on one pooled connection; rolls back when it throws. */
  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const pool = this.open();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw this.failed(err);
    }
    let broken = false;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      this.lastOk = true;
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true; // the connection is gone or unusable: drop it from the pool
      });
      throw this.failed(err);
    } finally {
      client.release(broken);
    }
  }
}
