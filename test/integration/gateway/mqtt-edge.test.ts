import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectAsync, type MqttClient } from 'mqtt';
import { CONTRACT_LIMITS, DEAD_LETTER_LIMITS } from '@coldchain/contract';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { repositoriesOf, type MetadataHarness } from '../../support/metadata.js';

let platform: RunningPlatform;
let telemetry: TelemetryStorePort;
let metadata: MetadataHarness;
const clients: MqttClient[] = [];
let seq = 0;
const T = Date.UTC(2026, 10, 23, 6, 0, 0);

async function hub(i: number, password?: string): Promise<MqttClient> {
  const h = platform.creds.hubs[i];
  const client = await connectAsync(platform.mqttUrl, {
    clientId: `khub-${h.imei}-${seq++}`,
    username: h.imei,
    password: password ?? h.secret,
    reconnectPeriod: 0,
    clean: true,
  });
  clients.push(client);
  return client;
}

const tagsOf = (i: number) =>
  platform.creds.tags.filter((t) => t.hub === platform.creds.hubs[i].imei).map((t) => t.mac);

function telemetryPayload(i: number, readings: unknown[], overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1,
    hub: platform.creds.hubs[i].imei,
    seq: seq++,
    sentAt: T,
    readings,
    ...overrides,
  });
}

/** Resolves with 'acked' on PUBACK, 'closed' if the broker dropped the connection, 'pending' after `ms`. */
function publishOutcome(
  client: MqttClient,
  topic: string,
  payload: string | Buffer,
  ms = 1500,
): Promise<string> {
  return Promise.race([
    client.publishAsync(topic, payload, { qos: 1 }).then(() => 'acked'),
    new Promise<string>((resolve) => client.once('close', () => resolve('closed'))),
    new Promise<string>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${platform.httpUrl}/metrics`)).text();
  // `name` includes its labels when it has any, exactly as exposed: coldchain_x_total{reason="y"}.
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.split(' ').pop()) : 0;
}

beforeAll(async () => {
  platform = await startPlatform();
  telemetry = platform.app.get(TELEMETRY_STORE);
  metadata = repositoriesOf(platform.app);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await platform.close();
});

describe('MQTT edge (embedded aedes broker)', () => {
  it('acknowledges a valid QoS 1 message only once its readings are stored', async () => {
    const client = await hub(0);
    const [tag] = tagsOf(0);
    const topic = `khub/${platform.creds.hubs[0].imei}/telemetry`;
    await client.publishAsync(
      topic,
      telemetryPayload(0, [{ tag: tag.toLowerCase(), ts: T, temperature: 5.5 }]),
      { qos: 1 },
    );
    // PUBACK received: the reading must already be readable, no waiting.
    const stored = await telemetry.readings({ tenantId: 'demo', tag, from: T, to: T + 1, limit: 5 });
    expect(stored).toMatchObject([{ tag, temperature: 5.5, hub: platform.creds.hubs[0].imei }]);
  });

  it('refuses wrong credentials with CONNACK 4 and counts the failure', async () => {
    const before = await metric('coldchain_mqtt_auth_failures_total');
    await expect(hub(0, 'not-the-secret')).rejects.toMatchObject({ code: 4 });
    await expect(
      connectAsync(platform.mqttUrl, { username: '490154203237518', password: 'x', reconnectPeriod: 0 }),
    ).rejects.toMatchObject({ code: 4 });
    expect(await metric('coldchain_mqtt_auth_failures_total')).toBe(before + 2);
  });

  it("drops a hub publishing under another hub's topic, while other hubs keep flowing", async () => {
    const intruder = await hub(1);
    const victimTopic = `khub/${platform.creds.hubs[0].imei}/telemetry`;
    const outcome = await publishOutcome(
      intruder,
      victimTopic,
      telemetryPayload(0, [{ tag: tagsOf(0)[0], ts: T + 5, temperature: 4 }]),
    );
    expect(outcome).toBe('closed');
    expect(
      await telemetry.readings({ tenantId: 'demo', tag: tagsOf(0)[0], from: T + 5, to: T + 6, limit: 5 }),
    ).toEqual([]);
    expect(
      await metric('coldchain_readings_rejected_total{reason="topic_not_allowed"}'),
    ).toBeGreaterThanOrEqual(1);
    const honest = await hub(2);
    const [tag] = tagsOf(2);
    await honest.publishAsync(
      `khub/${platform.creds.hubs[2].imei}/telemetry`,
      telemetryPayload(2, [{ tag, ts: T + 7, temperature: 3 }]),
      { qos: 1 },
    );
    expect(
      await telemetry.readings({ tenantId: 'demo', tag, from: T + 7, to: T + 8, limit: 5 }),
    ).toHaveLength(1);
  });

  it("refuses a subscription to another hub's downlink (SUBACK 0x80) and grants its own", async () => {
    const client = await hub(1);
    const own = await client.subscribeAsync(`khub/${platform.creds.hubs[1].imei}/config`, { qos: 1 });
    expect(own[0].qos).toBe(1);
    // mqtt.js turns a SUBACK return code 0x80 into a rejection carrying the packet.
    await expect(
      client.subscribeAsync(`khub/${platform.creds.hubs[0].imei}/config`, { qos: 1 }),
    ).rejects.toMatchObject({
      packet: { granted: [128] },
    });
  });

  it.each([
    ['malformed JSON', () => '{"v":1,"hub":', 'malformed_json'],
    [
      'a payload whose hub differs from its topic',
      () => telemetryPayload(0, [], { hub: platform.creds.hubs[1].imei }),
      'hub_mismatch',
    ],
    ['an unsupported version', () => telemetryPayload(0, [], { v: 9 }), 'unsupported_version'],
    [
      'an oversized payload',
      () => Buffer.alloc(CONTRACT_LIMITS.maxPayloadBytes + 10, 0x41),
      'payload_too_large',
    ],
    [
      'too many readings',
      () =>
        telemetryPayload(
          0,
          Array.from({ length: CONTRACT_LIMITS.maxReadingsPerMessage + 1 }, (_, i) => ({
            tag: tagsOf(0)[0],
            ts: T + i,
            temperature: 5,
          })),
        ),
      'too_many_readings',
    ],
  ])(
    'acknowledges %s, dead-letters it with its payload prefix, size and reason, and stays up',
    async (_what, payload, reason) => {
      const client = await hub(0);
      const before = await metric(`coldchain_readings_rejected_total{reason="${reason}"}`);
      const body = payload();
      const outcome = await publishOutcome(client, `khub/${platform.creds.hubs[0].imei}/telemetry`, body);
      expect(outcome).toBe('acked');
      const [last] = await metadata.deadLetters.listDeadLetters(1);
      expect(last.reason).toBe(reason);
      const raw = Buffer.from(body);
      const prefix = raw.subarray(0, DEAD_LETTER_LIMITS.payloadPrefixBytes);
      expect(Buffer.from(last.payloadPrefixBase64, 'base64').equals(prefix)).toBe(true);
      expect(last.payloadBytes).toBe(raw.length);
      expect(await metric(`coldchain_readings_rejected_total{reason="${reason}"}`)).toBeGreaterThan(before);
      // The same connection still works.
      const [tag] = tagsOf(0);
      const ts = T + 10_000 + seq;
      expect(
        await publishOutcome(
          client,
          `khub/${platform.creds.hubs[0].imei}/telemetry`,
          telemetryPayload(0, [{ tag, ts, temperature: 4 }]),
        ),
      ).toBe('acked');
      expect(
        await telemetry.readings({ tenantId: 'demo', tag, from: ts, to: ts + 1, limit: 1 }),
      ).toHaveLength(1);
    },
  );

  it('stores the good readings of a partly bad message and dead-letters the bad ones with their indexes', async () => {
    const client = await hub(0);
    const [good, alsoGood] = tagsOf(0);
    const otherTenantTag = 'DE:AD:BE:EF:00:01';
    await client.publishAsync(
      `khub/${platform.creds.hubs[0].imei}/telemetry`,
      telemetryPayload(0, [
        { tag: good, ts: T + 100, temperature: 4.5 },
        { tag: otherTenantTag, ts: T + 100, temperature: 4.5 },
        { tag: alsoGood, ts: T + 100, temperature: '__INFINITY__' },
        { tag: alsoGood, ts: T + 101, humidity: 55 },
      ]).replace('"__INFINITY__"', '1e999'), // JSON.parse turns 1e999 into Infinity
      { qos: 1 },
    );
    expect(
      await telemetry.readings({ tenantId: 'demo', tag: good, from: T + 100, to: T + 101, limit: 5 }),
    ).toHaveLength(1);
    expect(
      await telemetry.readings({ tenantId: 'demo', tag: alsoGood, from: T + 100, to: T + 102, limit: 5 }),
    ).toMatchObject([{ ts: T + 101, humidity: 55 }]);
    const [last] = await metadata.deadLetters.listDeadLetters(1);
    expect(last.rejections.map((r) => [r.index, r.reason])).toEqual([
      [1, 'unknown_tag'],
      [2, 'invalid_value'],
    ]);
  });

  it('withholds PUBACK while the store cannot take readings, and acknowledges once it can', async () => {
    const client = await hub(1);
    const [tag] = tagsOf(1);
    const topic = `khub/${platform.creds.hubs[1].imei}/telemetry`;
    await telemetry.close(); // the store now refuses writes with a retriable error; the bus keeps retrying
    const published = client.publishAsync(
      topic,
      telemetryPayload(1, [{ tag, ts: T + 500, temperature: 6 }]),
      { qos: 1 },
    );
    const early = await Promise.race([
      published.then(() => 'acked'),
      new Promise((r) => setTimeout(() => r('pending'), 1500)),
    ]);
    expect(early).toBe('pending');
    await telemetry.start(); // store back: the bus's next retry succeeds, then PUBACK
    await published;
    expect(
      await telemetry.readings({ tenantId: 'demo', tag, from: T + 500, to: T + 501, limit: 5 }),
    ).toHaveLength(1);
  });

  it('answers /health with every component up and counts connected hubs', async () => {
    const res = await fetch(`${platform.httpUrl}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; components: Record<string, string> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.components).sort()).toEqual([
      'backup', // the backup plan (libs/backup): degraded when a backup failed or was missed
      'bus',
      'ingest',
      'metadata-store',
      'mqtt',
      'notification-log', // the durable delivery log the notifier and the API share
      'notifier',
      'telemetry-store',
    ]);
    expect(await metric('coldchain_mqtt_connected_hubs')).toBeGreaterThanOrEqual(1);
  });
});
