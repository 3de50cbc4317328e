import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@coldchain/domain';
import {
  DeliveryService,
  InMemoryDeliveryLog,
  ackCodeFor,
  createAckLink,
  createChannels,
  deliveryKey,
  parseSmsReply,
  parseTwilioInboundSms,
  parseTwilioStatusCallback,
  renderAlert,
  silentLogger,
  twilioCallbackUrls,
  twiml,
  type ChannelSet,
  type Contact,
} from '@coldchain/notifications';
import { type DeliveryLog } from '@coldchain/metadata-store';
import { SmtpSink } from '../../support/smtp-sink.js';
import { TwilioStandIn } from '../../support/twilio-standin.js';
import { CallbackReceiver } from './callback-receiver.js';
import { STARTED_AT, criticalExcursion, renderContext } from './fixtures.js';

const ACK_SECRET = 'ack-secret';
const FROM = '+15005550006';
const dana: Contact = {
  id: 'dana',
  tenantId: 'acme',
  name: 'Dana Night',
  email: 'dana@acme.test',
  phone: '+4915112345678',
  timeZone: 'Europe/Berlin',
};

/**
 * The notifications lib end to end on real transports: DeliveryService over
 * the channel factory, a real SMTP server, the real twilio client against the
 * stand-in, and the stand-in's signed callbacks fed back through the
 * verifying receiver into the delivery log.
 */
describe('alert delivery over SMTP and Twilio with callbacks, acknowledgement and restarts', () => {
  const clock = new ManualClock(STARTED_AT + 60_000);
  let sink: SmtpSink;
  let standIn: TwilioStandIn;
  let receiver: CallbackReceiver;
  let log: DeliveryLog;
  let service: DeliveryService;
  let channels: ChannelSet;
  let acked: Array<{ from: string; code?: string; comment?: string }>;

  function start(): void {
    channels = createChannels({
      smtp: { host: '127.0.0.1', port: sink.port, secure: false, from: 'alerts@coldchain.test' },
      twilio: {
        accountSid: standIn.accountSid,
        authToken: standIn.authToken,
        from: FROM,
        apiBaseUrl: standIn.baseUrl,
      },
      outbox: { dataDir: mkdtempSync(join(tmpdir(), 'cc-flow-')) },
      clock,
      logger: silentLogger,
    });
    service = new DeliveryService({
      channels,
      log,
      clock,
      callbacks: twilioCallbackUrls(receiver.baseUrl),
      logger: silentLogger,
    });
  }
  async function restart(): Promise<void> {
    service.stop();
    await channels.close();
    start();
  }

  beforeAll(async () => {
    sink = await SmtpSink.start();
    standIn = await TwilioStandIn.start();
    receiver = await CallbackReceiver.start(standIn.authToken, async (cb) => {
      if (cb.path.endsWith('/status')) {
        const update = parseTwilioStatusCallback(cb.params, cb.url, clock.now());
        if (update) await service.recordProviderStatus(update);
        return undefined;
      }
      if (cb.path.endsWith('/sms/inbound')) {
        const sms = parseTwilioInboundSms(cb.params)!;
        const reply = parseSmsReply(sms.body);
        if (reply.kind !== 'ack') return twiml.smsReply('Reply ACK and the code to acknowledge.');
        acked.push({ from: sms.from, ...reply });
        return twiml.smsReply('Acknowledged. Escalation stopped.');
      }
      return undefined;
    });
  });
  beforeEach(() => {
    log = new InMemoryDeliveryLog();
    acked = [];
    start();
  });
  afterEach(async () => {
    service.stop();
    await channels.close();
  });
  afterAll(async () => {
    await receiver.close();
    await standIn.close();
    await sink.close();
  });

  const alert = criticalExcursion();
  const render = (c: Contact) =>
    renderAlert(
      alert,
      renderContext({
        contact: { name: c.name, timeZone: c.timeZone },
        ackCode: ackCodeFor(ACK_SECRET, alert.key, c.id),
        ackUrl: createAckLink({
          secret: ACK_SECRET,
          publicBaseUrl: 'https://cc.example',
          alertKey: alert.key,
          contactId: c.id,
          now: clock.now(),
        }),
      }),
    );
  const targets = [
    { contact: dana, channel: 'email' as const },
    { contact: dana, channel: 'sms' as const },
  ];

  it('emails and texts the on-call contact, records delivery callbacks, and reads the SMS acknowledgement', async () => {
    const mailsBefore = sink.messages.length;
    const smsBefore = standIn.messages.length;
    const out = await service.deliver({ alert, targets, render });
    expect(out.map((o) => o.channels.map((c) => c.kind))).toEqual([['sent'], ['sent']]);

    const [mail] = (await sink.waitForMessages(mailsBefore + 1)).slice(mailsBefore);
    expect(mail.envelope.to).toEqual(['dana@acme.test']);
    expect(mail.parsed.text).toContain('Acknowledge: https://cc.example/ack?token=');

    const [sms] = (await standIn.waitForMessages(smsBefore + 1)).slice(smsBefore);
    const code = ackCodeFor(ACK_SECRET, alert.key, 'dana');
    expect(sms.body).toMatch(new RegExp(`Reply ACK ${code}$`));

    await standIn.sendMessageStatus(sms.sid, 'sent');
    await standIn.sendMessageStatus(sms.sid, 'delivered');
    const record = await log.get(deliveryKey(alert.key, 'dana', 'sms'));
    expect(record).toMatchObject({ state: 'sent', providerMessageId: sms.sid, providerStatus: 'delivered' });
    expect(record!.statusHistory.map((h) => h.raw)).toEqual(['sent', 'delivered']);

    const reply = await standIn.sendInboundSms(twilioCallbackUrls(receiver.baseUrl).inboundSmsUrl, {
      from: dana.phone!,
      to: FROM,
      body: `ack ${code} moving pallets`,
    });
    expect(reply.body).toContain('Acknowledged. Escalation stopped.');
    expect(acked).toEqual([{ from: dana.phone, kind: 'ack', code, comment: 'moving pallets' }]);
  });

  it('sends nothing twice when the notifier restarts between send and delivery callback, and still records the callback', async () => {
    const mailsBefore = sink.messages.length;
    const smsBefore = standIn.messages.length;
    await service.deliver({ alert, targets, render });
    const [sms] = (await standIn.waitForMessages(smsBefore + 1)).slice(smsBefore);

    await restart();
    const again = await service.deliver({ alert, targets, render });
    expect(again.flatMap((o) => o.channels.map((c) => c.kind))).toEqual(['already_sent', 'already_sent']);

    await standIn.sendMessageStatus(sms.sid, 'delivered');
    expect(await log.get(deliveryKey(alert.key, 'dana', 'sms'))).toMatchObject({
      providerStatus: 'delivered',
    });
    await sink.waitForMessages(mailsBefore + 1);
    expect(sink.messages.length - mailsBefore).toBe(1);
    expect(standIn.messages.length - smsBefore).toBe(1);
  });

  it('heals a crash between Twilio accepting and the log recording it: the signed callback marks it sent', async () => {
    const smsBefore = standIn.messages.length;
    const inner = new InMemoryDeliveryLog();
    let crash = true;
    // Dies exactly once, at the worst moment: after the provider accepted, before markSent landed.
    log = Object.assign(Object.create(inner) as DeliveryLog, {
      markSent: async (...args: Parameters<DeliveryLog['markSent']>) => {
        if (crash) {
          crash = false;
          throw new Error('process killed');
        }
        return inner.markSent(...args);
      },
    });
    await restart();
    await expect(service.deliver({ alert, targets: [targets[1]], render })).rejects.toThrow('process killed');
    const [sms] = (await standIn.waitForMessages(smsBefore + 1)).slice(smsBefore);
    expect(await inner.get(deliveryKey(alert.key, 'dana', 'sms'))).toMatchObject({ state: 'sending' });

    await standIn.sendMessageStatus(sms.sid, 'queued');
    await restart();
    clock.advance(10 * 60_000); // well past the lease of the dead attempt
    const again = await service.deliver({ alert, targets: [targets[1]], render });
    expect(again[0].channels.map((c) => c.kind)).toEqual(['already_sent']);
    expect(standIn.messages.length - smsBefore).toBe(1);
  });

  it('retries a Twilio 429 and falls back to a voice call when the number is refused as a landline', async () => {
    const lee: Contact = { ...dana, id: 'lee', email: undefined, phone: '+15005550009' };
    const callsBefore = standIn.calls.length;
    standIn.failNext({ endpoint: 'Messages', to: lee.phone!, status: 429 });
    const fast = new DeliveryService({
      channels,
      log,
      clock,
      callbacks: twilioCallbackUrls(receiver.baseUrl),
      logger: silentLogger,
      sleep: async (ms) => clock.advance(ms),
    });
    const [out] = await fast.deliver({ alert, targets: [{ contact: lee, channel: 'sms' }], render });
    expect(
      out.channels.map((c) =>
        c.kind === 'failed' ? `${c.channel}:${c.error.providerCode}` : `${c.channel}:${c.kind}`,
      ),
    ).toEqual(['sms:21614', 'voice:sent']);
    expect((await log.get(deliveryKey(alert.key, 'lee', 'sms')))!.attempts).toBe(2);
    const [call] = (await standIn.waitForCalls(callsBefore + 1)).slice(callsBefore);
    expect(call.to).toBe(lee.phone);
  });
});
