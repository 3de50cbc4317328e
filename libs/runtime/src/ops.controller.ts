import { Controller, Get, Header, Inject, Module, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HEALTH, METRICS, type ColdchainMetrics, type HealthRegistry } from '@coldchain/observability';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): void;
}

/**
 * Liveness/readiness and Prometheus metrics of one process; unauthenticated,
 * as scrapers and load balancers expect. Every app of the stack serves them.
 */
@ApiTags('ops')
@Controller()
export class OpsController {
  constructor(
    @Inject(HEALTH) private readonly health: HealthRegistry,
    @Inject(METRICS) private readonly metrics: ColdchainMetrics,
  ) {}

  /** 200 with each component's state once every component is up; 503 otherwise (starting, stopping, an engine down). */
  @Get('health')
  @ApiOperation({ summary: 'Liveness and readiness: each component up or down' })
  @ApiResponse({ status: 200, description: 'every component is up' })
  @ApiResponse({ status: 503, description: 'starting, stopping, or an engine is down' })
  healthCheck(@Res() reply: Reply): void {
    const report = this.health.report();
    reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics of this process (text exposition format)' })
  @ApiResponse({ status: 200, description: 'text/plain; version=0.0.4' })
  @Header('Cache-Control', 'no-store')
  async exposition(@Res() reply: Reply): Promise<void> {
    reply.header('Content-Type', this.metrics.contentType).send(await this.metrics.exposition());
  }
}

/** Mounts `/health` and `/metrics`. */
@Module({ controllers: [OpsController] })
export class OpsModule {}
