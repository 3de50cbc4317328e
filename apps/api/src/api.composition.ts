import type { DynamicModule, Type } from '@nestjs/common';
import { BusModule } from '@coldchain/bus';
import { ConfigModule, type ColdchainConfig } from '@coldchain/config';
import { systemClock, type Clock } from '@coldchain/domain';
import { ApiModule } from '@coldchain/http-api';
import { MetadataStoreModule } from '@coldchain/metadata-store';
import { ObservabilityModule } from '@coldchain/observability';
import { TelemetryStoreModule } from '@coldchain/telemetry-store';

/**
 * The API process: the operator API, the dashboard and acknowledgements over
 * HTTP. It opens every engine: the metadata store (tenants, users, fleet,
 * alerts, deliveries), the telemetry store (readings, reports) and the bus
 * (the live feed, hub commands).
 */
export function apiModules(config: ColdchainConfig, clock: Clock = systemClock): Array<Type | DynamicModule> {
  return [
    ConfigModule.forRoot(config, clock),
    ObservabilityModule,
    BusModule.forRoot(config),
    TelemetryStoreModule.forRoot(config),
    MetadataStoreModule.forRoot(config),
    ApiModule,
  ];
}
