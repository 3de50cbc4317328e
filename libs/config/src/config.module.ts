import { Module, type DynamicModule } from '@nestjs/common';
import { systemClock, type Clock } from '@coldchain/domain';
import { CLOCK, CONFIG } from './config.tokens.js';
import type { ColdchainConfig } from './env.schema.js';

/** The validated configuration and the clock, global: every module injects them by token. */
@Module({})
export class ConfigModule {
  static forRoot(config: ColdchainConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [CONFIG, CLOCK],
    };
  }
}
