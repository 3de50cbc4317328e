import { Module } from '@nestjs/common';
import { BackupSchedulerService } from './backup-scheduler.service.js';

/**
 * The backup plan in a platform process (apps/platform): BACKUP_SCHEDULE
 * decides whether it runs; its state is always on /metrics and /health.
 * Needs the config, clock and observability modules.
 */
@Module({ providers: [BackupSchedulerService], exports: [BackupSchedulerService] })
export class BackupModule {}
