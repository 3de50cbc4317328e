import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DeliveryError,
  SmtpEmailChannel,
  renderAlert,
  type OutgoingNotification,
} from '@coldchain/notifications';
import { SmtpSink } from '../../support/smtp-sink.js';
import { criticalExcursion, renderContext } from './fixtures.js';

function emailTo(address: string, idempotencyKey = `k-${address}`): OutgoingNotification {
  const alert = criticalExcursion();
  return {
    idempotencyKey,
    alert,
    recipient: { contactId: 'c-dana', name: 'Dana Night', address },
    rendered: renderAlert(alert, renderContext()),
  };
}

describe('SMTP email channel against a real SMTP server', () => {
  let sink: SmtpSink;
  let channel: SmtpEmailChannel;

  beforeAll(async () => {
    sink = await SmtpSink.start({
      auth: { user: 'alerts', pass: 's3cret' },
      refuseRecipient: (a) => (a.startsWith('busy@') ? 450 : a.startsWith('nobody@') ? 550 : undefined),
    });
  });
  afterEach(async () => {
    await channel?.close();
  });
  afterAll(async () => {
    await sink.close();
  });

  function connect(): SmtpEmailChannel {
    channel = new SmtpEmailChannel({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      user: 'alerts',
      pass: 's3cret',
      from: 'Coldchain Alerts <alerts@coldchain.test>',
    });
    return channel;
  }

  it('delivers a critical excursion email with tag, profile, value vs bound, local since-time, position and ack link', async () => {
    const receipt = await connect().send(emailTo('dana@acme.test'));

    const [mail] = await sink.waitForMessages(1);
    expect(receipt).toMatchObject({ channel: 'email', provider: 'smtp', status: 'accepted' });
    expect(receipt.detail).toMatch(/^250/);
    expect(mail.envelope).toEqual({ from: 'alerts@coldchain.test', to: ['dana@acme.test'] });
    expect(mail.parsed.subject).toBe(
      '[CRITICAL] Fridge A1: temperature 9.4 °C above bound 8 °C (Vaccines 2–8 °C)',
    );
    expect(mail.parsed.messageId).toBe(receipt.providerMessageId);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');

    const text = mail.parsed.text ?? '';
    expect(text).toContain('Tag: Fridge A1');
    expect(text).toContain('Product / profile: Vaccines 2–8 °C');
    expect(text).toContain('Reading: Temperature 9.4 °C above bound 8 °C');
    expect(text).toContain('Since (measured): 2025-03-04 14:05 CET');
    expect(text).toContain('Last position: 52.52000, 13.40500');
    expect(text).toContain('Acknowledge: https://coldchain.example/ack?t=signed-token');

    const html = String(mail.parsed.html);
    expect(html).toContain('href="https://coldchain.example/ack?t=signed-token"');
    expect(html).toContain('2025-03-04 14:05 CET');
  });

  it('gives the same Message-ID to a resend of the same idempotency key, so duplicates can be folded', async () => {
    const before = sink.messages.length;
    const ch = connect();
    const a = await ch.send(emailTo('dana@acme.test', 'same-key'));
    const b = await ch.send(emailTo('dana@acme.test', 'same-key'));
    await sink.waitForMessages(before + 2);
    expect(a.providerMessageId).toBe(b.providerMessageId);
  });

  it('reports a 4xx recipient refusal as a retriable DeliveryError keeping the SMTP error as cause', async () => {
    const err = await connect()
      .send(emailTo('busy@acme.test'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retriable: true, providerCode: 450, channel: 'email', provider: 'smtp' });
    expect((err as DeliveryError).cause).toMatchObject({ responseCode: 450 });
  });

  it('reports a 5xx recipient refusal as a permanent DeliveryError', async () => {
    const err = await connect()
      .send(emailTo('nobody@acme.test'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retriable: false, providerCode: 550 });
  });

  it('reports wrong credentials as a permanent DeliveryError', async () => {
    channel = new SmtpEmailChannel({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      user: 'alerts',
      pass: 'wrong',
      from: 'alerts@coldchain.test',
    });
    const err = await channel.send(emailTo('dana@acme.test')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ retriable: false, providerCode: 535 });
  });

  it('reports a server that is not listening as a retriable DeliveryError', async () => {
    const gone = await SmtpSink.start();
    const port = gone.port;
    await gone.close();
    channel = new SmtpEmailChannel({ host: '127.0.0.1', port, secure: false, from: 'alerts@coldchain.test' });
    const err = await channel.send(emailTo('dana@acme.test')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retriable: true });
  });
});
