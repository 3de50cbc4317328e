import { join } from 'node:path';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { HEALTH, METRICS, type ColdchainMetrics, type HealthRegistry } from '@coldchain/observability';
import type { ColdchainConfig } from '@coldchain/config';
import type { BusPort } from './bus.port.js';
import { BUS } from './bus.tokens.js';
import { SqliteCompactedTableStore } from './compacted-table.store.js';
import { InProcessBus } from './in-process-bus.adapter.js';
import { KafkaBus } from './kafka/index.js';
import { kafkaSecurityFromEnv } from './kafka-security.js';

/** Logger shape the adapters accept (Nest's Logger fits). */
export interface AdapterLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Maps BUS to its adapter. Adding a transport means a case here and a run of test/contracts/bus.contract.ts. */
export function createBus(
  config: ColdchainConfig,
  log: AdapterLog,
  metrics?: Pick<ColdchainMetrics, 'busConsumerCrashes'>,
): BusPort {
  switch (config.BUS) {
    case 'inprocess':
      // Compacted topics (the alarm-state changelog) kept in DATA_DIR/bus-tables.db: they survive a restart.
      return new InProcessBus(log, {
        tables: new SqliteCompactedTableStore(join(config.DATA_DIR, 'bus-tables.db')),
      });
    case 'kafka':
      return new KafkaBus({
        brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
        clientId: config.KAFKA_CLIENT_ID,
        partitions: config.KAFKA_PARTITIONS,
        namespace: config.KAFKA_NAMESPACE,
        security: kafkaSecurityFromEnv(config),
        log,
        onConsumerCrash: (crash) =>
          metrics?.busConsumerCrashes.inc({ group: crash.group, restart_by: crash.restartBy }),
      });
  }
}

/**
 * The bus the configuration names, started and registered with /health;
 * global, injected as {@link BUS}. Closed by the runtime's engine shutdown,
 * first of the engines (consumers still write while it drains).
 */
@Module({})
export class BusModule {
  static forRoot(config: ColdchainConfig): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        {
          provide: BUS,
          inject: [HEALTH, METRICS],
          useFactory: async (health: HealthRegistry, metrics: ColdchainMetrics): Promise<BusPort> => {
            const bus = createBus(config, new Logger('Bus'), metrics);
            await bus.start();
            health.register('bus', () => bus.health().state);
            return bus;
          },
        },
      ],
      exports: [BUS],
    };
  }
}
