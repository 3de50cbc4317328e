import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ALERTS_TOPIC, type BusPort, type ConsumedBatch } from '@coldchain/bus';
import type { ColdchainConfig } from '@coldchain/config';
import type { AlertEvent, Clock } from '@coldchain/domain';
import type { MetadataCache, MetadataStorePort } from '@coldchain/metadata-store';
import { DEMO_TENANT } from '@coldchain/metadata-store';
import { createChannels, renderAlert, type ChannelSet } from '@coldchain/notifications';
import type { ColdchainMetrics, ComponentState, HealthRegistry } from '@coldchain/observability';
import { BUS, CLOCK, CONFIG, HEALTH, METADATA_CACHE, METADATA_STORE, METRICS } from '@coldchain/runtime';

export const NOTIFIER_GROUP = 'coldchain-notifier';

/**
 * Consumes `coldchain.alerts.v1`: keeps each alert once (idempotent on its
 * key, so redeliveries are harmless) and sends new ones by email to the
 * tenant's on-call address; email goes to the outbox file until SMTP_HOST is set.
 *
 * Foundation scope: one on-call address (DEMO_ONCALL_EMAIL for the demo
 * tenant). Routing, escalation, SMS/voice and per-delivery idempotency come
 * with the notifications issue through the same consumer.
 */
@Injectable()
export class AlertsConsumer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Notifier');
  private state: ComponentState = 'starting';
  private readonly channels: ChannelSet;

  constructor(
    @Inject(CONFIG) private readonly config: ColdchainConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(METADATA_STORE) private readonly metadata: MetadataStorePort,
    @Inject(METADATA_CACHE) private readonly cache: MetadataCache,
    @Inject(METRICS) private readonly metrics: ColdchainMetrics,
    @Inject(CLOCK) clock: Clock,
    @Inject(HEALTH) health: HealthRegistry,
  ) {
    this.channels = createChannels({
      smtp: config.SMTP_HOST
        ? {
            host: config.SMTP_HOST,
            port: config.SMTP_PORT,
            secure: config.SMTP_SECURE,
            user: config.SMTP_USER,
            pass: config.SMTP_PASS,
            from: config.SMTP_FROM,
          }
        : undefined,
      outbox: { dataDir: config.DATA_DIR },
      clock,
      logger: { log: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m) },
    });
    health.register('notifier', () => this.state);
  }

  async onModuleInit(): Promise<void> {
    await this.bus.subscribe(ALERTS_TOPIC, { group: NOTIFIER_GROUP }, (b) => this.handleBatch(b));
    this.state = 'up';
  }

  async onApplicationShutdown(): Promise<void> {
    this.state = 'stopping';
    await this.channels.close();
  }

  async handleBatch(batch: ConsumedBatch<AlertEvent>): Promise<void> {
    const fresh = await this.metadata.recordAlerts(batch.values);
    for (const event of fresh) await this.notify(event);
  }

  private async notify(event: AlertEvent): Promise<void> {
    const address = event.tenantId === DEMO_TENANT.id ? this.config.DEMO_ONCALL_EMAIL : undefined;
    if (!address) return;
    const profile = this.cache.profile(event.profileId);
    const rendered = renderAlert(event, {
      tagName: event.tag,
      profileName: profile?.name ?? event.profileId,
      tenantName: event.tenantId,
      contact: { name: 'On-call', timeZone: 'UTC' },
    });
    const channel = this.channels.get('email')!;
    try {
      await channel.send({
        idempotencyKey: `${event.key}|oncall|email`,
        alert: event,
        recipient: { contactId: 'oncall', address },
        rendered,
      });
      this.metrics.notificationsSent.inc({ channel: channel.provider, outcome: 'accepted' });
    } catch (err) {
      // Foundation: a failed email is logged and counted, not retried (retries and escalation come with issue 6).
      this.metrics.notificationsSent.inc({ channel: channel.provider, outcome: 'failed' });
      this.logger.warn(`alert ${event.key}: email to ${address} failed: ${String(err)}`);
    }
  }
}
