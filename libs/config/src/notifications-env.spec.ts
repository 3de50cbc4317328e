import { describe, expect, it } from '@jest/globals';
import { notificationsEnvProblems, type NotificationsEnv } from './notifications-env.js';

const SID = `AC${'a'.repeat(32)}`;

describe('notificationsEnvProblems', () => {
  it.each([
    ['nothing set', {}, []],
    [
      'complete Twilio with a public URL',
      {
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_FROM: '+15005550006',
        PUBLIC_BASE_URL: 'https://cc.x',
      },
      [],
    ],
    [
      'Twilio half configured',
      { TWILIO_ACCOUNT_SID: SID },
      [
        'TWILIO_AUTH_TOKEN="***" (required when TWILIO_ACCOUNT_SID set)',
        'TWILIO_FROM="" (required when TWILIO_ACCOUNT_SID set)',
      ],
    ],
    [
      'a malformed SID and sender',
      {
        TWILIO_ACCOUNT_SID: 'SK1',
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_FROM: '0151',
        PUBLIC_BASE_URL: 'https://cc.x',
      },
      [
        'TWILIO_ACCOUNT_SID="SK1" (expected AC followed by 32 hex digits)',
        'TWILIO_FROM="0151" (expected an E.164 number like +15005550006 or a Messaging Service SID MG…)',
      ],
    ],
    [
      'Twilio without PUBLIC_BASE_URL',
      { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' },
      [
        'PUBLIC_BASE_URL="" (required with Twilio: status callbacks, inbound SMS and keypad answers are sent there)',
      ],
    ],
    [
      'a webhook secret without URL',
      { WEBHOOK_SECRET: 's' },
      ['WEBHOOK_URL="" (required when WEBHOOK_SECRET is set)'],
    ],
    [
      'a URL without scheme',
      { WEBHOOK_URL: 'hooks.x/cc' },
      ['WEBHOOK_URL="hooks.x/cc" (expected an http(s) URL)'],
    ],
  ] as Array<[string, Partial<NotificationsEnv>, string[]]>)('%s', (_case, env, problems) => {
    expect(notificationsEnvProblems(env)).toEqual(problems);
  });
});
