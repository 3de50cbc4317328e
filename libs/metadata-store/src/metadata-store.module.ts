import { join } from 'node:path';
import { Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { requiredSetting, type ColdchainConfig } from '@coldchain/config';
import { HEALTH, type HealthRegistry } from '@coldchain/observability';
import { PostgresDatabase } from './database/postgres-database.js';
import { SqliteDatabase } from './database/sqlite-database.js';
import { MetadataCache } from './metadata-cache.js';
import {
  ALERT_LOG_REPOSITORY,
  AUDIT_REPOSITORY,
  DEAD_LETTER_REPOSITORY,
  HUB_REPOSITORY,
  HUB_STATUS_REPOSITORY,
  METADATA_CACHE,
  METADATA_DATABASE,
  PROFILE_REPOSITORY,
  SESSION_REPOSITORY,
  TAG_REPOSITORY,
  TENANT_REPOSITORY,
  TRIP_REPOSITORY,
  USER_REPOSITORY,
} from './metadata-store.tokens.js';
import { metadataRepositories, type MetadataRepositories } from './repositories/metadata-repositories.js';

/**
 * The database handle the METADATA_STORE setting names. Adding an engine means
 * a case here, its repositories, and a run of the contract suites.
 */
export function createMetadataDatabase(config: ColdchainConfig): SqliteDatabase | PostgresDatabase {
  switch (config.METADATA_STORE) {
    case 'sqlite':
      return new SqliteDatabase(join(config.DATA_DIR, 'metadata.db'));
    case 'postgres':
      return new PostgresDatabase(requiredSetting(config, 'DATABASE_URL', 'METADATA_STORE=postgres'), {
        schema: config.DATABASE_SCHEMA,
      });
  }
}

export interface MetadataStoreModuleOptions {
  /**
   * Runs once the database is open and migrated, before the cache loads its
   * first snapshot (the demo seed): the handle, for its lock, and the repositories.
   */
  afterStart?: (
    database: SqliteDatabase | PostgresDatabase,
    repositories: MetadataRepositories,
  ) => Promise<void>;
}

/** Private: the repositories built once on the started handle, each then exported under its own token. */
const REPOSITORIES = Symbol('coldchain.metadata-repositories');

const REPOSITORY_TOKENS: ReadonlyArray<[symbol, keyof MetadataRepositories]> = [
  [TENANT_REPOSITORY, 'tenants'],
  [USER_REPOSITORY, 'users'],
  [SESSION_REPOSITORY, 'sessions'],
  [HUB_REPOSITORY, 'hubs'],
  [TAG_REPOSITORY, 'tags'],
  [PROFILE_REPOSITORY, 'profiles'],
  [TRIP_REPOSITORY, 'trips'],
  [ALERT_LOG_REPOSITORY, 'alerts'],
  [DEAD_LETTER_REPOSITORY, 'deadLetters'],
  [HUB_STATUS_REPOSITORY, 'hubStatus'],
  [AUDIT_REPOSITORY, 'audit'],
];

/**
 * The metadata database the configuration names (one SQLite connection or one
 * pg pool for the process), migrated on start and registered with /health;
 * one provider per repository, all on that handle; and the hot path's
 * snapshot cache. Global: a caller injects {@link METADATA_DATABASE}, the
 * repository tokens it uses, or {@link METADATA_CACHE}.
 */
@Module({})
export class MetadataStoreModule {
  static forRoot(config: ColdchainConfig, options: MetadataStoreModuleOptions = {}): DynamicModule {
    const repositoryProviders: Provider[] = REPOSITORY_TOKENS.map(([token, name]) => ({
      provide: token,
      inject: [REPOSITORIES],
      useFactory: (repositories: MetadataRepositories) => repositories[name],
    }));
    return {
      module: MetadataStoreModule,
      global: true,
      providers: [
        {
          provide: METADATA_DATABASE,
          inject: [HEALTH],
          useFactory: async (health: HealthRegistry): Promise<SqliteDatabase | PostgresDatabase> => {
            const database = createMetadataDatabase(config);
            await database.start();
            await options.afterStart?.(database, metadataRepositories(database));
            health.register('metadata-store', () => (database.isHealthy() ? 'up' : 'down'));
            return database;
          },
        },
        {
          provide: REPOSITORIES,
          inject: [METADATA_DATABASE],
          useFactory: (database: SqliteDatabase | PostgresDatabase) => metadataRepositories(database),
        },
        ...repositoryProviders,
        {
          provide: METADATA_CACHE,
          inject: [METADATA_DATABASE],
          useFactory: async (database: SqliteDatabase | PostgresDatabase): Promise<MetadataCache> => {
            const cache = new MetadataCache(
              database,
              config.METADATA_REFRESH_MS,
              new Logger('MetadataCache'),
            );
            await cache.start();
            return cache;
          },
        },
      ],
      exports: [METADATA_DATABASE, ...REPOSITORY_TOKENS.map(([token]) => token), METADATA_CACHE],
    };
  }
}
