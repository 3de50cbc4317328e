import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import {
  readOrCreateSecretFile,
  requiredSetting,
  SECRET_FILES,
  type ColdchainConfig,
  CONFIG,
} from '@coldchain/config';
import {
  PostgresDeliveryLog,
  SqliteDeliveryLog,
  type AckAuditLog,
  type DeliveryLog,
  type MetadataDatabase,
  METADATA_DATABASE,
} from '@coldchain/metadata-store';
import { type HealthRegistry, HEALTH } from '@coldchain/observability';

/**
 * The durable delivery log, which is also the acknowledgement audit trail
 * (one adapter, two ports).
 */
export const NOTIFICATION_LOG = Symbol('coldchain.notification-log');
/** The HMAC key of ack links and SMS codes (string). */
export const ACK_SECRET = Symbol('coldchain.ack-secret');

export type NotificationLog = DeliveryLog & AckAuditLog & { close(): Promise<void>; isHealthy(): boolean };

/** File in DATA_DIR holding the generated ACK_LINK_SECRET when none is configured. */
export const ACK_SECRET_FILE = SECRET_FILES.ACK_LINK_SECRET;

/**
 * ACK_LINK_SECRET, or one generated once into DATA_DIR (mode 0600) so that
 * links and SMS codes stay valid across restarts of a single-process install.
 * Separate api and notifier processes must share it: set it explicitly there.
 * Either is at least 32 bytes: with an empty or short key anyone could forge
 * the ack that stops a critical alarm's escalation, so the config refuses a
 * shorter ACK_LINK_SECRET and a shorter file stops the boot naming it.
 */
export function resolveAckSecret(config: Pick<ColdchainConfig, 'ACK_LINK_SECRET' | 'DATA_DIR'>): string {
  if (config.ACK_LINK_SECRET) return config.ACK_LINK_SECRET;
  return readOrCreateSecretFile(config.DATA_DIR, ACK_SECRET_FILE, 'ACK_LINK_SECRET').secret;
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
      inject: [CONFIG, METADATA_DATABASE, HEALTH],
      useFactory: (
        config: ColdchainConfig,
        _migrated: MetadataDatabase,
        health: HealthRegistry,
      ): NotificationLog => {
        const log =
          config.METADATA_STORE === 'postgres'
            ? new PostgresDeliveryLog(requiredSetting(config, 'DATABASE_URL', 'METADATA_STORE=postgres'), {
                schema: config.DATABASE_SCHEMA,
              })
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
