import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColdchainConfig } from '@coldchain/config';
import { PostgresDeliveryLog, SqliteDeliveryLog, type MetadataStorePort } from '@coldchain/metadata-store';
import type { AckAuditLog, DeliveryLog } from '@coldchain/notifications';
import type { HealthRegistry } from '@coldchain/observability';
import { CONFIG, HEALTH, METADATA_STORE } from '@coldchain/runtime';

/** The durable delivery log, which is also the acknowledgement audit trail (one adapter, two ports). */
export const NOTIFICATION_LOG = Symbol('coldchain.notification-log');
/** The HMAC key of ack links and SMS codes (string). */
export const ACK_SECRET = Symbol('coldchain.ack-secret');

export type NotificationLog = DeliveryLog & AckAuditLog & { close(): Promise<void>; isHealthy(): boolean };

/** File in DATA_DIR holding the generated ACK_LINK_SECRET when none is configured. */
export const ACK_SECRET_FILE = 'ack-link-secret';

/**
 * ACK_LINK_SECRET, or one generated once into DATA_DIR (mode 0600) so that
 * links and SMS codes stay valid across restarts of a single-process install.
 * Separate api and notifier processes must share it: set it explicitly there.
 */
export function resolveAckSecret(config: Pick<ColdchainConfig, 'ACK_LINK_SECRET' | 'DATA_DIR'>): string {
  if (config.ACK_LINK_SECRET) return config.ACK_LINK_SECRET;
  const file = join(config.DATA_DIR, ACK_SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process on the same DATA_DIR (api and notifier starting together) wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
}

@Injectable()
class NotificationLogShutdown implements OnApplicationShutdown {
  constructor(@Inject(NOTIFICATION_LOG) private readonly log: NotificationLog) {}
  async onApplicationShutdown(): Promise<void> {
    await this.log.close();
  }
}

/**
 * The notification store every process that records deliveries or
 * acknowledgements shares (the notifier and the API): the SQLite or
 * PostgreSQL adapter beside the metadata store the config names, opened
 * after the metadata store has migrated it (migration 4).
 */
@Module({
  providers: [
    {
      provide: NOTIFICATION_LOG,
      inject: [CONFIG, METADATA_STORE, HEALTH],
      useFactory: (
        config: ColdchainConfig,
        _migrated: MetadataStorePort,
        health: HealthRegistry,
      ): NotificationLog => {
        const log =
          config.METADATA_STORE === 'postgres'
            ? new PostgresDeliveryLog(config.DATABASE_URL, { schema: config.DATABASE_SCHEMA })
            : new SqliteDeliveryLog(join(config.DATA_DIR, 'metadata.db'));
        health.register('notification-log', () => (log.isHealthy() ? 'up' : 'down'));
        new Logger('Notifications').log(`delivery log and ack audit trail on ${config.METADATA_STORE}`);
        return log;
      },
    },
    {
      provide: ACK_SECRET,
      inject: [CONFIG],
      useFactory: (config: ColdchainConfig): string => resolveAckSecret(config),
    },
    NotificationLogShutdown,
  ],
  exports: [NOTIFICATION_LOG, ACK_SECRET],
})
export class NotificationsStoreModule {}
