import type { DynamicModule, Type } from '@nestjs/common';
import { BusModule } from '@coldchain/bus';
import { ConfigModule, type ColdchainConfig } from '@coldchain/config';
import { systemClock, type Clock } from '@coldchain/domain';
import { GatewayModule } from '@coldchain/edge';
import { MetadataStoreModule } from '@coldchain/metadata-store';
import { ObservabilityModule } from '@coldchain/observability';

/**
 * The gateway process: hubs in over MQTT, records out on the bus. It opens
 * the bus and the metadata store (hub credentials and tag assignments, read
 * through the snapshot cache), never the telemetry store.
 */
export function gatewayModules(
  config: ColdchainConfig,
  clock: Clock = systemClock,
): Array<Type | DynamicModule> {
  return [
    ConfigModule.forRoot(config, clock),
    ObservabilityModule,
    BusModule.forRoot(config),
    MetadataStoreModule.forRoot(config),
    GatewayModule.forConfig(config),
  ];
}
