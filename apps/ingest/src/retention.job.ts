import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ColdchainConfig } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { applyRetention } from '@coldchain/ingestion';
import type { MetadataStorePort } from '@coldchain/metadata-store';
import { CLOCK, CONFIG, METADATA_STORE, TELEMETRY_STORE } from '@coldchain/runtime';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';

/** How often retention runs, ms: hourly is plenty for day-grained limits. */
const RETENTION_INTERVAL_MS = 3_600_000;

/**
 * Runs the retention policy (POSITIONS_RETENTION_DAYS, READINGS_RETENTION_DAYS,
 * and tenants' shorter positions retention) once at start and then hourly. On InfluxDB the
 * platform-wide limits are its retention policies' job and only tenants' shorter positions
 * retention is deleted here (InfluxQL DELETE); on the embedded store everything is.
 * A failed pass is logged and retried at the next hour; it never stops ingest.
 */
@Injectable()
export class RetentionJob implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStorePort,
    @Inject(METADATA_STORE) private readonly metadata: MetadataStorePort,
    @Inject(CONFIG) private readonly config: ColdchainConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    try {
      const gone = await applyRetention(
        this.store,
        {
          positionsDays: this.config.POSITIONS_RETENTION_DAYS,
          readingsDays: this.config.READINGS_RETENTION_DAYS,
        },
        this.clock,
        await this.metadata.tenantsWithPositionsRetention(),
      );
      if (gone.readings + gone.positions > 0)
        this.log.log(`retention: deleted ${gone.readings} readings and ${gone.positions} positions`);
    } catch (err) {
      this.log.warn(`retention pass failed, retrying in an hour: ${String(err)}`);
    }
  }
}
