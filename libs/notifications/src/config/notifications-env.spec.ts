import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@coldchain/domain';
import type { NotificationsEnv } from '@coldchain/config';
import { channelsConfigFromEnv } from './notifications-env.js';

const SID = `AC${'a'.repeat(32)}`;
const base: NotificationsEnv = {
  DATA_DIR: '/var/cc',
  SMTP_PORT: 587,
  SMTP_SECURE: false,
  SMTP_FROM: 'alerts@x.test',
};
const clock = new ManualClock(0);

describe('channelsConfigFromEnv', () => {
  it('with nothing set, configures only the outbox under DATA_DIR', () => {
    const c = channelsConfigFromEnv(base, { clock });
    expect(c).toEqual({ outbox: { dataDir: '/var/cc' }, clock });
  });

  it('maps SMTP_*, TWILIO_* and WEBHOOK_* when set', () => {
    const c = channelsConfigFromEnv(
      {
        ...base,
        SMTP_HOST: 'smtp.x.test',
        SMTP_USER: 'u',
        SMTP_PASS: 'p',
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_FROM: '+15005550006',
        TWILIO_API_BASE_URL: 'http://127.0.0.1:4010',
        WEBHOOK_URL: 'https://hooks.x.test/cc',
        WEBHOOK_SECRET: 'w',
      },
      { clock },
    );
    expect(c.smtp).toEqual({
      host: 'smtp.x.test',
      port: 587,
      secure: false,
      user: 'u',
      pass: 'p',
      from: 'alerts@x.test',
    });
    expect(c.twilio).toEqual({
      accountSid: SID,
      authToken: 't',
      from: '+15005550006',
      apiBaseUrl: 'http://127.0.0.1:4010',
    });
    expect(c.webhook).toEqual({ url: 'https://hooks.x.test/cc', secret: 'w' });
  });
});
