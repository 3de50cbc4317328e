import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { CLOCK, CONFIG, type ColdchainConfig } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { HEALTH, METRICS, type ColdchainMetrics, type HealthRegistry } from '@coldchain/observability';
import { BACKUP_DEFAULTS } from './backup.defaults.js';
import { backupMode } from './backup-parts.js';
import { backupDir, takeBackup } from './backup.usecase.js';
import { DirectoryArchiveCatalog } from './plan/archive-catalog.js';
import { BackupScheduler, type BackupSchedulerStatus } from './plan/backup-scheduler.js';

/** Whether this process runs the plan, per BACKUP_SCHEDULE (embedded: only when every engine is embedded). */
export function schedulesBackups(
  config: Pick<ColdchainConfig, 'BACKUP_SCHEDULE' | 'METADATA_STORE' | 'TELEMETRY_STORE' | 'BUS'>,
): boolean {
  if (config.BACKUP_SCHEDULE === 'off') return false;
  return config.BACKUP_SCHEDULE === 'on' || backupMode(config) === 'embedded';
}

/**
 * The embedded platform's backup plan: a {@link BackupScheduler} ticked every
 * `BACKUP_DEFAULTS.tickMs` from a timer, its state published as metrics and
 * as the `backup` component of /health: `degraded` (the platform still
 * serves; /health stays 200) while the last attempt failed or a backup was
 * missed, `up` otherwise. A stop waits for a backup under way.
 */
@Injectable()
export class BackupSchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Backup');
  private readonly scheduler: BackupScheduler;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private ticking?: Promise<void>;
  private readonly lastSuccess: Gauge;
  private readonly overdue: Gauge;
  private readonly failing: Gauge;
  private readonly archives: Gauge;
  private readonly failures: Counter;

  constructor(
    @Inject(CONFIG) private readonly config: ColdchainConfig,
    @Inject(CLOCK) clock: Clock,
    @Inject(METRICS) metrics: ColdchainMetrics,
    @Inject(HEALTH) health: HealthRegistry,
  ) {
    const registers = [metrics.registry];
    this.lastSuccess = new Gauge({
      name: 'coldchain_backup_last_success_timestamp_seconds',
      help: 'When the last successful backup of this process started, Unix seconds (0: none yet).',
      registers,
    });
    this.overdue = new Gauge({
      name: 'coldchain_backup_overdue',
      help: '1 when no backup succeeded for the plan interval plus its grace (a backup was missed).',
      registers,
    });
    this.failing = new Gauge({
      name: 'coldchain_backup_failing',
      help: '1 while the last backup attempt failed.',
      registers,
    });
    this.archives = new Gauge({
      name: 'coldchain_backup_archives',
      help: 'Archives the plan keeps in BACKUP_DIR.',
      registers,
    });
    this.failures = new Counter({
      name: 'coldchain_backup_failures_total',
      help: 'Backup attempts that failed.',
      registers,
    });
    this.scheduler = new BackupScheduler(
      new DirectoryArchiveCatalog(backupDir(config)),
      async (startedAt) => {
        const result = await takeBackup(config, clock, startedAt);
        this.logger.log(`backup ${result.file} (${result.bytes} bytes)`);
      },
      clock,
      BACKUP_DEFAULTS,
      (status) => this.publish(status),
    );
    health.register('backup', () => {
      const s = this.scheduler.current();
      return s.failing || s.overdue ? 'degraded' : 'up';
    });
  }

  private publish(status: BackupSchedulerStatus): void {
    this.lastSuccess.set(status.lastSuccessAt === undefined ? 0 : status.lastSuccessAt / 1000);
    this.overdue.set(status.overdue ? 1 : 0);
    this.failing.set(status.failing ? 1 : 0);
    this.archives.set(status.archives);
    if (status.failing && status.lastError) {
      this.failures.inc();
      this.logger.error(`backup failed: ${status.lastError}`);
    }
  }

  /** One check of the plan (the timer's; also for tests). */
  tick(): Promise<void> {
    this.ticking ??= this.scheduler.tick().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  onApplicationBootstrap(): void {
    if (!schedulesBackups(this.config)) return;
    const loop = (delayMs: number): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        void this.tick().finally(() => loop(BACKUP_DEFAULTS.tickMs));
      }, delayMs);
      this.timer.unref();
    };
    loop(BACKUP_DEFAULTS.firstTickDelayMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
  }
}
