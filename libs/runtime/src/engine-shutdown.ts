import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { BUS, type BusPort } from '@coldchain/bus';
import {
  METADATA_CACHE,
  METADATA_DATABASE,
  type MetadataCache,
  type MetadataDatabase,
} from '@coldchain/metadata-store';
import { TELEMETRY_STORE, type TelemetryStorePort } from '@coldchain/telemetry-store';

/**
 * Closes the engines the app opened, after every app has stopped its edges:
 * Nest runs `onApplicationShutdown` last, once the MQTT listeners
 * (onModuleDestroy) and the HTTP server are closed. The bus drains first
 * (consumers still write), then the stores close. An engine the app's
 * composition did not import is absent and skipped.
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

  /** The engines this process opened, by the name /health gives them. */
  opened(): string[] {
    return [
      ...(this.bus ? ['bus'] : []),
      ...(this.telemetry ? ['telemetry-store'] : []),
      ...(this.metadata ? ['metadata-store'] : []),
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus?.close();
    this.cache?.stop();
    await this.telemetry?.close();
    await this.metadata?.close();
    this.logger.log('engines closed');
  }
}
