import type { DynamicModule, Type } from '@nestjs/common';
import { BackupModule } from '@coldchain/backup';
import { BusModule } from '@coldchain/bus';
import { ConfigModule, type ColdchainConfig } from '@coldchain/config';
import { systemClock, type Clock } from '@coldchain/domain';
import { GatewayModule } from '@coldchain/edge';
import { ApiModule } from '@coldchain/http-api';
import { IngestModule } from '@coldchain/ingestion';
import { MetadataStoreModule } from '@coldchain/metadata-store';
import { NotifierModule } from '@coldchain/notifications';
import { ObservabilityModule } from '@coldchain/observability';
import { TelemetryStoreModule } from '@coldchain/telemetry-store';
import { DemoFleetModule } from './demo-fleet.service.js';
import { demoRouting, demoSeeding } from './demo-seed.js';

/**
 * The embedded platform: the same modules as the separate apps (ingest,
 * notifier, gateway, API) in one process over one set of engines, plus the
 * demo, which only this composition imports: the demo tenant seeded into an
 * empty store (SEED_DEMO), its on-call routing when no routing file is
 * given, and the simulated fleet. It also runs the backup plan (BACKUP_SCHEDULE).
 */
export function platformModules(
  config: ColdchainConfig,
  clock: Clock = systemClock,
): Array<Type | DynamicModule> {
  return [
    ConfigModule.forRoot(config, clock),
    ObservabilityModule,
    BusModule.forRoot(config),
    TelemetryStoreModule.forRoot(config),
    MetadataStoreModule.forRoot(config, demoSeeding(config)),
    IngestModule,
    NotifierModule.forRoot({ defaultRouting: demoRouting }),
    GatewayModule.forConfig(config),
    ApiModule,
    DemoFleetModule,
    BackupModule,
  ];
}
