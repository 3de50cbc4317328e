import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@coldchain/domain';
import { silentLogger } from '../notifications.logger.js';
import { renderAlert } from '../render/alert.renderer.js';
import { alertEvent, renderContext } from '../../../../test/fixtures/alert-event.fixture.js';
import { createChannels, type ChannelSet } from './channel.factory.js';
import type { OutgoingNotification } from './notification-channel.js';
import type { OutboxLine } from './outbox/outbox.provider.js';

const clock = new ManualClock(Date.UTC(2025, 2, 4, 13, 6));

function message(key: string, address: string): OutgoingNotification {
  const alert = alertEvent();
  return {
    idempotencyKey: key,
    alert,
    recipient: { contactId: 'c1', address },
    rendered: renderAlert(alert, renderContext()),
  };
}

describe('createChannels', () => {
  let set: ChannelSet | undefined;
  afterEach(async () => {
    await set?.close();
    set = undefined;
  });

  it('with nothing configured, routes email, SMS and voice to the outbox and leaves the webhook off', () => {
    set = createChannels({
      outbox: { dataDir: mkdtempSync(join(tmpdir(), 'cc-nf-')) },
      clock,
      logger: silentLogger,
    });
    expect(set.get('email')?.provider).toBe('outbox');
    expect(set.get('sms')?.provider).toBe('outbox');
    expect(set.get('voice')?.provider).toBe('outbox');
    expect(set.get('webhook')).toBeUndefined();
    expect([...set.live]).toEqual([]);
  });

  it('chooses SMTP, Twilio and the webhook when each is configured', () => {
    set = createChannels({
      smtp: { host: '127.0.0.1', port: 2525, secure: false, from: 'a@b.test' },
      twilio: { accountSid: 'AC' + '0'.repeat(32), authToken: 't', from: '+15005550006' },
      webhook: { url: 'http://127.0.0.1:9/hook', secret: 's' },
      outbox: { dataDir: mkdtempSync(join(tmpdir(), 'cc-nf-')) },
      clock,
      logger: silentLogger,
    });
    expect(set.get('email')?.provider).toBe('smtp');
    expect(set.get('sms')?.provider).toBe('twilio');
    expect(set.get('voice')?.provider).toBe('twilio');
    expect(set.get('webhook')?.provider).toBe('webhook');
    expect([...set.live].sort()).toEqual(['email', 'sms', 'voice', 'webhook']);
  });

  it('outbox writes one whole JSON line per notification, in order, under concurrent sends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-nf-'));
    const logged: string[] = [];
    set = createChannels({
      outbox: { dataDir: dir },
      clock,
      logger: { log: (m) => logged.push(m), warn: () => undefined },
    });
    const receipts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        set!.get(i % 2 ? 'sms' : 'email')!.send(message(`k${i}`, `to${i}`)),
      ),
    );
    const lines = readFileSync(join(dir, 'outbox.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as OutboxLine);
    expect(lines.map((l) => l.idempotencyKey)).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`));
    expect(lines[1]).toMatchObject({
      medium: 'sms',
      at: clock.now(),
      to: { address: 'to1' },
      ackCode: '4821',
    });
    expect(lines[0].subject).toMatch(/^\[CRITICAL\] Fridge A1/);
    expect(receipts[0]).toMatchObject({ provider: 'outbox', channel: 'email', status: 'written' });
    expect(logged.filter((m) => m === 'notification written to outbox')).toHaveLength(20);
  });

  it('outbox refuses to write after close with a retriable DeliveryError', async () => {
    set = createChannels({
      outbox: { dataDir: mkdtempSync(join(tmpdir(), 'cc-nf-')) },
      clock,
      logger: silentLogger,
    });
    const email = set.get('email')!;
    await set.close();
    await expect(email.send(message('late', 'x'))).rejects.toMatchObject({
      name: 'DeliveryError',
      retriable: true,
    });
  });
});
