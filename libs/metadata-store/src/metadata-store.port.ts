import type { DeadLetter, HubStatus } from '@coldchain/contract';
import type { AlertEvent, EpochMs, Hub, Profile, Tag, Tenant, User } from '@coldchain/domain';
import type { OperatorStore } from './operator/operator-store.port.js';
import type { PlatformAdminStore } from './platform/platform-admin-store.port.js';
import type { TenantStore } from './tenants/tenant-store.port.js';
import type { TripStore } from './trips/trip-store.port.js';

export interface HubRecord extends Hub {
  /** Hash of the hub's MQTT password (see credentials.ts); the secret itself is never stored. */
  secretHash: string;
}

export interface UserRecord extends User {
  passwordHash: string;
  mustChangePassword: boolean;
  /** A disabled user cannot log in (absent = false). */
  disabled?: boolean;
}

/**
 * Everything the hot path needs, loaded at once and cached by every instance.
 * Open tenants only: a closed tenant's hubs, tags and profiles are left out,
 * so its hubs fail authentication and its tags are unknown to the edge.
 */
export interface MetadataSnapshot {
  /** Increases on every change; a cache reloads when it moved. */
  version: number;
  tenants: Tenant[];
  hubs: HubRecord[];
  tags: Tag[];
  profiles: Profile[];
}

/** What an alert listing may be narrowed to; times are epoch ms. */
export interface AlertFilter {
  /** One transition by its idempotency key. */
  key?: string;
  tag?: string;
  rule?: string;
  transition?: AlertEvent['transition'];
  /** The episode: alerts whose condition began at this measured time (with `tag` and `rule`, one episode's timeline). */
  startedAt?: EpochMs;
  /** Emitted at or after. */
  since?: EpochMs;
  /** Emitted before. */
  until?: EpochMs;
}

/**
 * The WHERE clause of an alert listing and its values, after the tenant
 * (value 1); `placeholder(n)` spells the n-th parameter in the dialect. Column
 * names are constants; every value is bound.
 */
export function alertFilterSql(
  filter: AlertFilter | undefined,
  placeholder: (n: number) => string,
): { where: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    values.push(value);
    clauses.push(`${clause} ${placeholder(values.length + 1)}`);
  };
  if (filter?.key !== undefined) add('key =', filter.key);
  if (filter?.tag !== undefined) add('tag =', filter.tag);
  if (filter?.rule !== undefined) add('rule =', filter.rule);
  if (filter?.transition !== undefined) add('transition =', filter.transition);
  if (filter?.startedAt !== undefined) add('started_at =', filter.startedAt);
  if (filter?.since !== undefined) add('emitted_at >=', filter.since);
  if (filter?.until !== undefined) add('emitted_at <', filter.until);
  return { where: clauses.map((c) => ` AND ${c}`).join(''), values };
}

export interface StoredDeadLetter extends Omit<DeadLetter, 'payloadSha256'> {
  id: number;
  /** Null for a letter kept before payloads were hashed (its prefix was cut by migration 9, its size computed). */
  payloadSha256: string | null;
}

/**
 * Tenants, users, hubs, tags, profiles, plus the dead-letter store and the
 * alert log: SQLite in the embedded default, PostgreSQL in production, one
 * schema with migrations. Proven by test/contracts/metadata-store.contract.ts;
 * the operator API's part ({@link OperatorStore}) by operator-store.contract.ts,
 * trips ({@link TripStore}) by trip-store.contract.ts, tenants and platform
 * admins ({@link TenantStore}, {@link PlatformAdminStore}) by tenant-store.contract.ts.
 */
export interface MetadataStorePort extends OperatorStore, TripStore, TenantStore, PlatformAdminStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Opens the store and applies pending migrations. */
  start(): Promise<void>;
  isHealthy(): boolean;
  close(): Promise<void>;

  /**
   * Runs `fn` while holding a named lock shared by every process on this store
   * (PostgreSQL: an advisory lock; SQLite: one process owns the file, so none).
   * Used so that several apps starting at once on an empty store seed it once.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;

  version(): Promise<number>;
  snapshot(): Promise<MetadataSnapshot>;
  isEmpty(): Promise<boolean>;

  createTenant(tenant: Tenant): Promise<void>;
  createUser(user: UserRecord): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  createHub(hub: HubRecord): Promise<void>;
  createTag(tag: Tag): Promise<void>;
  /** Inserts or updates; validates first (a bad profile is refused when saved) and bumps `version` on update. */
  saveProfile(profile: Omit<Profile, 'version'>): Promise<Profile>;

  /** Keeps refused telemetry: reason, payload prefix, size and hash (bounded by the caller, see boundDeadLetter). */
  recordDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  /** Newest first, at most `limit`. */
  listDeadLetters(limit: number): Promise<StoredDeadLetter[]>;
  /** Deletes the dead letters received before `before` (epoch ms); returns how many. */
  purgeDeadLetters(before: EpochMs): Promise<number>;

  /** Keeps alert events, idempotent on `key`; returns only those not seen before. */
  recordAlerts(events: readonly AlertEvent[]): Promise<AlertEvent[]>;
  /** Newest first (emitted time), at most `limit`, narrowed by `filter` (every field optional, all must hold). */
  listAlerts(tenantId: string, limit: number, filter?: AlertFilter): Promise<AlertEvent[]>;

  setHubStatus(imei: string, status: HubStatus, at: EpochMs): Promise<void>;
  hubStatuses(tenantId: string): Promise<Array<{ imei: string; status: HubStatus; at: EpochMs }>>;
}
