import { Module, type DynamicModule } from '@nestjs/common';
import type { ColdchainConfig } from '@coldchain/config';
import { CoreModule } from '@coldchain/runtime';
import { ApiModule } from '../../api/src/api.module.js';
import { GatewayModule } from '../../gateway/src/gateway.module.js';
import { IngestModule } from '../../ingest/src/ingest.module.js';
import { NotifierModule } from '../../notifier/src/notifier.module.js';
import { DemoFleetService } from './demo-fleet.service.js';

/**
 * The embedded default: every hop of the pipeline in one process, on the
 * in-process bus and the embedded stores. The same modules run as separate
 * processes in the production stack (apps/<hop>/src/main.ts).
 */
@Module({})
export class PlatformModule {
  static forRoot(config: ColdchainConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [CoreModule.forRoot(config), IngestModule, NotifierModule, GatewayModule, ApiModule],
      providers: [DemoFleetService],
    };
  }
}
