import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Clock } from '@coldchain/domain';
import { IDENTITY_DEFAULTS } from '@coldchain/identity';
import { type SessionRepository, SESSION_REPOSITORY } from '@coldchain/metadata-store';
import { CLOCK } from '@coldchain/config';

/**
 * Keeps the session tables as large as the live sessions: every
 * `authRecordPurgeEveryMs` (1 h), deletes sessions that ended and failed-login
 * records older than `authRecordRetentionMs` (30 days). Several API processes
 * purging at once is harmless (idempotent deletes).
 */
@Injectable()
export class AuthRecordsPurge implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Api');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), IDENTITY_DEFAULTS.authRecordPurgeEveryMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One purge now; the rows deleted (0 when the store failed: logged, retried at the next interval). */
  async purge(): Promise<number> {
    try {
      return await this.sessions.purgeAuthRecords(this.clock.now() - IDENTITY_DEFAULTS.authRecordRetentionMs);
    } catch (err) {
      this.logger.warn(`auth records purge failed, retrying in an hour: ${String(err)}`);
      return 0;
    }
  }
}
