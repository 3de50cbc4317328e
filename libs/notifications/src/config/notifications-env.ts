import type { NotificationsEnv } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import type { ChannelsConfig } from '../channels/channel.factory.js';
import type { NotificationsLogger } from '../notifications.logger.js';

/**
 * Chooses providers from validated configuration (see `createChannels`):
 * SMTP when SMTP_HOST is set, Twilio when SID, token and sender are all set,
 * the webhook when WEBHOOK_URL is set, the outbox (DATA_DIR/outbox.jsonl) for
 * every medium otherwise.
 */
export function channelsConfigFromEnv(
  env: NotificationsEnv,
  deps: { clock: Clock; logger?: NotificationsLogger },
): ChannelsConfig {
  return {
    ...(env.SMTP_HOST
      ? {
          smtp: {
            host: env.SMTP_HOST,
            port: env.SMTP_PORT,
            secure: env.SMTP_SECURE,
            ...(env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS ?? '' } : {}),
            from: env.SMTP_FROM,
          },
        }
      : {}),
    ...(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM
      ? {
          twilio: {
            accountSid: env.TWILIO_ACCOUNT_SID,
            authToken: env.TWILIO_AUTH_TOKEN,
            from: env.TWILIO_FROM,
            ...(env.TWILIO_API_BASE_URL ? { apiBaseUrl: env.TWILIO_API_BASE_URL } : {}),
          },
        }
      : {}),
    ...(env.WEBHOOK_URL
      ? { webhook: { url: env.WEBHOOK_URL, ...(env.WEBHOOK_SECRET ? { secret: env.WEBHOOK_SECRET } : {}) } }
      : {}),
    outbox: { dataDir: env.DATA_DIR },
    clock: deps.clock,
    ...(deps.logger ? { logger: deps.logger } : {}),
  };
}
