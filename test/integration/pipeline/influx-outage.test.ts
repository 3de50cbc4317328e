import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { connectAsync } from 'mqtt';
import { TELEMETRY_TOPIC } from '@coldchain/contract';
import { type ColdchainMetrics, METRICS } from '@coldchain/observability';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import {
  ensureInfra,
  startEngine,
  stopEngine,
  stopInfra,
  type Endpoints,
  type InfraOptions,
} from '../../support/infra.js';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { eventually } from '../../support/process.js';

/**
 * InfluxDB stopped for 30 s under a steady MQTT stream: the gateway
 * keeps acknowledging (Kafka holds the readings), ingest stores nothing and
 * commits no offset while InfluxDB is down, resumes once it is back, and
 * every reading ends up stored exactly once.
 *
 * InfluxDB here is a private instance (its own COLDCHAIN_INFRA_DIR and free
 * ports, started by the same infra scripts), so that stopping it disturbs no
 * other test on the machine, and no other test's `infra/up.sh` brings it back
 * in the middle of the outage. Kafka and PostgreSQL are the shared ones. It is
 * started again in `finally`, and stopped and removed in `afterAll`.
 */
const OUTAGE_MS = 30_000;
/** One message (one reading per tag) every this many ms. */
const PUBLISH_EVERY_MS = 100;
const run = randomUUID().slice(0, 8);
// A measured-time range of its own (tags are fresh per run anyway).
const T = Date.UTC(2026, 10, 24, 3, 0, 0);
const INGEST_GROUP = 'coldchain-ingest'; // apps/ingest INGEST_GROUPS.telemetry

let endpoints: Endpoints;
let influx: InfraOptions;
let influxDir: string;
let platform: RunningPlatform;
let admin: Admin;
const namespace = `it-influx-${run}.`;

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka', 'postgres']);
  influxDir = await mkdtemp(join(tmpdir(), 'coldchain-influx-outage-'));
  const [influxPort, influxdRpcPort] = await freePorts(2);
  influx = {
    env: {
      COLDCHAIN_INFRA_DIR: influxDir,
      INFLUX_PORT: String(influxPort),
      INFLUXD_RPC_PORT: String(influxdRpcPort),
    },
  };
  const privateInflux = await ensureInfra(['influxdb'], influx);
  platform = await startPlatform({
    ...endpoints.env,
    INFLUX_URL: privateInflux.influxUrl,
    BUS: 'kafka',
    KAFKA_NAMESPACE: namespace,
    TELEMETRY_STORE: 'influxdb',
    METADATA_STORE: 'postgres',
    DATABASE_SCHEMA: `it_influx_outage_${run.replace(/-/g, '_')}`,
    // Checkpoints every 500 ms (the partitions in turn): batches stored before the stop are mostly
    // committed within the 1 s grace below. A later commit needs a store flush that resolves, i.e.
    // every reading handed over stored, which cannot happen while InfluxDB is down and hubs publish.
    INGEST_COMMIT_INTERVAL_MS: '500',
  });
  admin = new Kafka({
    clientId: 'it-influx-outage',
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
}, 600_000);

afterAll(async () => {
  await admin?.disconnect();
  await platform?.close();
  if (influx) await stopInfra(['influxdb'], influx);
  if (influxDir) await rm(influxDir, { recursive: true, force: true });
}, 180_000);

/** Distinct free TCP ports on 127.0.0.1, all held until every one is known. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** Committed offsets of the ingest group, per partition (-1 = none yet). */
async function committed(): Promise<number[]> {
  const [topic] = await admin.fetchOffsets({
    groupId: namespace + INGEST_GROUP,
    topics: [namespace + TELEMETRY_TOPIC.name],
  });
  return topic.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
}

/** Log-end offsets of the telemetry topic, per partition. */
async function logEnd(): Promise<number[]> {
  const offsets = await admin.fetchTopicOffsets(namespace + TELEMETRY_TOPIC.name);
  return offsets.sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + Math.max(0, x), 0);

async function ingestedTotal(): Promise<number> {
  const metrics = platform.app.get<ColdchainMetrics>(METRICS);
  return (await metrics.readingsIngested.get()).values.reduce((s, v) => s + v.value, 0);
}

describe('production pipeline with InfluxDB stopped for 30 s', () => {
  it('keeps taking readings over MQTT, commits nothing while InfluxDB is down, then stores every reading once', async () => {
    const hub = platform.creds.hubs[0];
    const tags = platform.creds.tags.filter((t) => t.hub === hub.imei).map((t) => t.mac);
    const client = await connectAsync(platform.mqttUrl, {
      clientId: `khub-${hub.imei}-${run}`,
      username: hub.imei,
      password: hub.secret,
      reconnectPeriod: 500,
    });
    let sent = 0;
    let acked = 0;
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        const i = sent++;
        await client.publishAsync(
          `khub/${hub.imei}/telemetry`,
          JSON.stringify({
            v: 1,
            hub: hub.imei,
            seq: i,
            sentAt: T + i * 1000,
            readings: tags.map((tag) => ({ tag, ts: T + i * 1000, temperature: 4 + (i % 20) / 10 })),
          }),
          { qos: 1 },
        );
        acked++;
        await new Promise((r) => setTimeout(r, PUBLISH_EVERY_MS));
      }
    })();

    try {
      // The pipeline works before the outage.
      await eventually(
        async () => ((await ingestedTotal()) > 0 ? true : undefined),
        60_000,
        'first readings stored',
      );

      let during: { acked: number; ingested: number; committed: number[]; logEnd: number[] };
      let before: typeof during;
      try {
        await stopEngine('influxdb', influx);
        // A batch whose write was answered just before the stop may still commit (at the next
        // checkpoint): let it.
        await new Promise((r) => setTimeout(r, 1000));
        before = {
          acked,
          ingested: await ingestedTotal(),
          committed: await committed(),
          logEnd: await logEnd(),
        };
        await new Promise((r) => setTimeout(r, OUTAGE_MS));
        during = {
          acked,
          ingested: await ingestedTotal(),
          committed: await committed(),
          logEnd: await logEnd(),
        };
      } finally {
        await startEngine('influxdb', influx);
      }

      // MQTT kept flowing: hubs were acknowledged and Kafka holds what they sent.
      expect(during.acked).toBeGreaterThan(before.acked);
      expect(sum(during.logEnd)).toBeGreaterThan(sum(before.logEnd));
      // Ingest paused: nothing stored, no offset committed.
      expect(during.ingested).toBe(before.ingested);
      expect(during.committed).toEqual(before.committed);

      publishing = false;
      await publisher;
      await client.endAsync();

      // Resumed: every reading of every tag stored once, in order, and the group caught up.
      const store = platform.app.get<TelemetryStorePort>(TELEMETRY_STORE);
      const expected = Array.from({ length: sent }, (_, i) => T + i * 1000);
      for (const tag of tags) {
        const rows = await eventually(
          async () => {
            const r = await store.readings({
              tenantId: 'demo',
              tag,
              from: T,
              to: T + sent * 1000,
              limit: 100_000,
            });
            return r.length >= sent ? r : undefined;
          },
          120_000,
          `${sent} readings of ${tag} after InfluxDB came back`,
        );
        expect(rows.map((r) => r.ts)).toEqual(expected);
      }
      const end = await logEnd();
      await eventually(
        async () => ((await committed()).every((c, p) => Math.max(0, c) === end[p]) ? true : undefined),
        60_000,
        'ingest group committed up to the log end',
      );
    } finally {
      publishing = false;
      await publisher.catch(() => undefined);
      await client.endAsync().catch(() => undefined);
    }
  }, 300_000);
});
