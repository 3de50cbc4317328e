import { join } from 'node:path';
import type { Clock } from '@coldchain/domain';
import { DEFAULTS } from '../notifications.defaults.js';
import { consoleLogger, type NotificationsLogger } from '../notifications.logger.js';
import { SmtpEmailChannel, type SmtpConfig } from './email/smtp/smtp-email.provider.js';
import type { ChannelKind, NotificationChannel } from './notification-channel.js';
import { OutboxChannel, OutboxFile } from './outbox/outbox.provider.js';
import { TwilioSmsChannel } from './sms/twilio/twilio-sms.provider.js';
import { createTwilioClient, type TwilioConfig } from './twilio/twilio-client.js';
import { TwilioVoiceChannel } from './voice/twilio/twilio-voice.provider.js';
import { WebhookChannel } from './webhook/webhook.provider.js';

export interface ChannelsConfig {
  /** Present when SMTP_HOST is set. */
  smtp?: SmtpConfig;
  /** Present when TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are all set. */
  twilio?: TwilioConfig;
  /** Present when WEBHOOK_URL is set. */
  webhook?: { url: string; secret?: string; requestTimeoutMs?: number };
  /** Always: the outbox is the fallback for every unconfigured medium. */
  outbox: { dataDir: string; fileName?: string; fsync?: 'always' | 'never' };
  clock: Clock;
  logger?: NotificationsLogger;
}

/** The channels of one process, one per medium, and the means to close them all. */
export interface ChannelSet {
  /** Undefined only for `webhook` when no WEBHOOK_URL is configured. */
  get(kind: ChannelKind): NotificationChannel | undefined;
  /** Media served by a real provider (not the outbox stand-in). */
  readonly live: ReadonlySet<ChannelKind>;
  readonly all: ReadonlyMap<ChannelKind, NotificationChannel>;
  close(): Promise<void>;
}

/**
 * Chooses one provider per medium from configuration (Novu's provider
 * factory): SMTP for email when a host is given, Twilio for SMS and voice
 * when account SID, token and sender are given, the webhook when a URL is
 * given; email, SMS and voice fall back to the outbox file otherwise, so the
 * embedded default records every notification instead of losing it.
 */
export function createChannels(config: ChannelsConfig): ChannelSet {
  const logger = config.logger ?? consoleLogger;
  const outboxFile = new OutboxFile({
    path: join(config.outbox.dataDir, config.outbox.fileName ?? DEFAULTS.outbox.fileName),
    clock: config.clock,
    fsync: config.outbox.fsync ?? DEFAULTS.outbox.fsync,
    logger,
  });
  const all = new Map<ChannelKind, NotificationChannel>();
  const live = new Set<ChannelKind>();

  all.set('outbox', new OutboxChannel(outboxFile, 'outbox'));
  if (config.smtp) {
    all.set('email', new SmtpEmailChannel(config.smtp));
    live.add('email');
  } else all.set('email', new OutboxChannel(outboxFile, 'email'));

  if (config.twilio) {
    const client = createTwilioClient(config.twilio);
    all.set('sms', new TwilioSmsChannel(client, config.twilio));
    all.set('voice', new TwilioVoiceChannel(client, config.twilio));
    live.add('sms').add('voice');
  } else {
    all.set('sms', new OutboxChannel(outboxFile, 'sms'));
    all.set('voice', new OutboxChannel(outboxFile, 'voice'));
  }

  if (config.webhook) {
    all.set('webhook', new WebhookChannel({ ...config.webhook, clock: config.clock }));
    live.add('webhook');
  }

  logger.log('notification channels ready', {
    email: all.get('email')!.provider,
    sms: all.get('sms')!.provider,
    voice: all.get('voice')!.provider,
    webhook: all.get('webhook')?.provider ?? 'off',
    outbox: outboxFile.path,
  });

  let closing: Promise<void> | undefined;
  return {
    get: (kind) => all.get(kind),
    live,
    all,
    close: () =>
      (closing ??= Promise.allSettled([...all.values()].map((c) => c.close())).then(() =>
        outboxFile.close(),
      )),
  };
}
