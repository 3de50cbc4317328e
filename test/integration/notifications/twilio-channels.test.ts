import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DeliveryError,
  TwilioSmsChannel,
  TwilioVoiceChannel,
  createTwilioClient,
  parseTwilioGather,
  parseTwilioInboundSms,
  parseTwilioStatusCallback,
  parseSmsReply,
  parseVoiceDigits,
  renderAlert,
  twilioCallbackUrls,
  twiml,
  type OutgoingNotification,
} from '@coldchain/notifications';
import { TwilioStandIn } from '../../support/twilio-standin.js';
import { CallbackReceiver } from './callback-receiver.js';
import { STARTED_AT, criticalExcursion, renderContext } from './fixtures.js';

const FROM = '+15005550006';
const DANA = '+4915112345678';

describe('Twilio SMS and voice through the real twilio client against the local stand-in', () => {
  let standIn: TwilioStandIn;
  let receiver: CallbackReceiver;
  let sms: TwilioSmsChannel;
  let voice: TwilioVoiceChannel;
  let urls: ReturnType<typeof twilioCallbackUrls>;

  beforeAll(async () => {
    standIn = await TwilioStandIn.start();
    receiver = await CallbackReceiver.start(standIn.authToken, (cb) => {
      if (cb.path.endsWith('/sms/inbound')) {
        const reply = parseSmsReply(parseTwilioInboundSms(cb.params)!.body);
        return twiml.smsReply(reply.kind === 'ack' ? `Acknowledged ${reply.code ?? ''}`.trim() : undefined);
      }
      if (cb.path.endsWith('/voice/gather')) {
        const gather = parseTwilioGather(cb.params, cb.url)!;
        return twiml.say(
          parseVoiceDigits(gather.digits).kind === 'ack' ? 'Alert acknowledged.' : 'Not acknowledged.',
        );
      }
      return undefined;
    });
    urls = twilioCallbackUrls(receiver.baseUrl);
    const client = createTwilioClient({
      accountSid: standIn.accountSid,
      authToken: standIn.authToken,
      from: FROM,
      apiBaseUrl: standIn.baseUrl,
    });
    sms = new TwilioSmsChannel(client, { from: FROM });
    voice = new TwilioVoiceChannel(client, { from: FROM });
  });
  afterAll(async () => {
    await receiver.close();
    await standIn.close();
  });

  function message(to: string, key: string): OutgoingNotification {
    const alert = criticalExcursion();
    return {
      idempotencyKey: key,
      alert,
      recipient: { contactId: 'dana', address: to },
      rendered: renderAlert(alert, renderContext()),
      callbacks: { statusUrl: urls.statusUrl(key), voiceGatherUrl: urls.voiceGatherUrl(key) },
    };
  }

  it("sends the one-segment alert SMS through the Messages API and returns Twilio's SID and status", async () => {
    const receipt = await sms.send(message(DANA, 'alert-1|dana|sms'));
    const [created] = await standIn.waitForMessages(1);
    expect(receipt).toMatchObject({ channel: 'sms', provider: 'twilio', status: 'queued' });
    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(created).toMatchObject({
      sid: receipt.providerMessageId,
      to: DANA,
      from: FROM,
      statusCallback: urls.statusUrl('alert-1|dana|sms'),
    });
    expect(created.body).toBe(
      'CRIT Fridge A1 (Vaccines 2-8 C): 9.4C > 8C since 04 Mar 14:05 CET. Pos 52.5200,13.4050. Reply ACK 4821',
    );
  });

  it('delivers signed status callbacks that verify and parse into provider statuses keyed by delivery', async () => {
    const receipt = await sms.send(message(DANA, 'alert-2|dana|sms'));
    const before = receiver.received.length;
    const results = [];
    for (const status of ['queued', 'sent', 'delivered'])
      results.push(await standIn.sendMessageStatus(receipt.providerMessageId, status));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const callbacks = (await receiver.waitFor(before + 3)).slice(before);
    expect(callbacks.every((c) => c.signatureValid)).toBe(true);
    expect(callbacks.map((c) => parseTwilioStatusCallback(c.params, c.url, STARTED_AT))).toEqual(
      ['queued', 'sent', 'delivered'].map((raw) => ({
        channel: 'sms',
        idempotencyKey: 'alert-2|dana|sms',
        providerMessageId: receipt.providerMessageId,
        status: raw,
        raw,
        at: STARTED_AT,
      })),
    );
  });

  it("reports an undelivered SMS with Twilio's error code", async () => {
    const receipt = await sms.send(message(DANA, 'alert-3|dana|sms'));
    const before = receiver.received.length;
    await standIn.sendMessageStatus(receipt.providerMessageId, 'undelivered', { errorCode: 30003 });
    const [cb] = (await receiver.waitFor(before + 1)).slice(before);
    expect(parseTwilioStatusCallback(cb.params, cb.url, STARTED_AT)).toMatchObject({
      status: 'undelivered',
      errorCode: '30003',
    });
  });

  it('refuses a callback whose signature does not match', async () => {
    const res = await standIn.postForm(
      urls.statusUrl('x'),
      { MessageSid: 'SM1', MessageStatus: 'delivered' },
      { signature: 'forged' },
    );
    expect(res.status).toBe(403);
    const tampered = standIn.sign(urls.statusUrl('x'), { MessageSid: 'SM1', MessageStatus: 'failed' });
    const res2 = await standIn.postForm(
      urls.statusUrl('x'),
      { MessageSid: 'SM1', MessageStatus: 'delivered' },
      { signature: tampered },
    );
    expect(res2.status).toBe(403);
  });

  it('reads an inbound "ack 4821" SMS, signature checked, and answers with TwiML', async () => {
    const res = await standIn.sendInboundSms(urls.inboundSmsUrl, {
      from: DANA,
      to: FROM,
      body: ' ack 4821 ',
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Message>Acknowledged 4821</Message>');
  });

  it.each([
    ['an invalid number (21211)', { to: '+1555' }, { retriable: false, providerCode: 21211 }],
    ['a landline (21614)', { to: '+15005550009' }, { retriable: false, providerCode: 21614 }],
  ])('maps %s to a permanent DeliveryError', async (_case, { to }, expected) => {
    const err = await sms.send(message(to, `bad-${to}`)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ ...expected, channel: 'sms', provider: 'twilio' });
    expect((err as DeliveryError).cause).toMatchObject({ status: 400, code: expected.providerCode });
  });

  it.each([
    ['429 Too Many Requests (20429)', { status: 429 }, 20429],
    ['503 Service Unavailable', { status: 503, code: 20503 }, 20503],
    ['500 Internal Server Error', { status: 500 }, 20500],
  ])('maps %s to a retriable DeliveryError', async (_case, failure, code) => {
    standIn.failNext({ endpoint: 'Messages', ...failure });
    const err = await sms.send(message(DANA, `rl-${code}`)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retriable: true, providerCode: code });
  });

  it('maps wrong credentials to a permanent DeliveryError (20003)', async () => {
    const wrong = new TwilioSmsChannel(
      createTwilioClient({
        accountSid: standIn.accountSid,
        authToken: 'wrong',
        from: FROM,
        apiBaseUrl: standIn.baseUrl,
      }),
      { from: FROM },
    );
    await expect(wrong.send(message(DANA, 'auth'))).rejects.toMatchObject({
      retriable: false,
      providerCode: 20003,
    });
  });

  it('maps an unreachable API to a retriable DeliveryError', async () => {
    const gone = await TwilioStandIn.start();
    const baseUrl = gone.baseUrl;
    await gone.close();
    const unreachable = new TwilioSmsChannel(
      createTwilioClient({ accountSid: standIn.accountSid, authToken: 'x', from: FROM, apiBaseUrl: baseUrl }),
      { from: FROM },
    );
    await expect(unreachable.send(message(DANA, 'down'))).rejects.toMatchObject({
      name: 'DeliveryError',
      retriable: true,
    });
  });

  it('places a voice call whose TwiML speaks the alert inside a one-digit Gather, and "1" acknowledges', async () => {
    const key = 'alert-1|dana|voice';
    const receipt = await voice.send(message(DANA, key));
    const [call] = await standIn.waitForCalls(1);
    expect(receipt).toMatchObject({ channel: 'voice', provider: 'twilio', status: 'queued' });
    expect(receipt.providerMessageId).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call.statusCallback).toBe(urls.statusUrl(key));
    expect(call.statusCallbackEvents).toEqual(['initiated', 'ringing', 'answered', 'completed']);
    expect(call.twiml).toMatch(
      /<Gather numDigits="1" action="[^"]+voice\/gather\?d=[^"]+" method="POST" timeout="8"><Say loop="2">/,
    );
    expect(call.twiml).toContain('9.4 degrees Celsius, above the limit of 8 degrees Celsius');

    const before = receiver.received.length;
    await standIn.sendCallStatus(receipt.providerMessageId, 'ringing');
    await standIn.sendCallStatus(receipt.providerMessageId, 'in-progress');
    const press = await standIn.sendGatherDigits(receipt.providerMessageId, '1');
    expect(press.body).toContain('<Say>Alert acknowledged.</Say>');
    const cbs = (await receiver.waitFor(before + 3)).slice(before);
    expect(cbs.every((c) => c.signatureValid)).toBe(true);
    expect(parseTwilioStatusCallback(cbs[1].params, cbs[1].url, STARTED_AT)).toMatchObject({
      channel: 'voice',
      idempotencyKey: key,
      status: 'delivered',
      raw: 'in-progress',
    });
    expect(parseTwilioGather(cbs[2].params, cbs[2].url)).toEqual({
      callSid: receipt.providerMessageId,
      digits: '1',
      idempotencyKey: key,
    });
  });
});
