import pg from 'pg';
import { validateProfile } from '@coldchain/alarm-engine';
import type { DeadLetter, HubStatus } from '@coldchain/contract';
import {
  type AlertEvent,
  type EpochMs,
  type Hub,
  type Profile,
  type ProfileRules,
  type Tag,
  type Tenant,
  type Trip,
} from '@coldchain/domain';
import { EngineUnavailableError, InvalidInputError } from '@coldchain/errors';
import { MIGRATIONS, migrationSql } from './migrations.js';
import type {
  AuditEntry,
  AuditObjectType,
  LoginAttemptReservation,
  LoginLockPolicy,
  LoginFailureState,
  SessionRecord,
  TagPatch,
  UserPatch,
} from './operator/operator-store.port.js';
import { PostgresOperatorStore } from './operator/postgres-operator-store.js';
import { PostgresTripStore } from './trips/postgres-trip-store.js';
import type { TripPatch } from './trips/trip-store.port.js';
import {
  PLATFORM_ADMIN_COLUMNS,
  platformAdminAssignments,
  platformAdminValues,
  toPlatformAdmin,
  type PlatformAdminRow,
} from './platform/platform-admin-rows.js';
import type { PlatformAdminPatch, PlatformAdminRecord } from './platform/platform-admin-store.port.js';
import {
  OPEN_TENANT,
  TENANT_COLUMNS,
  tenantAssignments,
  toTenant,
  type TenantRow,
} from './tenants/tenant-rows.js';
import type { NewTenant, TenantClosing, TenantPatch, TenantSettings } from './tenants/tenant-store.port.js';
import {
  alertFilterSql,
  type AlertFilter,
  type HubRecord,
  type MetadataSnapshot,
  type MetadataStorePort,
  type StoredDeadLetter,
  type UserRecord,
} from './metadata-store.port.js';
import { POSTGRES_ENGINE, isUniqueViolation, toStoreError } from './postgres-errors.js';
import { createPostgresPool } from './postgres-pool.js';
import { NEW_USER_COLUMNS, newUserValues } from './operator/operator-rows.js';
import {
  DEAD_LETTER_COLUMNS,
  deadLetterValues,
  toStoredDeadLetter,
  type DeadLetterRow,
} from './dead-letter-rows.js';

/** The pool's tunables, units in the names (defaults and reasons in POSTGRES_METADATA_STORE_DEFAULTS). */
export interface PostgresMetadataStoreTunables {
  poolSize: number;
  connectionTimeoutMs: number;
  idleTimeoutMs: number;
  statementTimeoutMs: number;
  applicationName: string;
}

/** Tunables of the PostgreSQL metadata store, units in the names. */
export const POSTGRES_METADATA_STORE_DEFAULTS = {
  /** Schema holding the tables; created when missing. */
  schema: 'public',
  /**
   * Connections per process. Metadata traffic is light (a version check per
   * cache refresh, a snapshot when it moved, rare writes); at least 2, since
   * {@link PostgresMetadataStore.withLock} holds one while its callback uses others.
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
} satisfies PostgresMetadataStoreTunables & { schema: string };

export type PostgresMetadataStoreOptions = Partial<PostgresMetadataStoreTunables> & {
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
 * Isolation of {@link PostgresMetadataStore.snapshot}: every table read at
 * one point in time, so the version returned matches the rows.
 */
const SNAPSHOT_BEGIN = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

interface ProfileRow {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  temperature_min: number;
  temperature_max: number;
  /** JSON of `Profile.rules`; null = none (the engine derives rules from the temperature bounds). */
  rules: string | null;
}

const toProfile = (r: ProfileRow): Profile => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  version: r.version,
  temperature: { min: r.temperature_min, max: r.temperature_max },
  ...(r.rules ? { rules: JSON.parse(r.rules) as ProfileRules } : {}),
});

/** Bumps `metadata_version` in the same statement as the write it follows (a data-modifying CTE). */
const BUMP_AFTER = (write: string): string =>
  `WITH written AS (${write} RETURNING 1)
   UPDATE metadata_version SET version = version + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM written)`;

/**
 * The production metadata store: PostgreSQL through a pg pool. Behaves as
 * {@link SqliteMetadataStore} does (test/contracts/metadata-store.contract.ts
 * runs against both), and is safe with several processes on one database:
 * migrations run under an advisory lock, every write and its version bump
 * commit together, snapshots read one point in time.
 *
 * Errors: an unreachable, overloaded or timed-out server gives a retriable
 * EngineUnavailableError keeping `cause`; values the database refuses (a
 * duplicate id, an unknown tenant) give InvalidInputError (postgres-errors.ts).
 */
export class PostgresMetadataStore implements MetadataStorePort {
  readonly kind = 'postgres' as const;
  readonly schema: string;
  private readonly settings: PostgresMetadataStoreTunables;
  private readonly now: () => EpochMs;
  private pool?: pg.Pool;
  /** Outcome of the last statement, or of the last idle-connection event: what isHealthy() reports. */
  private lastOk = false;

  constructor(
    private readonly databaseUrl: string,
    options: PostgresMetadataStoreOptions = {},
  ) {
    const { schema, now, ...tunables } = options;
    const { schema: defaultSchema, ...defaultTunables } = POSTGRES_METADATA_STORE_DEFAULTS;
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
   * `withLock('demo-seed', async () => { if (await store.isEmpty()) await seedDemoTenant(store, ...) })`.
   * `fn` runs outside the lock's connection and may use the store freely.
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

  async isEmpty(): Promise<boolean> {
    const [row] = await this.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM tenants) AS empty');
    return row.empty;
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

  /**
   * Raises InvalidInputError `tenant "<id>" already exists` when the id is
   * taken, e.g. by another process seeding the demo tenant at the same time.
   */
  async createTenant(tenant: Tenant): Promise<void> {
    await this.query(
      BUMP_AFTER('INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)'),
      [tenant.id, tenant.name, this.now()],
      () => new InvalidInputError(`tenant "${tenant.id}" already exists`),
    );
  }

  async createUser(user: UserRecord): Promise<void> {
    await this.query(
      `INSERT INTO users (${NEW_USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      newUserValues(user, this.now()),
    );
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const [r] = await this.query<{
      id: string;
      tenant_id: string;
      email: string;
      role: UserRecord['role'];
      password_hash: string;
      must_change_password: number;
      disabled: number;
    }>(
      'SELECT id, tenant_id, email, role, password_hash, must_change_password, disabled FROM users WHERE email = $1',
      [email.toLowerCase()],
    );
    return r
      ? {
          id: r.id,
          tenantId: r.tenant_id,
          email: r.email,
          role: r.role,
          passwordHash: r.password_hash,
          mustChangePassword: r.must_change_password === 1,
          disabled: r.disabled === 1,
        }
      : undefined;
  }

  async createHub(hub: HubRecord): Promise<void> {
    await this.query(
      BUMP_AFTER(
        'INSERT INTO hubs (imei, tenant_id, name, secret_hash, updated_at) VALUES ($1, $2, $3, $4, $5)',
      ),
      [hub.imei, hub.tenantId, hub.name, hub.secretHash, this.now()],
    );
  }

  async createTag(tag: Tag): Promise<void> {
    await this.query(
      BUMP_AFTER(
        'INSERT INTO tags (mac, tenant_id, name, profile_id, updated_at) VALUES ($1, $2, $3, $4, $5)',
      ),
      [tag.mac, tag.tenantId, tag.name, tag.profileId ?? null, this.now()],
    );
  }

  /**
   * Validates before any I/O, then inserts at version 1 or bumps the version,
   * in one upsert: the row lock ON CONFLICT takes serialises concurrent edits
   * of one profile (each gets its own version), and two concurrent first
   * saves cannot both insert. A profile id owned by another tenant is refused,
   * and so is a profile `validateProfile` (the alarm engine's rules included)
   * finds problems with, listing each.
   */
  async saveProfile(profile: Omit<Profile, 'version'>): Promise<Profile> {
    const problems = validateProfile({ ...profile, version: 0 });
    if (problems.length > 0) throw new InvalidInputError(`profile refused: ${problems.join('; ')}`, problems);
    return this.transaction(async (c) => {
      const saved = await c.query<{ version: number }>(
        `INSERT INTO profiles (id, tenant_id, name, version, temperature_min, temperature_max, rules, updated_at)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = profiles.version + 1,
           temperature_min = excluded.temperature_min, temperature_max = excluded.temperature_max,
           rules = excluded.rules, updated_at = excluded.updated_at
         WHERE profiles.tenant_id = excluded.tenant_id
         RETURNING version`,
        [
          profile.id,
          profile.tenantId,
          profile.name,
          profile.temperature.min,
          profile.temperature.max,
          profile.rules === undefined ? null : JSON.stringify(profile.rules),
          this.now(),
        ],
      );
      if (saved.rowCount === 0) throw new InvalidInputError('profile id taken');
      await c.query('UPDATE metadata_version SET version = version + 1 WHERE id = 1');
      return { ...profile, version: saved.rows[0].version };
    });
  }

  async recordDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    // One statement for the batch (a column array per column); ids follow the batch's order.
    const columns = letters.map(deadLetterValues);
    const column = (i: number) => columns.map((values) => values[i]);
    await this.query(
      `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS})
       SELECT ${DEAD_LETTER_COLUMNS}
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::bigint[], $9::text[], $10::integer[])
         WITH ORDINALITY AS d(${DEAD_LETTER_COLUMNS}, n)
       ORDER BY n`,
      DEAD_LETTER_COLUMNS.split(',').map((_, i) => column(i)),
    );
  }

  async listDeadLetters(limit: number): Promise<StoredDeadLetter[]> {
    const rows = await this.query<DeadLetterRow>(
      `SELECT id, ${DEAD_LETTER_COLUMNS} FROM dead_letters ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toStoredDeadLetter);
  }

  async purgeDeadLetters(before: EpochMs): Promise<number> {
    const [{ n }] = await this.query<{ n: number }>(
      'WITH gone AS (DELETE FROM dead_letters WHERE received_at < $1 RETURNING 1) SELECT count(*)::bigint AS n FROM gone',
      [before],
    );
    return n;
  }

  /** One statement for the batch; a key repeated within it counts once, at its first occurrence. */
  async recordAlerts(events: readonly AlertEvent[]): Promise<AlertEvent[]> {
    if (events.length === 0) return [];
    const rows = await this.query<{ key: string }>(
      `INSERT INTO alerts (key, tenant_id, tag, rule, transition, started_at, emitted_at, event)
       SELECT key, tenant_id, tag, rule, transition, started_at, emitted_at, event
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[])
         WITH ORDINALITY AS a(key, tenant_id, tag, rule, transition, started_at, emitted_at, event, n)
       ORDER BY n
       ON CONFLICT (key) DO NOTHING
       RETURNING key`,
      [
        events.map((e) => e.key),
        events.map((e) => e.tenantId),
        events.map((e) => e.tag),
        events.map((e) => e.rule),
        events.map((e) => e.transition),
        events.map((e) => e.startedAt),
        events.map((e) => e.emittedAt),
        events.map((e) => JSON.stringify(e)),
      ],
    );
    const inserted = new Set(rows.map((r) => r.key));
    return events.filter((e) => inserted.delete(e.key));
  }

  async listAlerts(tenantId: string, limit: number, filter?: AlertFilter): Promise<AlertEvent[]> {
    const { where, values } = alertFilterSql(filter, (n) => `$${n}`);
    // COLLATE "C": byte order on the tie-break, as SQLite's BINARY, whatever the database's locale.
    const rows = await this.query<{ event: string }>(
      `SELECT event FROM alerts WHERE tenant_id = $1${where} ORDER BY emitted_at DESC, key COLLATE "C" LIMIT $${values.length + 2}`,
      [tenantId, ...values, limit],
    );
    return rows.map((r) => JSON.parse(r.event) as AlertEvent);
  }

  async setHubStatus(imei: string, status: HubStatus, at: EpochMs): Promise<void> {
    await this.query(
      `INSERT INTO hub_status (imei, status, at) VALUES ($1, $2, $3)
       ON CONFLICT (imei) DO UPDATE SET status = excluded.status, at = excluded.at WHERE excluded.at >= hub_status.at`,
      [imei, status, at],
    );
  }

  async hubStatuses(tenantId: string): Promise<Array<{ imei: string; status: HubStatus; at: EpochMs }>> {
    return this.query<{ imei: string; status: HubStatus; at: EpochMs }>(
      `SELECT s.imei, s.status, s.at FROM hub_status s JOIN hubs h ON h.imei = s.imei
       WHERE h.tenant_id = $1 ORDER BY s.imei COLLATE "C"`,
      [tenantId],
    );
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

  /** One statement on any pooled connection; `onDuplicate` names the error a unique violation becomes. */
  private async query<R extends pg.QueryResultRow>(
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
  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
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

  // The operator API's part of the port (users, sessions, login failures, hubs, tags, profiles,
  // audit trail): written in operator/, delegated here.
  private readonly operator = new PostgresOperatorStore({
    query: (text, values) => this.query(text, values),
    transaction: (fn) => this.transaction(fn),
  });

  findUser(tenantId: string, id: string): Promise<UserRecord | undefined> {
    return this.operator.findUser(tenantId, id);
  }
  listUsers(tenantId: string): Promise<UserRecord[]> {
    return this.operator.listUsers(tenantId);
  }
  updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    return this.operator.updateUser(tenantId, id, patch);
  }
  createSession(session: SessionRecord): Promise<void> {
    return this.operator.createSession(session);
  }
  findSession(id: string): Promise<SessionRecord | undefined> {
    return this.operator.findSession(id);
  }
  touchSession(id: string, at: EpochMs): Promise<void> {
    return this.operator.touchSession(id, at);
  }
  rotateRefresh(id: string, expectedHash: string, nextHash: string): Promise<boolean> {
    return this.operator.rotateRefresh(id, expectedHash, nextHash);
  }
  revokeSession(id: string, at: EpochMs, reason: string): Promise<void> {
    return this.operator.revokeSession(id, at, reason);
  }
  revokeUserSessions(userId: string, at: EpochMs, reason: string, keep?: string): Promise<void> {
    return this.operator.revokeUserSessions(userId, at, reason, keep);
  }
  purgeAuthRecords(before: EpochMs): Promise<number> {
    return this.operator.purgeAuthRecords(before);
  }
  loginFailures(email: string): Promise<LoginFailureState | undefined> {
    return this.operator.loginFailures(email);
  }
  reserveLoginAttempt(email: string, at: EpochMs, policy: LoginLockPolicy): Promise<LoginAttemptReservation> {
    return this.operator.reserveLoginAttempt(email, at, policy);
  }
  settleFailedLogin(email: string, at: EpochMs, policy: LoginLockPolicy): Promise<LoginFailureState> {
    return this.operator.settleFailedLogin(email, at, policy);
  }
  clearUnlockedLoginFailures(email: string, at: EpochMs): Promise<boolean> {
    return this.operator.clearUnlockedLoginFailures(email, at);
  }
  isRegistered(device: { imei: string } | { mac: string }): Promise<boolean> {
    return this.operator.isRegistered(device);
  }
  findHub(tenantId: string, imei: string): Promise<Hub | undefined> {
    return this.operator.findHub(tenantId, imei);
  }
  listHubs(tenantId: string): Promise<Hub[]> {
    return this.operator.listHubs(tenantId);
  }
  setHubSecret(tenantId: string, imei: string, secretHash: string): Promise<boolean> {
    return this.operator.setHubSecret(tenantId, imei, secretHash);
  }
  findTag(tenantId: string, mac: string): Promise<Tag | undefined> {
    return this.operator.findTag(tenantId, mac);
  }
  listTags(tenantId: string): Promise<Tag[]> {
    return this.operator.listTags(tenantId);
  }
  updateTag(tenantId: string, mac: string, patch: TagPatch): Promise<Tag | undefined> {
    return this.operator.updateTag(tenantId, mac, patch);
  }
  findProfile(tenantId: string, id: string): Promise<Profile | undefined> {
    return this.operator.findProfile(tenantId, id);
  }
  listProfiles(tenantId: string): Promise<Profile[]> {
    return this.operator.listProfiles(tenantId);
  }
  recordAudit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    return this.operator.recordAudit(entry);
  }
  listAudit(
    tenantId: string,
    filter: { objectType?: AuditObjectType; objectId?: string; limit: number },
  ): Promise<AuditEntry[]> {
    return this.operator.listAudit(tenantId, filter);
  }

  // Trips (shipments): written in trips/, delegated here.
  private readonly trips = new PostgresTripStore({
    query: (text, values) => this.query(text, values),
    transaction: (fn) => this.transaction(fn),
  });

  createTrip(trip: Trip): Promise<void> {
    return this.trips.createTrip(trip);
  }
  findTrip(tenantId: string, id: string): Promise<Trip | undefined> {
    return this.trips.findTrip(tenantId, id);
  }
  listTrips(tenantId: string, limit: number): Promise<Trip[]> {
    return this.trips.listTrips(tenantId, limit);
  }
  updateTrip(tenantId: string, id: string, patch: TripPatch): Promise<Trip | undefined> {
    return this.trips.updateTrip(tenantId, id, patch);
  }
  activeTrips(endedSince: EpochMs): Promise<Trip[]> {
    return this.trips.activeTrips(endedSince);
  }

  // Tenant settings (tenants/).
  async findTenant(id: string): Promise<TenantSettings | undefined> {
    const [r] = await this.query<TenantRow>(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = $1`, [id]);
    return r && toTenant(r);
  }
  async updateTenant(id: string, patch: TenantPatch): Promise<TenantSettings | undefined> {
    const { sets, values } = tenantAssignments(patch, (n) => `$${n + 1}`);
    if (sets.length > 0)
      await this.query(`UPDATE tenants SET ${sets.join(', ')} WHERE id = $1`, [id, ...values]);
    return this.findTenant(id);
  }
  async tenantsWithPositionsRetention(): Promise<TenantSettings[]> {
    return (
      await this.query<TenantRow>(
        `SELECT ${TENANT_COLUMNS} FROM tenants WHERE positions_retention_days IS NOT NULL ORDER BY id COLLATE "C"`,
      )
    ).map(toTenant);
  }
  async listTenants(): Promise<TenantSettings[]> {
    return (await this.query<TenantRow>(`SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY id COLLATE "C"`)).map(
      toTenant,
    );
  }
  /** One transaction: the tenant, its owner, the version bump; a taken id or email rolls all back. */
  async openTenant(tenant: NewTenant, owner: UserRecord): Promise<TenantSettings> {
    const row = await this.transaction(async (c) => {
      const [created] = (
        await c.query<TenantRow>(
          `INSERT INTO tenants (id, name, time_zone, created_at) VALUES ($1, $2, $3, $4) RETURNING ${TENANT_COLUMNS}`,
          [tenant.id, tenant.name, tenant.timeZone ?? null, this.now()],
        )
      ).rows;
      await c.query(
        `INSERT INTO users (${NEW_USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        newUserValues({ ...owner, tenantId: tenant.id }, this.now()),
      );
      await c.query('UPDATE metadata_version SET version = version + 1 WHERE id = 1');
      return created;
    });
    return toTenant(row);
  }
  /** The row lock of the UPDATE serialises two closings of one tenant: the first stands, the second finds it closed. */
  async closeTenant(id: string, closing: TenantClosing): Promise<boolean> {
    return this.transaction(async (c) => {
      const closed = await c.query(
        `UPDATE tenants SET closed_at = $2, closed_by = $3, read_only_until = $4
         WHERE id = $1 AND closed_at IS NULL RETURNING 1`,
        [id, closing.at, closing.by, closing.readOnlyUntil],
      );
      if (closed.rowCount === 0) return false;
      await c.query('UPDATE metadata_version SET version = version + 1 WHERE id = 1');
      return true;
    });
  }

  // Platform admins (platform/).
  async createPlatformAdmin(admin: PlatformAdminRecord): Promise<void> {
    await this.query(
      `INSERT INTO platform_admins (${PLATFORM_ADMIN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`,
      platformAdminValues(admin),
    );
  }
  async findPlatformAdmin(id: string): Promise<PlatformAdminRecord | undefined> {
    const [r] = await this.query<PlatformAdminRow>(
      `SELECT ${PLATFORM_ADMIN_COLUMNS} FROM platform_admins WHERE id = $1`,
      [id],
    );
    return r && toPlatformAdmin(r);
  }
  async findPlatformAdminByEmail(email: string): Promise<PlatformAdminRecord | undefined> {
    const [r] = await this.query<PlatformAdminRow>(
      `SELECT ${PLATFORM_ADMIN_COLUMNS} FROM platform_admins WHERE email = $1`,
      [email.toLowerCase()],
    );
    return r && toPlatformAdmin(r);
  }
  async updatePlatformAdmin(id: string, patch: PlatformAdminPatch): Promise<PlatformAdminRecord | undefined> {
    const { sets, values } = platformAdminAssignments(patch, (n) => `$${n + 1}`);
    if (sets.length === 0) return this.findPlatformAdmin(id);
    const [r] = await this.query<PlatformAdminRow>(
      `UPDATE platform_admins SET ${sets.join(', ')} WHERE id = $1 RETURNING ${PLATFORM_ADMIN_COLUMNS}`,
      [id, ...values],
    );
    return r && toPlatformAdmin(r);
  }
}
