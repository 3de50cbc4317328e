import Database from 'better-sqlite3';
import { preparePrivateFile } from '@coldchain/config';
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
import { SqliteOperatorStore } from './operator/sqlite-operator-store.js';
import { SqliteTripStore } from './trips/sqlite-trip-store.js';
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
import { NEW_USER_COLUMNS, newUserValues } from './operator/operator-rows.js';
import {
  DEAD_LETTER_COLUMNS,
  deadLetterValues,
  toStoredDeadLetter,
  type DeadLetterRow,
} from './dead-letter-rows.js';

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

/** The embedded default's metadata store: one SQLite file under DATA_DIR. */
export class SqliteMetadataStore implements MetadataStorePort {
  readonly kind = 'sqlite' as const;
  private db?: Database.Database;

  constructor(
    private readonly file: string,
    private readonly now: () => EpochMs = Date.now,
  ) {}

  async start(): Promise<void> {
    preparePrivateFile(this.file); // 0600 in a 0700 folder: holds password, token and hub secret hashes
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set(
      (db.prepare('SELECT id FROM schema_migrations').all() as Array<{ id: number }>).map((r) => r.id),
    );
    for (const m of MIGRATIONS) {
      if (applied.has(m.id)) continue;
      db.transaction(() => {
        db.exec(migrationSql(m, 'sqlite'));
        db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
          m.id,
          m.name,
          this.now(),
        );
      })();
    }
    this.db = db;
  }

  private get sql(): Database.Database {
    if (!this.db?.open) throw new EngineUnavailableError('sqlite metadata store', 'not open');
    return this.db;
  }

  private bump(): void {
    this.sql.prepare('UPDATE metadata_version SET version = version + 1 WHERE id = 1').run();
  }

  isHealthy(): boolean {
    return this.db?.open === true;
  }

  async close(): Promise<void> {
    if (this.db?.open) this.db.close();
  }

  private readonly locks = new Map<string, Promise<unknown>>();

  /** One process owns the SQLite file, so the lock only has to order callers within this process. */
  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(name, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    }
  }

  async version(): Promise<number> {
    return (
      this.sql.prepare('SELECT version FROM metadata_version WHERE id = 1').get() as { version: number }
    ).version;
  }

  async isEmpty(): Promise<boolean> {
    return (this.sql.prepare('SELECT COUNT(*) AS n FROM tenants').get() as { n: number }).n === 0;
  }

  async snapshot(): Promise<MetadataSnapshot> {
    const db = this.sql;
    return db.transaction(() => ({
      version: (db.prepare('SELECT version FROM metadata_version WHERE id = 1').get() as { version: number })
        .version,
      tenants: db.prepare('SELECT id, name FROM tenants WHERE closed_at IS NULL').all() as Tenant[],
      hubs: (
        db
          .prepare(`SELECT imei, tenant_id, name, secret_hash FROM hubs h WHERE ${OPEN_TENANT('h')}`)
          .all() as Array<{
          imei: string;
          tenant_id: string;
          name: string;
          secret_hash: string;
        }>
      ).map((r) => ({ imei: r.imei, tenantId: r.tenant_id, name: r.name, secretHash: r.secret_hash })),
      tags: (
        db
          .prepare(`SELECT mac, tenant_id, name, profile_id FROM tags t WHERE ${OPEN_TENANT('t')}`)
          .all() as Array<{
          mac: string;
          tenant_id: string;
          name: string;
          profile_id: string | null;
        }>
      ).map((r) => ({
        mac: r.mac,
        tenantId: r.tenant_id,
        name: r.name,
        profileId: r.profile_id ?? undefined,
      })),
      profiles: (db.prepare(`SELECT * FROM profiles p WHERE ${OPEN_TENANT('p')}`).all() as ProfileRow[]).map(
        toProfile,
      ),
    }))();
  }

  async createTenant(tenant: Tenant): Promise<void> {
    this.sql
      .prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)')
      .run(tenant.id, tenant.name, this.now());
    this.bump();
  }

  async createUser(user: UserRecord): Promise<void> {
    this.sql
      .prepare(`INSERT INTO users (${NEW_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(...newUserValues(user, this.now()));
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const r = this.sql.prepare('SELECT * FROM users WHERE email = ?').get(email.toLowerCase()) as
      | {
          id: string;
          tenant_id: string;
          email: string;
          role: UserRecord['role'];
          password_hash: string;
          must_change_password: number;
          disabled: number;
        }
      | undefined;
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
    this.sql
      .prepare('INSERT INTO hubs (imei, tenant_id, name, secret_hash, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(hub.imei, hub.tenantId, hub.name, hub.secretHash, this.now());
    this.bump();
  }

  async createTag(tag: Tag): Promise<void> {
    this.sql
      .prepare('INSERT INTO tags (mac, tenant_id, name, profile_id, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(tag.mac, tag.tenantId, tag.name, tag.profileId ?? null, this.now());
    this.bump();
  }

  /** Refuses a profile `validateProfile` (the alarm engine's rules included) finds problems with, listing each. */
  async saveProfile(profile: Omit<Profile, 'version'>): Promise<Profile> {
    const problems = validateProfile({ ...profile, version: 0 });
    if (problems.length > 0) throw new InvalidInputError(`profile refused: ${problems.join('; ')}`, problems);
    const db = this.sql;
    const saved = db.transaction(() => {
      const existing = db.prepare('SELECT * FROM profiles WHERE id = ?').get(profile.id) as
        ProfileRow | undefined;
      if (existing && existing.tenant_id !== profile.tenantId)
        throw new InvalidInputError('profile id taken');
      const version = existing ? existing.version + 1 : 1;
      db.prepare(
        `INSERT INTO profiles (id, tenant_id, name, version, temperature_min, temperature_max, rules, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
           temperature_min = excluded.temperature_min, temperature_max = excluded.temperature_max,
           rules = excluded.rules, updated_at = excluded.updated_at`,
      ).run(
        profile.id,
        profile.tenantId,
        profile.name,
        version,
        profile.temperature.min,
        profile.temperature.max,
        profile.rules === undefined ? null : JSON.stringify(profile.rules),
        this.now(),
      );
      this.bump();
      return { ...profile, version };
    })();
    return saved;
  }

  async recordDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    const db = this.sql;
    const insert = db.prepare(
      `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS}) VALUES (${DEAD_LETTER_COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})`,
    );
    db.transaction(() => {
      for (const d of letters) insert.run(...deadLetterValues(d));
    })();
  }

  async listDeadLetters(limit: number): Promise<StoredDeadLetter[]> {
    return (
      this.sql
        .prepare(`SELECT id, ${DEAD_LETTER_COLUMNS} FROM dead_letters ORDER BY id DESC LIMIT ?`)
        .all(limit) as DeadLetterRow[]
    ).map(toStoredDeadLetter);
  }

  async purgeDeadLetters(before: EpochMs): Promise<number> {
    return this.sql.prepare('DELETE FROM dead_letters WHERE received_at < ?').run(before).changes;
  }

  async recordAlerts(events: readonly AlertEvent[]): Promise<AlertEvent[]> {
    const db = this.sql;
    const insert = db.prepare(
      `INSERT INTO alerts (key, tenant_id, tag, rule, transition, started_at, emitted_at, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    );
    return db.transaction(() =>
      events.filter(
        (e) =>
          insert.run(
            e.key,
            e.tenantId,
            e.tag,
            e.rule,
            e.transition,
            e.startedAt,
            e.emittedAt,
            JSON.stringify(e),
          ).changes === 1,
      ),
    )();
  }

  async listAlerts(tenantId: string, limit: number, filter?: AlertFilter): Promise<AlertEvent[]> {
    const { where, values } = alertFilterSql(filter, () => '?');
    const rows = this.sql
      .prepare(`SELECT event FROM alerts WHERE tenant_id = ?${where} ORDER BY emitted_at DESC, key LIMIT ?`)
      .all(tenantId, ...values, limit) as Array<{ event: string }>;
    return rows.map((r) => JSON.parse(r.event) as AlertEvent);
  }

  async setHubStatus(imei: string, status: HubStatus, at: EpochMs): Promise<void> {
    this.sql
      .prepare(
        `INSERT INTO hub_status (imei, status, at) VALUES (?, ?, ?)
         ON CONFLICT (imei) DO UPDATE SET status = excluded.status, at = excluded.at WHERE excluded.at >= hub_status.at`,
      )
      .run(imei, status, at);
  }

  async hubStatuses(tenantId: string): Promise<Array<{ imei: string; status: HubStatus; at: EpochMs }>> {
    return this.sql
      .prepare(
        'SELECT s.imei, s.status, s.at FROM hub_status s JOIN hubs h ON h.imei = s.imei WHERE h.tenant_id = ? ORDER BY s.imei',
      )
      .all(tenantId) as Array<{ imei: string; status: HubStatus; at: EpochMs }>;
  }

  // The operator API's part of the port (users, sessions, login failures, hubs, tags, profiles,
  // audit trail): written in operator/, delegated here.
  private readonly operator = new SqliteOperatorStore(
    () => this.sql,
    () => this.bump(),
  );

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
  private readonly trips = new SqliteTripStore(
    () => this.sql,
    () => this.bump(),
  );

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
    const r = this.sql.prepare(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = ?`).get(id) as
      TenantRow | undefined;
    return r && toTenant(r);
  }
  async updateTenant(id: string, patch: TenantPatch): Promise<TenantSettings | undefined> {
    const { sets, values } = tenantAssignments(patch, () => '?');
    if (sets.length > 0)
      this.sql.prepare(`UPDATE tenants SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.findTenant(id);
  }
  async tenantsWithPositionsRetention(): Promise<TenantSettings[]> {
    return (
      this.sql
        .prepare(
          `SELECT ${TENANT_COLUMNS} FROM tenants WHERE positions_retention_days IS NOT NULL ORDER BY id`,
        )
        .all() as TenantRow[]
    ).map(toTenant);
  }
  async listTenants(): Promise<TenantSettings[]> {
    return (this.sql.prepare(`SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY id`).all() as TenantRow[]).map(
      toTenant,
    );
  }
  async openTenant(tenant: NewTenant, owner: UserRecord): Promise<TenantSettings> {
    const db = this.sql;
    db.transaction(() => {
      db.prepare('INSERT INTO tenants (id, name, time_zone, created_at) VALUES (?, ?, ?, ?)').run(
        tenant.id,
        tenant.name,
        tenant.timeZone ?? null,
        this.now(),
      );
      db.prepare(`INSERT INTO users (${NEW_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
        ...newUserValues({ ...owner, tenantId: tenant.id }, this.now()),
      );
      this.bump();
    })();
    return (await this.findTenant(tenant.id))!;
  }
  async closeTenant(id: string, closing: TenantClosing): Promise<boolean> {
    const db = this.sql;
    return db.transaction(() => {
      const closed =
        db
          .prepare(
            'UPDATE tenants SET closed_at = ?, closed_by = ?, read_only_until = ? WHERE id = ? AND closed_at IS NULL',
          )
          .run(closing.at, closing.by, closing.readOnlyUntil, id).changes === 1;
      if (closed) this.bump();
      return closed;
    })();
  }

  // Platform admins (platform/).
  async createPlatformAdmin(admin: PlatformAdminRecord): Promise<void> {
    this.sql
      .prepare(`INSERT INTO platform_admins (${PLATFORM_ADMIN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(...platformAdminValues(admin));
  }
  async findPlatformAdmin(id: string): Promise<PlatformAdminRecord | undefined> {
    const r = this.sql
      .prepare(`SELECT ${PLATFORM_ADMIN_COLUMNS} FROM platform_admins WHERE id = ?`)
      .get(id) as PlatformAdminRow | undefined;
    return r && toPlatformAdmin(r);
  }
  async findPlatformAdminByEmail(email: string): Promise<PlatformAdminRecord | undefined> {
    const r = this.sql
      .prepare(`SELECT ${PLATFORM_ADMIN_COLUMNS} FROM platform_admins WHERE email = ?`)
      .get(email.toLowerCase()) as PlatformAdminRow | undefined;
    return r && toPlatformAdmin(r);
  }
  async updatePlatformAdmin(id: string, patch: PlatformAdminPatch): Promise<PlatformAdminRecord | undefined> {
    const { sets, values } = platformAdminAssignments(patch, () => '?');
    if (sets.length > 0)
      this.sql.prepare(`UPDATE platform_admins SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.findPlatformAdmin(id);
  }
}
