import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { createAckToken } from '@coldchain/notifications';
import { freePort } from '../support/process.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TwilioStandIn, type StandInMessage } from '../support/twilio-standin.js';

/**
 * Alert fan-out end to end in the embedded platform (every app in one
 * process, in-process bus, SQLite stores): a hub publishes an excursion over
 * MQTT, the on-call email reaches a real SMTP server and the SMS request the
 * Twilio stand-in (the real twilio client, re-rooted with TWILIO_API_BASE_URL);
 * the stand-in's signed inbound SMS "ACK nnnn" acknowledges and escalation
 * stops. Then a restart between send and delivery callback.
 */

const ACK_SECRET = 'e2e-ack-secret-0123456789abcdef0123456789';
const DANA = '+4915112345678';
const SAM = '+4915112345679';
const FROM = '+15005550006';
/** Short escalation so the voice step falls due within the test; the order of events, not the delay, is asserted. */
const VOICE_AFTER_MS = 4000;

let sink: SmtpSink;
let standIn: TwilioStandIn;
let platform: RunningPlatform;
let env: Record<string, string>;
let base: string;

let token = '';
/** The demo owner's Bearer token (logged in after each platform start; see `login`). */
const auth = () => `Bearer ${token}`;
async function login(): Promise<void> {
  const u = platform.creds.users[0];
  const res = await fetch(`${platform.httpUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: u.email, password: u.password }),
  });
  expect(res.status).toBe(200);
  token = ((await res.json()) as { accessToken: string }).accessToken;
}
/** The delivery key Twilio echoes in callback URLs (`?d=`), and the alert key it starts with. */
const keyOf = (url: string | undefined) => new URL(url!).searchParams.get('d')!;
const alertKeyOf = (m: StandInMessage) => keyOf(m.statusCallback).split('|').slice(0, -2).join('|');

/** Tunable of the alarm engine this test relies on: a reading is judged once the tag's newest measured time is this far past it. */
const REORDER_TOLERANCE_MS = 2 * 60_000;

/**
 * An excursion of `tag` published by its hub over MQTT like a K-HUB: two
 * readings above the profile's maximum, measured far enough apart that the
 * alarm engine's reorder window releases the first at once (otherwise the
 * alarm would be decided at a tick, up to two minutes later).
 */
async function excursion(tagIndex: number): Promise<{ mac: string }> {
  const tag = platform.creds.tags[tagIndex];
  const hub = platform.creds.hubs.find((h) => h.imei === tag.hub)!;
  const client = await connectAsync(platform.mqttUrl, {
    clientId: `khub-${hub.imei}`,
    username: hub.imei,
    password: hub.secret,
    reconnectPeriod: 0,
  });
  const now = Date.now();
  const hot = tag.profile.temperature.max + 4.5;
  const reading = (ts: number) => ({
    tag: tag.mac.toLowerCase().replace(/:/g, '-'),
    ts,
    temperature: hot,
    battery: 90,
  });
  const payload = {
    v: 1,
    hub: hub.imei,
    seq: (seq += 1),
    sentAt: new Date(now).toISOString(),
    readings: [reading(now - REORDER_TOLERANCE_MS - 20_000), reading(now - 5_000)],
  };
  await client.publishAsync(`khub/${hub.imei}/telemetry`, JSON.stringify(payload), { qos: 1 });
  await client.endAsync();
  return { mac: tag.mac };
}
let seq = 0;
/** Index of the first demo tag on hub `h` (one alert per hub: several on one hub would form a storm). */
const hubTag = (h: number) => platform.creds.tags.findIndex((t) => t.hub === platform.creds.hubs[h].imei);

beforeAll(async () => {
  sink = await SmtpSink.start();
  standIn = await TwilioStandIn.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'cc-fanout-'));
  const routing = join(dir, 'routing.yaml');
  writeFileSync(
    routing,
    [
      'tenants:',
      '  demo:',
      '    contacts:',
      `      - { id: dana, name: Dana Night, email: dana@demo.test, phone: "${DANA}", timeZone: Europe/Berlin }`,
      `      - { id: sam, name: Sam Day, email: sam@demo.test, phone: "${SAM}", timeZone: Europe/Berlin }`,
      '    defaultContacts: [dana, sam]',
    ].join('\n'),
  );
  env = {
    DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    TWILIO_ACCOUNT_SID: standIn.accountSid,
    TWILIO_AUTH_TOKEN: standIn.authToken,
    TWILIO_FROM: FROM,
    TWILIO_API_BASE_URL: standIn.baseUrl,
    ACK_LINK_SECRET: ACK_SECRET,
    NOTIFY_ROUTING_FILE: routing,
    NOTIFY_VOICE_AFTER_MS: String(VOICE_AFTER_MS),
    SIM_TAGS_PER_HUB: '2',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'error',
  };
  platform = await startPlatform(env);
  await login();
}, 60_000);

afterAll(async () => {
  await platform?.close();
  await standIn?.close();
  await sink?.close();
});

describe('alert fan-out in the embedded platform', () => {
  let alertA: string;
  let smsA: StandInMessage;

  it('emails and texts the on-call person when a hub reports an excursion', async () => {
    const { mac } = await excursion(hubTag(0));
    const [sms] = await standIn.waitForMessages(1);
    smsA = sms;
    alertA = alertKeyOf(sms);
    expect(alertA).toContain(mac);
    expect(sms).toMatchObject({ to: DANA, from: FROM });
    expect(sms.body).toMatch(/^CRIT .* Reply ACK \d{4}$/);
    expect(sms.statusCallback).toBe(
      `${base}/webhooks/twilio/status?d=${encodeURIComponent(`${alertA}|dana|sms`)}`,
    );

    const [mail] = await sink.waitForMessages(1);
    expect(mail.envelope.to).toEqual(['dana@demo.test']);
    expect(mail.parsed.subject).toMatch(/^\[CRITICAL\]/);
    expect(mail.parsed.text).toContain(`${base}/ack?token=`);
    expect(mail.parsed.headers.get('x-coldchain-alert-key')).toBe(alertA);
  });

  it('refuses unsigned and forged Twilio callbacks with 403 and records nothing', async () => {
    const params = { MessageSid: smsA.sid, MessageStatus: 'failed', AccountSid: standIn.accountSid };
    const forged = await standIn.postForm(smsA.statusCallback!, params, {
      signature: 'bm90IGEgc2lnbmF0dXJl',
    });
    expect(forged.status).toBe(403);
    const unsigned = await fetch(smsA.statusCallback!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(403);
    const inbound = await standIn.postForm(
      `${base}/webhooks/twilio/sms/inbound`,
      { MessageSid: 'SMx', From: DANA, To: FROM, Body: 'ACK 0000' },
      { signature: 'AAAA' },
    );
    expect(inbound.status).toBe(403);

    const res = await fetch(`${base}/api/v1/alerts/${encodeURIComponent(alertA)}/notifications`, {
      headers: { authorization: auth() },
    });
    const body = (await res.json()) as {
      deliveries: Array<{ channel: string; statusHistory: unknown[] }>;
      acknowledgements: unknown[];
    };
    expect(body.deliveries.find((d) => d.channel === 'sms')!.statusHistory).toEqual([]);
    expect(body.acknowledgements).toEqual([]);
  });

  it('records signed status callbacks per alert', async () => {
    expect((await standIn.sendMessageStatus(smsA.sid, 'sent')).status).toBe(200);
    expect((await standIn.sendMessageStatus(smsA.sid, 'delivered')).status).toBe(200);
    const res = await fetch(`${base}/api/v1/alerts/${encodeURIComponent(alertA)}/notifications`, {
      headers: { authorization: auth() },
    });
    const { deliveries } = (await res.json()) as {
      deliveries: Array<{
        channel: string;
        state: string;
        providerStatus?: string;
        statusHistory: Array<{ raw: string }>;
      }>;
    };
    expect(deliveries.map((d) => `${d.channel}:${d.state}`).sort()).toEqual(['email:sent', 'sms:sent']);
    const sms = deliveries.find((d) => d.channel === 'sms')!;
    expect(sms.providerStatus).toBe('delivered');
    expect(sms.statusHistory.map((h) => h.raw)).toEqual(['sent', 'delivered']);
  });

  it('acknowledges by SMS reply "ACK nnnn", and escalation of that alert stops while others escalate', async () => {
    const code = /Reply ACK (\d{4})$/.exec(smsA.body)![1];
    const reply = await standIn.sendInboundSms(`${base}/webhooks/twilio/sms/inbound`, {
      from: DANA,
      to: FROM,
      body: `ACK ${code} on my way`,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Acknowledged. Escalation stopped.');

    // A second excursion on another hub, routed after A: its voice step falls due after A's would
    // have. Once B's call is placed, A's call would have been placed before it, had A not been acknowledged.
    await excursion(hubTag(1));
    const [, smsB] = await standIn.waitForMessages(2);
    const alertB = alertKeyOf(smsB);
    const [call] = await standIn.waitForCalls(1);
    expect(call.to).toBe(DANA);
    expect(keyOf(/<Gather[^>]*action="([^"]+)"/.exec(call.twiml!)![1].replace(/&amp;/g, '&'))).toBe(
      `${alertB}|dana|voice`,
    );
    expect(standIn.calls.filter((c) => c.twiml?.includes(encodeURIComponent(alertA)))).toEqual([]);

    const res = await fetch(`${base}/api/v1/alerts/${encodeURIComponent(alertA)}/notifications`, {
      headers: { authorization: auth() },
    });
    const { acknowledgements, deliveries } = (await res.json()) as {
      acknowledgements: unknown[];
      deliveries: Array<{ channel: string }>;
    };
    expect(acknowledgements).toEqual([
      expect.objectContaining({
        alertKey: alertA,
        actor: 'dana',
        via: 'sms',
        comment: 'on my way',
        tenantId: 'demo',
      }),
    ]);
    expect(deliveries.map((d) => d.channel).sort()).toEqual(['email', 'sms']); // no voice for A

    // Keypad 1 on B's call acknowledges B.
    const gathered = await standIn.sendGatherDigits(call.sid, '1');
    expect(gathered.status).toBe(200);
    expect(gathered.body).toContain('acknowledged');
  });

  it('acknowledges from the API and from the emailed link; refuses expired and forged links clearly', async () => {
    const [mail] = sink.messages;
    const link = /(http:\/\/127\.0\.0\.1:\d+\/ack\?token=[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')![1];
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Already acknowledged by dana');
    const token = new URL(link).searchParams.get('token')!;
    const posted = await fetch(`${base}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, comment: 'checked the fridge' }).toString(),
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('already been acknowledged');

    const expired = createAckToken(ACK_SECRET, {
      alertKey: alertA,
      contactId: 'dana',
      expiresAt: Date.now() - 1,
    });
    const gone = await fetch(`${base}/ack?token=${expired}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('this acknowledgement link expired');
    const forged = createAckToken('someone-elses-secret-0123456789abcdef', {
      alertKey: alertA,
      contactId: 'dana',
      expiresAt: Date.now() + 60_000,
    });
    const bad = await fetch(`${base}/ack?token=${forged}`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('not valid');

    const api = await fetch(`${base}/api/v1/alerts/${encodeURIComponent(alertA)}/ack`, {
      method: 'POST',
      headers: { authorization: auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'stock moved' }),
    });
    expect(api.status).toBe(201);
    expect(await api.json()).toMatchObject({
      first: false,
      acknowledged: { actor: platform.creds.users[0].email, via: 'api', comment: 'stock moved' },
    });
    const res = await fetch(`${base}/api/v1/alerts/${encodeURIComponent(alertA)}/notifications`, {
      headers: { authorization: auth() },
    });
    const { acknowledgements } = (await res.json()) as { acknowledgements: Array<{ via: string }> };
    expect(acknowledgements.map((a) => a.via)).toEqual(['sms', 'link', 'api']);
    const unknown = await fetch(`${base}/api/v1/alerts/nope/ack`, {
      method: 'POST',
      headers: { authorization: auth() },
    });
    expect(unknown.status).toBe(404);
  });

  it('sends nothing twice when the notifier restarts between send and delivery callback, and still records the callback', async () => {
    // A third hub: an alert on a hub that alerted in the last two minutes would be texted in a storm summary.
    const tagIndex = hubTag(2);
    const smsBefore = standIn.messages.length;
    const mailsBefore = sink.messages.length;
    await excursion(tagIndex);
    const sms = (await standIn.waitForMessages(smsBefore + 1))[smsBefore];
    const alertC = alertKeyOf(sms);
    await sink.waitForMessages(mailsBefore + 1);

    await platform.close();
    platform = await startPlatform(env); // same DATA_DIR and port: resumes open alerts from the durable log
    // The token stays valid: sessions live in the metadata store and the JWT key in DATA_DIR.

    expect((await standIn.sendMessageStatus(sms.sid, 'delivered')).status).toBe(200);
    const res = await fetch(`${base}/api/v1/alerts/${encodeURIComponent(alertC)}/notifications`, {
      headers: { authorization: auth() },
    });
    const { deliveries } = (await res.json()) as {
      deliveries: Array<{ channel: string; attempts: number; providerStatus?: string }>;
    };
    expect(deliveries.find((d) => d.channel === 'sms')).toMatchObject({
      attempts: 1,
      providerStatus: 'delivered',
    });
    expect(standIn.messages.filter((m) => alertKeyOf(m) === alertC)).toHaveLength(1);
    expect(
      sink.messages.filter((m) => m.parsed.headers.get('x-coldchain-alert-key') === alertC),
    ).toHaveLength(1);
  });
});
