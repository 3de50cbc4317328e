import type { DynamicModule, Type } from '@nestjs/common';
import { BusModule } from '@coldchain/bus';
import { ConfigModule, type ColdchainConfig } from '@coldchain/config';
import { systemClock, type Clock } from '@coldchain/domain';
import { IngestModule } from '@coldchain/ingestion';
import { MetadataStoreModule } from '@coldchain/metadata-store';
import { ObservabilityModule } from '@coldchain/observability';
import { TelemetryStoreModule } from '@coldchain/telemetry-store';

/**
 * The ingest process: records in from the bus, readings into the telemetry
 * store, alarm state and alert events out. It opens every engine: the bus,
 * the telemetry store, and the metadata store (profiles, trips, hub status,
 * dead letters, retention).
 */
export function ingestModules(
  config: ColdchainConfig,
  clock: Clock = systemClock,
): Array<Type | DynamicModule> {
  return [
    ConfigModule.forRoot(config, clock),
    ObservabilityModule,
    BusModule.forRoot(config),
    TelemetryStoreModule.forRoot(config),
    MetadataStoreModule.forRoot(config),
    IngestModule,
  ];
}
