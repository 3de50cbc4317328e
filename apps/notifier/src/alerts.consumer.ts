import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ALERTS_TOPIC, type BusPort, type ConsumedBatch, BUS } from '@coldchain/bus';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { AlertEvent, Clock } from '@coldchain/domain';
import {
  DEMO_TENANT,
  type AlertLogRepository,
  type MetadataCache,
  type MetadataDatabase,
  ALERT_LOG_REPOSITORY,
  METADATA_CACHE,
  METADATA_DATABASE,
} from '@coldchain/metadata-store';
import {
  AlertNotifier,
  DeliveryService,
  DEFAULT_RATE_LIMITS,
  StormGrouper,
  TenantRateLimiter,
  channelsConfigFromEnv,
  createChannels,
  twilioCallbackUrls,
  type ChannelKind,
  type ChannelSet,
  type NotificationChannel,
  type NotificationsLogger,
  type RoutingDirectory,
} from '@coldchain/notifications';
import {
  type ColdchainMetrics,
  type ComponentState,
  type HealthRegistry,
  HEALTH,
  METRICS,
} from '@coldchain/observability';
import { ACK_SECRET, NOTIFICATION_LOG, type NotificationLog } from './notifications-store.module.js';
import { NotifierMetrics } from './notifier.metrics.js';
import { loadRoutingDirectory } from './routing.js';

export const NOTIFIER_GROUP = 'coldchain-notifier';

/** Tunables of the notifier app, units in the names. */
export const NOTIFIER_APP_DEFAULTS = {
  /** On boot, alerts emitted this recently whose condition is still open are re-planned (timers, unsent targets). */
  resumeWindowMs: 24 * 60 * 60_000, // 24 h
  /** Alerts read per tenant when resuming, and when looking one up by key. */
  alertLookupLimit: 1000,
};

/**
 * Counts every send in coldchain_notifications_total{channel, outcome} and times the provider call in
 * coldchain_notification_provider_seconds.
 */
function counted(
  channel: NotificationChannel,
  metrics: ColdchainMetrics,
  latency: NotifierMetrics,
): NotificationChannel {
  const label = `${channel.kind}:${channel.provider}`;
  return {
    kind: channel.kind,
    provider: channel.provider,
    close: () => channel.close(),
    send: async (message) => {
      const stop = latency.providerSeconds.startTimer({ channel: label });
      try {
        const receipt = await channel.send(message);
        stop({ outcome: 'accepted' });
        metrics.notificationsSent.inc({ channel: label, outcome: 'accepted' });
        return receipt;
      } catch (err) {
        stop({ outcome: 'failed' });
        metrics.notificationsSent.inc({ channel: label, outcome: 'failed' });
        throw err;
      }
    },
  };
}

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
  private readonly channels: ChannelSet;
  private readonly directory: RoutingDirectory;
  private readonly latency: NotifierMetrics;
  readonly notifier: AlertNotifier;
  readonly delivery: DeliveryService;

  constructor(
    @Inject(CONFIG) private readonly config: ColdchainConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(ALERT_LOG_REPOSITORY) private readonly alerts: AlertLogRepository,
    @Inject(METADATA_DATABASE) private readonly database: Pick<MetadataDatabase, 'snapshot'>,
    @Inject(METADATA_CACHE) private readonly cache: MetadataCache,
    @Inject(METRICS) metrics: ColdchainMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HEALTH) health: HealthRegistry,
    @Inject(NOTIFICATION_LOG) private readonly log: NotificationLog,
    @Inject(ACK_SECRET) ackSecret: string,
  ) {
    const logger: NotificationsLogger = {
      log: (m, f) => this.logger.log(f ? `${m} ${JSON.stringify(f)}` : m),
      warn: (m, f) => this.logger.warn(f ? `${m} ${JSON.stringify(f)}` : m),
    };
    this.channels = createChannels(channelsConfigFromEnv(config, { clock, logger }));
    this.latency = new NotifierMetrics(metrics.registry);
    const wrapped = new Map<ChannelKind, NotificationChannel>(
      [...this.channels.all].map(([kind, c]) => [kind, counted(c, metrics, this.latency)]),
    );
    this.directory = loadRoutingDirectory(config);
    this.delivery = new DeliveryService({
      channels: { get: (k) => wrapped.get(k) },
      log,
      clock,
      ...(config.PUBLIC_BASE_URL ? { callbacks: twilioCallbackUrls(config.PUBLIC_BASE_URL) } : {}),
      logger,
    });
    this.notifier = new AlertNotifier({
      delivery: this.delivery,
      log,
      acks: log,
      directory: () => this.directory,
      names: (a) => this.names(a),
      clock,
      ackSecret,
      ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
      storm: new StormGrouper(config.NOTIFY_STORM_WINDOW_MS),
      rateLimiter: new TenantRateLimiter({
        windowMs: 60 * 60_000, // the NOTIFY_*_PER_HOUR budgets
        perWindow: {
          ...DEFAULT_RATE_LIMITS.perWindow,
          email: config.NOTIFY_EMAIL_PER_HOUR,
          sms: config.NOTIFY_SMS_PER_HOUR,
          voice: config.NOTIFY_VOICE_PER_HOUR,
        },
      }),
      logger,
      findAlert: (tenantId, key) => this.findAlert(tenantId, key),
    });
    health.register('notifier', () => this.state);
  }

  async onModuleInit(): Promise<void> {
    await this.resume();
    await this.bus.subscribe(ALERTS_TOPIC, { group: NOTIFIER_GROUP }, (b) => this.handleBatch(b));
    this.state = 'up';
  }

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
   */
  async handleBatch(batch: ConsumedBatch<AlertEvent>): Promise<void> {
    const now = this.clock.now();
    for (const event of batch.values)
      this.latency.alertAge.observe(Math.max(0, now - event.emittedAt) / 1000);
    // Every event, not only the fresh ones: routing is idempotent, and a redelivery after a
    // crash is exactly the case where a recorded alert may not have been routed yet.
    for (const event of batch.values) this.route(event);
    await this.alerts.recordAlerts(batch.values);
  }

  private route(event: AlertEvent): void {
    this.notifier.handle(event).catch((err: unknown) => {
      this.logger.warn(`alert ${event.key}: routing failed (${String(err)}); re-planned at the next boot`);
    });
  }

  /** Re-plans alerts still open from the last run (their escalation timers lived in memory), and resends due retries. */
  private async resume(): Promise<void> {
    const since = this.clock.now() - NOTIFIER_APP_DEFAULTS.resumeWindowMs;
    const tenants = new Set([DEMO_TENANT.id, ...(await this.tenantIds())]);
    let resumed = 0;
    for (const tenantId of tenants) {
      const recent = (await this.alerts.listAlerts(tenantId, NOTIFIER_APP_DEFAULTS.alertLookupLimit)).filter(
        (a) => a.emittedAt >= since,
      );
      resumed += await this.notifier.resumeOpen(recent);
    }
    const retries = await this.notifier.resumeDue();
    if (resumed + retries > 0)
      this.logger.log(`resumed ${resumed} open alerts and ${retries} due deliveries`);
  }

  private async tenantIds(): Promise<string[]> {
    return (await this.database.snapshot()).tenants.map((t) => t.id);
  }

  private async findAlert(tenantId: string, key: string): Promise<AlertEvent | undefined> {
    return (await this.alerts.listAlerts(tenantId, NOTIFIER_APP_DEFAULTS.alertLookupLimit)).find(
      (a) => a.key === key,
    );
  }

  private names(a: AlertEvent): {
    tagName: string;
    profileName: string;
    tenantName: string;
    hubName?: string;
  } {
    const hub = this.cache.hub(a.hub);
    return {
      tagName: this.cache.tag(a.tenantId, a.tag)?.name ?? a.tag,
      profileName: this.cache.profile(a.profileId)?.name ?? a.profileId,
      tenantName: a.tenantId === DEMO_TENANT.id ? DEMO_TENANT.name : a.tenantId,
      ...(hub ? { hubName: hub.name } : {}),
    };
  }
}
