import { Controller, Get, Header, Inject, Module, Res } from '@nestjs/common';
import type { ColdchainMetrics, HealthRegistry } from '@coldchain/observability';
import { HEALTH, METRICS } from './tokens.js';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): void;
}

/**
 * Liveness/readiness and Prometheus metrics of one process; unauthenticated,
 * as scrapers and load balancers expect. Every app of the stack serves them.
 */
@Controller()
export class OpsController {
  constructor(
    @Inject(HEALTH) private readonly health: HealthRegistry,
    @Inject(METRICS) private readonly metrics: ColdchainMetrics,
  ) {}

  /** 200 with each component's state once every component is up; 503 otherwise (starting, stopping, an engine down). */
  @Get('health')
  healthCheck(@Res() reply: Reply): void {
    const report = this.health.report();
    reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async exposition(@Res() reply: Reply): Promise<void> {
    reply.header('Content-Type', this.metrics.contentType).send(await this.metrics.exposition());
  }
}

/** Mounts `/health` and `/metrics`. */
@Module({ controllers: [OpsController] })
export class OpsModule {}
