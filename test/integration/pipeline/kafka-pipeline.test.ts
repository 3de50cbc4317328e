import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { type ColdchainMetrics, METRICS } from '@coldchain/observability';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { ensureInfra, startEngine, stopEngine, type Endpoints } from '../../support/infra.js';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { eventually } from '../../support/process.js';
import { repositoriesOf } from '../../support/metadata.js';

const T = Date.UTC(2026, 10, 23, 4, 0, 0);
let endpoints: Endpoints;
let seq = 0;

function message(imei: string, readings: unknown[]): string {
  return JSON.stringify({ v: 1, hub: imei, seq: seq++, sentAt: T, readings });
}

async function hubClient(platform: RunningPlatform, i: number, url = platform.mqttUrl): Promise<MqttClient> {
  const h = platform.creds.hubs[i];
  return connectAsync(url, {
    clientId: `khub-${h.imei}-${randomUUID().slice(0, 6)}`,
    username: h.imei,
    password: h.secret,
    clean: false,
    reconnectPeriod: 500,
  });
}

const stored = (platform: RunningPlatform, tag: string, from: number, to: number) =>
  platform.app
    .get<TelemetryStorePort>(TELEMETRY_STORE)
    .readings({ tenantId: 'demo', tag, from, to, limit: 10_000 });

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka', 'mosquitto', 'influxdb', 'postgres']);
}, 600_000);

describe('production pipeline: embedded MQTT broker → Kafka → InfluxDB, metadata in PostgreSQL', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    const run = randomUUID().slice(0, 8);
    platform = await startPlatform({
      ...endpoints.env,
      BUS: 'kafka',
      KAFKA_NAMESPACE: `it-${run}.`,
      TELEMETRY_STORE: 'influxdb',
      METADATA_STORE: 'postgres',
      DATABASE_SCHEMA: `it_pipeline_${run.replace(/-/g, '_')}`,
    });
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  it('carries a reading from MQTT through Kafka into InfluxDB', async () => {
    const client = await hubClient(platform, 0);
    const tag = platform.creds.tags.find((t) => t.hub === platform.creds.hubs[0].imei)!.mac;
    await client.publishAsync(
      `khub/${platform.creds.hubs[0].imei}/telemetry`,
      message(platform.creds.hubs[0].imei, [{ tag, ts: T, temperature: 5 }]),
      { qos: 1 },
    );
    await client.endAsync();
    const rows = await eventually(
      async () => ((await stored(platform, tag, T, T + 1)).length === 1 ? true : undefined),
      30_000,
      'reading stored',
    );
    expect(rows).toBe(true);
  });

  it('dead-letters malformed telemetry through the Kafka DLQ topic into the dead-letter store', async () => {
    const client = await hubClient(platform, 0);
    const body = `{"v":1,"hub":"${platform.creds.hubs[0].imei}","seq":"x"`;
    await client.publishAsync(`khub/${platform.creds.hubs[0].imei}/telemetry`, body, { qos: 1 });
    await client.endAsync();
    const metadata = repositoriesOf(platform.app);
    const letter = await eventually(
      async () =>
        (await metadata.deadLetters.listDeadLetters(20)).find(
          (d) => Buffer.from(d.payloadPrefixBase64, 'base64').toString() === body,
        ),
      30_000,
      'dead letter recorded',
    );
    expect(letter.reason).toBe('malformed_json');
  });

  it('withholds PUBACK while Kafka is down; the hub resends and nothing is lost', async () => {
    const imei = platform.creds.hubs[1].imei;
    const tag = platform.creds.tags.find((t) => t.hub === imei)!.mac;
    const client = await hubClient(platform, 1);
    await stopEngine('kafka');
    let acked = false;
    const publishing = client
      .publishAsync(`khub/${imei}/telemetry`, message(imei, [{ tag, ts: T + 1000, temperature: 6.5 }]), {
        qos: 1,
      })
      .then(() => (acked = true));
    try {
      await new Promise((r) => setTimeout(r, 3000));
      expect(acked).toBe(false);
    } finally {
      await startEngine('kafka');
    }
    await publishing; // mqtt.js resends the unacknowledged QoS 1 message after reconnecting
    await client.endAsync();
    await eventually(
      async () => ((await stored(platform, tag, T + 1000, T + 1001)).length === 1 ? true : undefined),
      60_000,
      'reading stored after Kafka came back',
    );
  }, 180_000);
});

/** Statuses of hubs nobody registered, left retained on the broker before the gateway subscribes. */
const RETAINED_STRANGERS = Array.from({ length: 30 }, (_, i) => `35693803565${String(i).padStart(4, '0')}`);

async function retainStatuses(url: string, payload: string): Promise<void> {
  const client = await connectAsync(url, { clientId: `it-retain-${randomUUID().slice(0, 8)}` });
  for (const imei of RETAINED_STRANGERS)
    await client.publishAsync(`khub/${imei}/status`, payload, { qos: 1, retain: true });
  await client.endAsync();
}

describe('pipeline on Kafka, external broker (Mosquitto) with a shared subscription', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    // More retained statuses of unknown hubs than the unauthenticated dead-letter burst (20):
    // the gateway must count them, not spend that budget on them.
    await retainStatuses(endpoints.mqttExternalUrl, 'online');
    platform = await startPlatform({
      BUS: 'kafka',
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      KAFKA_NAMESPACE: `it-${randomUUID().slice(0, 8)}.`,
      GATEWAY_MODE: 'external',
      MQTT_EXTERNAL_URL: endpoints.mqttExternalUrl,
      MQTT_SHARE_GROUP: `it-${randomUUID().slice(0, 8)}`,
      MQTT_EXTERNAL_CONNECTIONS: '2',
    });
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await retainStatuses(endpoints.mqttExternalUrl, ''); // an empty retained message clears the topic
  });

  it('stores what hubs publish to Mosquitto, and dead-letters an unregistered hub', async () => {
    const imei = platform.creds.hubs[2].imei;
    const tags = platform.creds.tags.filter((t) => t.hub === imei).map((t) => t.mac);
    const client = await hubClient(platform, 2, endpoints.mqttExternalUrl);
    for (let i = 0; i < 20; i++) {
      await client.publishAsync(
        `khub/${imei}/telemetry`,
        message(
          imei,
          tags.map((tag) => ({ tag, ts: T + 5000 + i, temperature: 3 })),
        ),
        { qos: 1 },
      );
    }
    const stranger = '356938035643809';
    await client.publishAsync(`khub/${stranger}/telemetry`, message(stranger, []), { qos: 1 });
    await client.endAsync();
    for (const tag of tags) {
      await eventually(
        async () => ((await stored(platform, tag, T + 5000, T + 5020)).length === 20 ? true : undefined),
        30_000,
        `20 readings of ${tag}`,
      );
    }
    const metadata = repositoriesOf(platform.app);
    const letter = await eventually(
      async () => (await metadata.deadLetters.listDeadLetters(50)).find((d) => d.hub === stranger),
      30_000,
      'unknown hub dead-lettered',
    );
    expect(letter.reason).toBe('unknown_hub');
    const retainedCounted = (
      await platform.app.get<ColdchainMetrics>(METRICS).unknownHubStatuses.get()
    ).values.find((v) => v.labels.retained === 'true');
    expect(retainedCounted?.value ?? 0).toBeGreaterThanOrEqual(RETAINED_STRANGERS.length);
    const strangerLetters = await metadata.deadLetters.listDeadLetters(500);
    expect(strangerLetters.filter((d) => RETAINED_STRANGERS.includes(d.hub))).toEqual([]);
  });
});
