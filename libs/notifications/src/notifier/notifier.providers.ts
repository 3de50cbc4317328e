import { Logger, type Provider } from '@nestjs/common';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { AlertEvent, Clock } from '@coldchain/domain';
import {
  type AlertLogRepository,
  type MetadataCache,
  type MetadataDatabase,
  ALERT_LOG_REPOSITORY,
  METADATA_CACHE,
  METADATA_DATABASE,
} from '@coldchain/metadata-store';
import { type ColdchainMetrics, METRICS } from '@coldchain/observability';
import { createChannels, type ChannelSet } from '../channels/channel.factory.js';
import type { ChannelKind, NotificationChannel } from '../channels/notification-channel.js';
import { twilioCallbackUrls } from '../channels/twilio/twilio-webhooks.js';
import { channelsConfigFromEnv } from '../config/notifications-env.js';
import { DeliveryService } from '../delivery/delivery.service.js';
import type { NotificationsLogger } from '../notifications.logger.js';
import { DEFAULT_RATE_LIMITS, TenantRateLimiter } from '../routing/rate-limit.js';
import type { RoutingDirectory, RoutingFile } from '../routing/routing-directory.js';
import { StormGrouper } from '../routing/storm.js';
import { AlertNotifier } from './alert-notifier.js';
import { ACK_SECRET, NOTIFICATION_LOG, type NotificationLog } from './notifications-store.module.js';
import { NotifierMetrics } from './notifier.metrics.js';
import { loadRoutingDirectory } from './routing.js';

/** The notification channels the config names (ChannelSet), before metering. */
export const NOTIFICATION_CHANNELS = Symbol('coldchain.notification-channels');
/** Who hears about an alert (RoutingDirectory): NOTIFY_ROUTING_FILE, or the composition's default routing. */
export const ROUTING_DIRECTORY = Symbol('coldchain.routing-directory');

/** The process's notifier log lines, in the shape @coldchain/notifications takes. */
export function notifierLogger(logger = new Logger('Notifier')): NotificationsLogger {
  return {
    log: (m, f) => logger.log(f ? `${m} ${JSON.stringify(f)}` : m),
    warn: (m, f) => logger.warn(f ? `${m} ${JSON.stringify(f)}` : m),
  };
}

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

/** Durable, metered delivery over `channels` (see DeliveryService). */
export function notifierDelivery(deps: {
  config: ColdchainConfig;
  clock: Clock;
  log: NotificationLog;
  channels: ChannelSet;
  metrics: ColdchainMetrics;
  latency: NotifierMetrics;
  logger?: NotificationsLogger;
}): DeliveryService {
  const { config, metrics, latency } = deps;
  const wrapped = new Map<ChannelKind, NotificationChannel>(
    [...deps.channels.all].map(([kind, c]) => [kind, counted(c, metrics, latency)]),
  );
  return new DeliveryService({
    channels: { get: (k) => wrapped.get(k) },
    log: deps.log,
    clock: deps.clock,
    ...(config.PUBLIC_BASE_URL ? { callbacks: twilioCallbackUrls(config.PUBLIC_BASE_URL) } : {}),
    logger: deps.logger ?? notifierLogger(),
  });
}

/**
 * Tenants' display names for messages, from the metadata store's snapshot:
 * loaded at boot, reloaded in the background when an alert names a tenant
 * not seen yet (that message shows the tenant's id).
 */
export class TenantNames {
  private names = new Map<string, string>();
  private loading?: Promise<void>;

  constructor(private readonly store: Pick<MetadataDatabase, 'snapshot'>) {}

  /** Reloads the names; resolves with every tenant's id. */
  async load(): Promise<string[]> {
    const { tenants } = await this.store.snapshot();
    this.names = new Map(tenants.map((t) => [t.id, t.name]));
    return [...this.names.keys()];
  }

  nameOf(tenantId: string): string {
    const name = this.names.get(tenantId);
    if (name === undefined && !this.loading)
      this.loading = this.load().then(
        () => (this.loading = undefined),
        () => (this.loading = undefined),
      );
    return name ?? tenantId;
  }
}

/** Tunables of the notifier app, units in the names. */
export const NOTIFIER_APP_DEFAULTS = {
  /** On boot, alerts emitted this recently whose condition is still open are re-planned (timers, unsent targets). */
  resumeWindowMs: 24 * 60 * 60_000, // 24 h
  /** Alerts read per tenant when resuming, and when looking one up by key. */
  alertLookupLimit: 1000,
};

/** The notifier's decisions (AlertNotifier) over `delivery`, with names from the metadata cache. */
export function alertNotifier(deps: {
  config: ColdchainConfig;
  clock: Clock;
  delivery: DeliveryService;
  log: NotificationLog;
  ackSecret: string;
  directory: RoutingDirectory;
  metadata: Pick<AlertLogRepository, 'listAlerts'>;
  cache: MetadataCache;
  tenants: TenantNames;
  logger?: NotificationsLogger;
}): AlertNotifier {
  const { config, cache } = deps;
  return new AlertNotifier({
    delivery: deps.delivery,
    log: deps.log,
    acks: deps.log,
    directory: () => deps.directory,
    names: (a: AlertEvent) => {
      const hub = cache.hub(a.hub);
      return {
        tagName: cache.tag(a.tenantId, a.tag)?.name ?? a.tag,
        profileName: cache.profile(a.profileId)?.name ?? a.profileId,
        tenantName: deps.tenants.nameOf(a.tenantId),
        ...(hub ? { hubName: hub.name } : {}),
      };
    },
    clock: deps.clock,
    ackSecret: deps.ackSecret,
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
    logger: deps.logger ?? notifierLogger(),
    findAlert: async (tenantId, key) =>
      (await deps.metadata.listAlerts(tenantId, NOTIFIER_APP_DEFAULTS.alertLookupLimit)).find(
        (a) => a.key === key,
      ),
  });
}

export interface NotifierModuleOptions {
  /**
   * Routing when NOTIFY_ROUTING_FILE is unset (the embedded demo routes its
   * demo tenant to DEMO_ONCALL_*). Without either, no tenant has contacts:
   * alerts are recorded and nobody is notified.
   */
  defaultRouting?: (config: ColdchainConfig) => RoutingFile;
}

/** The notifier's parts, one of each per process; AlertsConsumer and the Twilio webhooks share them. */
export function notifierProviders(options: NotifierModuleOptions): Provider[] {
  return [
    {
      provide: NotifierMetrics,
      inject: [METRICS],
      useFactory: (metrics: ColdchainMetrics) => new NotifierMetrics(metrics.registry),
    },
    {
      provide: NOTIFICATION_CHANNELS,
      inject: [CONFIG, CLOCK],
      useFactory: (config: ColdchainConfig, clock: Clock): ChannelSet =>
        createChannels(channelsConfigFromEnv(config, { clock, logger: notifierLogger() })),
    },
    {
      provide: DeliveryService,
      inject: [CONFIG, CLOCK, NOTIFICATION_LOG, NOTIFICATION_CHANNELS, METRICS, NotifierMetrics],
      useFactory: (
        config: ColdchainConfig,
        clock: Clock,
        log: NotificationLog,
        channels: ChannelSet,
        metrics: ColdchainMetrics,
        latency: NotifierMetrics,
      ) => notifierDelivery({ config, clock, log, channels, metrics, latency }),
    },
    {
      provide: ROUTING_DIRECTORY,
      inject: [CONFIG],
      useFactory: (config: ColdchainConfig): RoutingDirectory => {
        if (!config.NOTIFY_ROUTING_FILE && !options.defaultRouting)
          new Logger('Notifier').warn(
            'no NOTIFY_ROUTING_FILE: no tenant has contacts; alerts are recorded and nobody is notified',
          );
        return loadRoutingDirectory(config, options.defaultRouting?.(config));
      },
    },
    {
      provide: TenantNames,
      inject: [METADATA_DATABASE],
      useFactory: (database: MetadataDatabase) => new TenantNames(database),
    },
    {
      provide: AlertNotifier,
      inject: [
        CONFIG,
        CLOCK,
        DeliveryService,
        NOTIFICATION_LOG,
        ACK_SECRET,
        ROUTING_DIRECTORY,
        ALERT_LOG_REPOSITORY,
        METADATA_CACHE,
        TenantNames,
      ],
      useFactory: (
        config: ColdchainConfig,
        clock: Clock,
        delivery: DeliveryService,
        log: NotificationLog,
        ackSecret: string,
        directory: RoutingDirectory,
        metadata: AlertLogRepository,
        cache: MetadataCache,
        tenants: TenantNames,
      ) => alertNotifier({ config, clock, delivery, log, ackSecret, directory, metadata, cache, tenants }),
    },
  ];
}
