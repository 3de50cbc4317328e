import Database from 'better-sqlite3';
import { preparePrivateFile } from '@coldchain/config';
import type { EpochMs, Profile, Tenant } from '@coldchain/domain';
import { EngineUnavailableError } from '@coldchain/errors';
import { MIGRATIONS, migrationSql, type MigrationConnection } from '../migrations.js';
import { OPEN_TENANT } from '../repositories/tenants/tenant-rows.js';
import { toProfile, type ProfileRow } from '../repositories/profiles/profile-rows.js';
import type { MetadataDatabase, MetadataSnapshot } from './metadata-database.js';

/** A migration's `after` step on the SQLite connection (synchronous underneath). */
const sqliteMigrationConnection = (db: Database.Database): MigrationConnection => ({
  dialect: 'sqlite',
  query: async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
    const statement = db.prepare(sql);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  },
  exec: async (sql: string): Promise<void> => {
    db.exec(sql);
  },
});

/**
 * The embedded default's metadata database: one SQLite file under DATA_DIR,
 * one connection per process that every SQLite repository of the process
 * uses. better-sqlite3 is synchronous, so each repository method runs to
 * completion without interleaving; multi-statement edits still run in a
 * transaction.
 */
export class SqliteDatabase implements MetadataDatabase {
  readonly kind = 'sqlite' as const;
  private db?: Database.Database;

  constructor(
    private readonly file: string,
    /** Clock for created_at / updated_at / applied_at, epoch ms. */
    readonly now: () => EpochMs = Date.now,
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
      // BEGIN/COMMIT by hand rather than db.transaction(): a migration's `after` step is async.
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(migrationSql(m, 'sqlite'));
        await m.after?.(sqliteMigrationConnection(db));
        db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
          m.id,
          m.name,
          this.now(),
        );
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        db.close();
        throw err;
      }
    }
    this.db = db;
  }

  /** The open connection; EngineUnavailableError before start() or after close(). */
  get sql(): Database.Database {
    if (!this.db?.open) throw new EngineUnavailableError('sqlite metadata store', 'not open');
    return this.db;
  }

  /** Moves the metadata version: call inside the transaction of the write it follows. */
  bump(): void {
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
        (r): Profile => toProfile(r),
      ),
    }))();
  }
}
