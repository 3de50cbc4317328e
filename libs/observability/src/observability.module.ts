import { Global, Module } from '@nestjs/common';
import { ColdchainMetrics } from './coldchain-metrics.js';
import { HealthRegistry } from './health.js';
import { HEALTH, METRICS } from './observability.tokens.js';

/** One metrics registry and one health registry per process, global: engines register their health here. */
@Global()
@Module({
  providers: [
    { provide: METRICS, useFactory: () => new ColdchainMetrics() },
    { provide: HEALTH, useFactory: () => new HealthRegistry() },
  ],
  exports: [METRICS, HEALTH],
})
export class ObservabilityModule {}
