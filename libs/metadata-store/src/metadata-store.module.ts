import { join } from 'node:path';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { requiredSetting, type ColdchainConfig } from '@coldchain/config';
import { HEALTH, type HealthRegistry } from '@coldchain/observability';
import { MetadataCache } from './metadata-cache.js';
import type { MetadataStorePort } from './metadata-store.port.js';
import { METADATA_CACHE, METADATA_STORE } from './metadata-store.tokens.js';
import { PostgresMetadataStore } from './postgres-metadata-store.adapter.js';
import { SqliteMetadataStore } from './sqlite-metadata-store.adapter.js';

/** Maps METADATA_STORE to its adapter. Adding an engine means a case here and a run of the store's contract suites. */
export function createMetadataStore(config: ColdchainConfig): MetadataStorePort {
  switch (config.METADATA_STORE) {
    case 'sqlite':
      return new SqliteMetadataStore(join(config.DATA_DIR, 'metadata.db'));
    case 'postgres':
      return new PostgresMetadataStore(requiredSetting(config, 'DATABASE_URL', 'METADATA_STORE=postgres'), {
        schema: config.DATABASE_SCHEMA,
      });
  }
}

export interface MetadataStoreModuleOptions {
  /** Runs once the store is open and migrated, before the cache loads its first snapshot (the demo seed). */
  afterStart?: (store: MetadataStorePort) => Promise<void>;
}

/**
 * The metadata store the configuration names, migrated on start and
 * registered with /health, and the hot path's snapshot cache over it; global,
 * injected as {@link METADATA_STORE} and {@link METADATA_CACHE}.
 */
@Module({})
export class MetadataStoreModule {
  static forRoot(config: ColdchainConfig, options: MetadataStoreModuleOptions = {}): DynamicModule {
    return {
      module: MetadataStoreModule,
      global: true,
      providers: [
        {
          provide: METADATA_STORE,
          inject: [HEALTH],
          useFactory: async (health: HealthRegistry): Promise<MetadataStorePort> => {
            const store = createMetadataStore(config);
            await store.start();
            await options.afterStart?.(store);
            health.register('metadata-store', () => (store.isHealthy() ? 'up' : 'down'));
            return store;
          },
        },
        {
          provide: METADATA_CACHE,
          inject: [METADATA_STORE],
          useFactory: async (store: MetadataStorePort): Promise<MetadataCache> => {
            const cache = new MetadataCache(store, config.METADATA_REFRESH_MS, new Logger('MetadataCache'));
            await cache.start();
            return cache;
          },
        },
      ],
      exports: [METADATA_STORE, METADATA_CACHE],
    };
  }
}
