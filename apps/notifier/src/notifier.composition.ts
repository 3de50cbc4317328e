import type { DynamicModule, Type } from '@nestjs/common';
import { BusModule } from '@coldchain/bus';
import { ConfigModule, type ColdchainConfig } from '@coldchain/config';
import { systemClock, type Clock } from '@coldchain/domain';
import { MetadataStoreModule } from '@coldchain/metadata-store';
import { NotifierModule } from '@coldchain/notifications';
import { ObservabilityModule } from '@coldchain/observability';

/**
 * The notifier process: alert events in from the bus, notifications out,
 * Twilio's webhooks in over HTTP. It opens the bus and the metadata store
 * (the alert log, the delivery log and acknowledgement audit beside it),
 * never the telemetry store.
 */
export function notifierModules(
  config: ColdchainConfig,
  clock: Clock = systemClock,
): Array<Type | DynamicModule> {
  return [
    ConfigModule.forRoot(config, clock),
    ObservabilityModule,
    BusModule.forRoot(config),
    MetadataStoreModule.forRoot(config),
    NotifierModule.forRoot(),
  ];
}
