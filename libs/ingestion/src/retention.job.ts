import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { applyRetention, purgeDeadLetters } from './retention.js';
import {
  type TenantRepository,
  TENANT_REPOSITORY,
  type DeadLetterRepository,
  DEAD_LETTER_REPOSITORY,
} from '@coldchain/metadata-store';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';

/** How often retention runs, ms: hourly is plenty for day-grained limits. */
const RETENTION_INTERVAL_MS = 3_600_000;

/**
 * Runs the retention policy (POSITIONS_RETENTION_DAYS, READINGS_RETENTION_DAYS,
 * and tenants' shorter positions retention) once at start and then hourly. On InfluxDB the
 * platform-wide limits are its retention policies' job and only tenants' shorter positions
 * retention is deleted here (InfluxQL DELETE); on the embedded store everything is.
 * Dead letters older than DEAD_LETTER_RETENTION_DAYS are deleted from the metadata store
 * in the same pass, whatever the engines.
 * A failed part is logged and retried at the next hour; it never stops ingest nor the other part.
 */
@Injectable()
export class RetentionJob implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStorePort,
    @Inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @Inject(DEAD_LETTER_REPOSITORY) private readonly deadLetterRepository: DeadLetterRepository,
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

  /** One pass; resolves when it is over (a failure is logged, never thrown). */
  async run(): Promise<void> {
    await Promise.all([this.telemetry(), this.deadLetters()]);
  }

  private async telemetry(): Promise<void> {
    try {
      const gone = await applyRetention(
        this.store,
        {
          positionsDays: this.config.POSITIONS_RETENTION_DAYS,
          readingsDays: this.config.READINGS_RETENTION_DAYS,
        },
        this.clock,
        await this.tenants.tenantsWithPositionsRetention(),
      );
      if (gone.readings + gone.positions > 0)
        this.log.log(`retention: deleted ${gone.readings} readings and ${gone.positions} positions`);
    } catch (err) {
      this.log.warn(`retention pass failed, retrying in an hour: ${String(err)}`);
    }
  }

  private async deadLetters(): Promise<void> {
    try {
      const gone = await purgeDeadLetters(
        this.deadLetterRepository,
        this.config.DEAD_LETTER_RETENTION_DAYS,
        this.clock,
      );
      if (gone > 0) this.log.log(`retention: deleted ${gone} dead letters`);
    } catch (err) {
      this.log.warn(`dead-letter retention pass failed, retrying in an hour: ${String(err)}`);
    }
  }
}
