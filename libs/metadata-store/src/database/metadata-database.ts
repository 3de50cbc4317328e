import type { Hub, Profile, Tag, Tenant } from '@coldchain/domain';

export interface HubRecord extends Hub {
  /** Hash of the hub's MQTT password (see credentials.ts); the secret itself is never stored. */
  secretHash: string;
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

/**
 * The metadata database of one process, shared by every repository of that
 * process (one SQLite connection, or one pg pool): opening and migrating it,
 * its health, the cross-process lock, and the hot path's read model
 * (`version` and `snapshot`, what MetadataCache reloads from). SQLite in the
 * embedded default, PostgreSQL in production, one schema with migrations.
 * Proven by test/contracts/metadata-database.contract.ts on both engines.
 */
export interface MetadataDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** Opens the database and applies pending migrations; the repositories work once it resolved. */
  start(): Promise<void>;
  isHealthy(): boolean;
  close(): Promise<void>;
  /**
   * Runs `fn` while holding a named lock shared by every process on this database
   * (PostgreSQL: an advisory lock; SQLite: one process owns the file, so none).
   * Used so that several apps starting at once on an empty store seed it once.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Increases on every change of hubs, tags, profiles, trips or tenants. */
  version(): Promise<number>;
  snapshot(): Promise<MetadataSnapshot>;
}
