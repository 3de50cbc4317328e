import { join } from 'node:path';
import { InProcessBus, KafkaBus, type BusPort } from '@coldchain/bus';
import type { ColdchainConfig } from '@coldchain/config';
import { SqliteMetadataStore, type MetadataStorePort } from '@coldchain/metadata-store';
import { SqliteTelemetryStore, type TelemetryStorePort } from '@coldchain/telemetry-store';
import { InvalidInputError } from '@coldchain/errors';

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
      return new InProcessBus(log);
    case 'kafka':
      return new KafkaBus({
        brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
        clientId: config.KAFKA_CLIENT_ID,
        partitions: config.KAFKA_PARTITIONS,
        namespace: config.KAFKA_NAMESPACE,
        log,
      });
  }
}

export function createTelemetryStore(config: ColdchainConfig): TelemetryStorePort {
  switch (config.TELEMETRY_STORE) {
    case 'sqlite':
      return new SqliteTelemetryStore(join(config.DATA_DIR, 'telemetry.db'));
    case 'influxdb':
      throw new InvalidInputError(
        'TELEMETRY_STORE=influxdb: the InfluxDB adapter is not wired in this build yet',
      );
  }
}

export function createMetadataStore(config: ColdchainConfig): MetadataStorePort {
  switch (config.METADATA_STORE) {
    case 'sqlite':
      return new SqliteMetadataStore(join(config.DATA_DIR, 'metadata.db'));
    case 'postgres':
      throw new InvalidInputError(
        'METADATA_STORE=postgres: the PostgreSQL adapter is not wired in this build yet',
      );
  }
}
