import {
  Controller,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { BusEventPattern, type BusPort, type ConsumedBatch, BUS } from '@coldchain/bus';
import { ALERTS_TOPIC } from '@coldchain/contract';
import { CLOCK } from '@coldchain/config';
import type { AlertEvent, Clock } from '@coldchain/domain';
import { type AlertLogRepository, ALERT_LOG_REPOSITORY } from '@coldchain/metadata-store';
import { type ComponentState, type HealthRegistry, HEALTH } from '@coldchain/observability';
import type { ChannelSet } from '../channels/channel.factory.js';
import { DeliveryService } from '../delivery/delivery.service.js';
import { AlertNotifier } from './alert-notifier.js';
import { NotifierMetrics } from './notifier.metrics.js';
import { NOTIFICATION_CHANNELS, NOTIFIER_APP_DEFAULTS, TenantNames } from './notifier.providers.js';

export const NOTIFIER_GROUP = 'coldchain-notifier';

/**
 * The notifier: consumes `coldchain.alerts.v1`, records each alert
 * (idempotent on its key) and hands it to the AlertNotifier of
 * @coldchain/notifications (routing, escalation timers, storm grouping, rate
 * limits, durable delivery log). Sends do not hold up the bus, nor wait for
 * the alerts to be recorded: the batch is committed once the alerts are
 * recorded, and the boot-time resume re-plans every open alert, so a crash
 * between the two loses nothing.
 */
@Injectable()
export class AlertsConsumer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Notifier');
  private state: ComponentState = 'starting';

  constructor(
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(ALERT_LOG_REPOSITORY) private readonly alerts: AlertLogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HEALTH) health: HealthRegistry,
    @Inject(NotifierMetrics) private readonly latency: NotifierMetrics,
    @Inject(AlertNotifier) private readonly notifier: AlertNotifier,
    @Inject(DeliveryService) private readonly delivery: DeliveryService,
    @Inject(NOTIFICATION_CHANNELS) private readonly channels: ChannelSet,
    @Inject(TenantNames) private readonly tenants: TenantNames,
  ) {
    health.register('notifier', () => this.state);
  }

  async onModuleInit(): Promise<void> {
    // Alert events arrive through the bus transport (AlertEventsController), started once every
    // module is initialised: after this resume.
    await this.resume();
    this.state = 'up';
  }

  /** Stops in dependency order: no new deliveries, then the notifier's timers, then the providers' connections. */
  async onApplicationShutdown(): Promise<void> {
    this.state = 'stopping';
    this.delivery.stop();
    await this.notifier.stop();
    await this.channels.close();
  }

  /**
   * One batch of alert events. Routing of every event starts at once, alongside recording the
   * batch: routing reads the delivery and acknowledgement logs, never the recorded alert, so a
   * notification does not wait for the alerts table (one PostgreSQL round trip, more under load).
   * Resolves, and so lets the bus commit, only once the batch is recorded; when recording fails the
   * bus redelivers the batch and it is routed again, which the delivery log makes send nothing twice.
   * An alert without a tenant is an error of its producer: logged, neither routed nor recorded
   * (no tenant's contacts may hear of it, no tenant's log may hold it); the rest of the batch goes on.
   */
  async handleBatch(batch: ConsumedBatch<AlertEvent>): Promise<void> {
    const now = this.clock.now();
    const alerts: AlertEvent[] = [];
    for (const event of batch.values) {
      if (event.tenantId) alerts.push(event);
      else this.logger.error(`alert ${event.key}: no tenant; not routed, not recorded`);
    }
    for (const event of alerts) this.latency.alertAge.observe(Math.max(0, now - event.emittedAt) / 1000);
    // Every event, not only the fresh ones: routing is idempotent, and a redelivery after a
    // crash is exactly the case where a recorded alert may not have been routed yet.
    for (const event of alerts) this.route(event);
    if (alerts.length > 0) await this.alerts.recordAlerts(alerts);
  }

  private route(event: AlertEvent): void {
    this.notifier.handle(event).catch((err: unknown) => {
      this.logger.warn(`alert ${event.key}: routing failed (${String(err)}); re-planned at the next boot`);
    });
  }

  /** Re-plans alerts still open from the last run (their escalation timers lived in memory), and resends due retries. */
  private async resume(): Promise<void> {
    const since = this.clock.now() - NOTIFIER_APP_DEFAULTS.resumeWindowMs;
    let resumed = 0;
    for (const tenantId of await this.tenants.load()) {
      const recent = (await this.alerts.listAlerts(tenantId, NOTIFIER_APP_DEFAULTS.alertLookupLimit)).filter(
        (a) => a.emittedAt >= since,
      );
      resumed += await this.notifier.resumeOpen(recent);
    }
    const retries = await this.notifier.resumeDue();
    if (resumed + retries > 0)
      this.logger.log(`resumed ${resumed} open alerts and ${retries} due deliveries`);
  }
}

/**
 * The notifier's subscription: `coldchain.alerts.v1` in consumer group
 * {@link NOTIFIER_GROUP}, batch by batch, through the bus transport. A batch
 * is committed once {@link AlertsConsumer.handleBatch} resolved; when it
 * rejects, the bus delivers the batch again.
 */
@Controller()
export class AlertEventsController {
  constructor(private readonly consumer: AlertsConsumer) {}

  @BusEventPattern(ALERTS_TOPIC, { group: NOTIFIER_GROUP, batch: true })
  handle(batch: ConsumedBatch<AlertEvent>): Promise<void> {
    return this.consumer.handleBatch(batch);
  }
}
