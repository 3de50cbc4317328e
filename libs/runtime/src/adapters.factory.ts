import { join } from 'node:path';
import {
  InProcessBus,
  KafkaBus,
  SqliteCompactedTableStore,
  kafkaSecurityFromEnv,
  type BusPort,
} from '@coldchain/bus';
import { requiredSetting, type ColdchainConfig } from '@coldchain/config';
import {
  PostgresMetadataStore,
  SqliteMetadataStore,
  type MetadataStorePort,
} from '@coldchain/metadata-store';
import {
  InfluxTelemetryStore,
  SqliteTelemetryStore,
  influxCaFromEnv,
  type TelemetryStorePort,
} from '@coldchain/telemetry-store';

/** Logger shape the adapters accept (Nest's Logger fits). */
export interface AdapterLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * The one place that maps configuration to engine adapters. Adding an engine
 * means adding a case here and a contract-suite run for its adapter.
 */
export function createBus(config: ColdchainConfig, log: AdapterLog): BusPort {
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
      });
  }
}

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
