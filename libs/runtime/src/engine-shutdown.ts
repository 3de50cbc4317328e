import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { BUS, type BusPort } from '@coldchain/bus';
import {
  METADATA_CACHE,
  METADATA_DATABASE,
  type MetadataCache,
  type MetadataDatabase,
} from '@coldchain/metadata-store';
import { TELEMETRY_STORE, type TelemetryStorePort } from '@coldchain/telemetry-store';
import { settlesWithin, shutdownBudget, type ShutdownBudget } from './shutdown-budget.js';

/**
 * Closes the engines the app opened, after every app has stopped its edges:
 * Nest runs `onApplicationShutdown` last, once the MQTT listeners
 * (onModuleDestroy) and the HTTP server are closed. The bus drains first
 * (consumers still write), then the stores close. An engine the app's
 * composition did not import is absent and skipped.
 *
 * Within the process's shutdown budget (set at the signal, see
 * ShutdownBudget): the bus drains until the deadline minus the stores' share
 * and, past it, leaves what it holds uncommitted (redelivered at restart);
 * each store's close is given what is left minus a margin. A step given up is
 * recorded on the budget: the process then exits 75 and says so.
 */
@Injectable()
export class EngineShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Engines');
  constructor(
    @Optional() @Inject(BUS) private readonly bus?: BusPort,
    @Optional() @Inject(METADATA_CACHE) private readonly cache?: MetadataCache,
    @Optional() @Inject(TELEMETRY_STORE) private readonly telemetry?: TelemetryStorePort,
    @Optional() @Inject(METADATA_DATABASE) private readonly metadata?: MetadataDatabase,
  ) {}

  /** The budget the steps keep to (the process's; replaced in tests). */
  budget: ShutdownBudget = shutdownBudget;

  /** The engines this process opened, by the name /health gives them. */
  opened(): string[] {
    return [
      ...(this.bus ? ['bus'] : []),
      ...(this.telemetry ? ['telemetry-store'] : []),
      ...(this.metadata ? ['metadata-store'] : []),
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    const { budget } = this;
    if (this.bus) {
      const budgetMs = budget.busMs();
      const outcome = await this.bus.close(budgetMs === undefined ? {} : { budgetMs });
      if (!outcome.drained) budget.cut(`bus: ${outcome.detail ?? 'not drained'}`);
    }
    this.cache?.stop();
    for (const [name, engine] of [
      ['telemetry-store', this.telemetry],
      ['metadata-store', this.metadata],
    ] as const) {
      if (!engine) continue;
      const ms = budget.stepMs();
      if (!(await settlesWithin(engine.close(), ms))) budget.cut(`${name}: close not done within ${ms} ms`);
    }
    this.logger.log(budget.cutShort.length === 0 ? 'engines closed' : 'engines closed, some cut short');
  }
}
