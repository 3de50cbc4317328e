import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { requiredSetting, type ColdchainConfig } from '@coldchain/config';
import { HEALTH, type HealthRegistry } from '@coldchain/observability';
import { InfluxTelemetryStore } from './influx-telemetry-store.adapter.js';
import { influxCaFromEnv } from './influx-tls.js';
import { SqliteTelemetryStore } from './sqlite-telemetry-store.adapter.js';
import type { TelemetryStorePort } from './telemetry-store.port.js';
import { TELEMETRY_STORE } from './telemetry-store.tokens.js';

/** Maps TELEMETRY_STORE to its adapter. Adding an engine means a case here and a run of test/contracts/telemetry-store.contract.ts. */
export function createTelemetryStore(config: ColdchainConfig): TelemetryStorePort {
  switch (config.TELEMETRY_STORE) {
    case 'sqlite':
      return new SqliteTelemetryStore(join(config.DATA_DIR, 'telemetry.db'));
    case 'influxdb':
      return new InfluxTelemetryStore({
        url: config.INFLUX_URL,
        ...influxCaFromEnv(config),
        token: requiredSetting(config, 'INFLUX_TOKEN', 'TELEMETRY_STORE=influxdb'),
        org: config.INFLUX_ORG,
        bucket: config.INFLUX_BUCKET,
        positionsBucket: config.INFLUX_POSITIONS_BUCKET,
      });
  }
}

/** The telemetry store the configuration names, started and registered with /health; global, injected as {@link TELEMETRY_STORE}. */
@Module({})
export class TelemetryStoreModule {
  static forRoot(config: ColdchainConfig): DynamicModule {
    return {
      module: TelemetryStoreModule,
      global: true,
      providers: [
        {
          provide: TELEMETRY_STORE,
          inject: [HEALTH],
          useFactory: async (health: HealthRegistry): Promise<TelemetryStorePort> => {
            const store = createTelemetryStore(config);
            await store.start();
            health.register('telemetry-store', () => (store.isHealthy() ? 'up' : 'down'));
            return store;
          },
        },
      ],
      exports: [TELEMETRY_STORE],
    };
  }
}
