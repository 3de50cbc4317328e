import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import {
  hubTopic,
  imeiFromBody,
  validateTelemetryV1,
  type TelemetryPayloadV1,
  HUB_STATUS_TOPIC,
  TELEMETRY_TOPIC,
} from '@coldchain/contract';
import {
  loadScenarioFile,
  runScenario,
  startTestBroker,
  type Scenario,
  type ScenarioReport,
  type TestBroker,
} from '@coldchain/firmware-sim';
import { type BusPort, BUS } from '@coldchain/bus';
import { DEMO_TENANT } from '../../../apps/platform/src/demo-tenant.js';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { ensureInfra } from '../../support/infra.js';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';

/**
 * Store-and-forward end to end: a hub loses coverage for one hour
 * (simulated time, played as fast as the broker acknowledges), keeps
 * sampling into its queue, and once back replays every reading exactly
 * once, in measured order, with its original measured time. Run against the
 * platform itself (its embedded broker, gateway, bus, ingest and store: the
 * witness is a second consumer group on the bus, then the store), against a
 * stand-alone aedes broker with the same authentication and per-hub ACL, and
 * against Mosquitto (infra/up.sh, anonymous), with an independent subscriber
 * as the witness.
 */
const SCENARIO = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'gateway-firmware-sim',
  'scenarios',
  'offline-backfill.yaml',
);
const scenario: Scenario = loadScenarioFile(SCENARIO);
const START = Date.parse(scenario.start!);
const SAMPLING_MS = scenario.sampling; // 5 s
const OFFLINE_FROM = START + 3_600_000; // the file's network event: at 1h, for 1h
const OFFLINE_UNTIL = OFFLINE_FROM + 3_600_000;
const ROUNDS = scenario.duration / SAMPLING_MS + 1; // both ends included
const TAGS = scenario.tags.length;

interface Witnessed {
  telemetry: TelemetryPayloadV1[];
  status: string[];
}

/** What a witness saw, whichever it was: readings in arrival order, hub message numbers in arrival order, status changes. */
interface Arrivals {
  readings: Array<{ tag: string; seq?: number; ts: number; sentAt: number; hubSeq: number }>;
  hubSeqs: number[];
  status: string[];
}

/** Arrivals as an MQTT subscriber saw them. */
const fromMqtt = (seen: Witnessed): Arrivals => ({
  readings: seen.telemetry.flatMap((p) =>
    p.readings.map((r) => ({
      tag: r.tag,
      seq: r.seq,
      ts: r.ts as number,
      sentAt: p.sentAt as number,
      hubSeq: p.seq,
    })),
  ),
  hubSeqs: seen.telemetry.map((p) => p.seq),
  status: seen.status,
});

/** An independent QoS 1 subscriber to one hub's telemetry and status topics. */
async function witness(
  url: string,
  imei: string,
  auth?: { username: string; password: string },
): Promise<{ seen: Witnessed; client: MqttClient }> {
  const seen: Witnessed = { telemetry: [], status: [] };
  const client = await mqtt.connectAsync(url, {
    clientId: `witness-${imei}-${randomInt(1e9)}`,
    clean: true,
    reconnectPeriod: 0,
    ...auth,
  });
  client.on('message', (topic, payload) => {
    if (topic === hubTopic(imei, 'telemetry'))
      seen.telemetry.push(JSON.parse(payload.toString()) as TelemetryPayloadV1);
    else seen.status.push(payload.toString());
  });
  await client.subscribeAsync([hubTopic(imei, 'telemetry'), hubTopic(imei, 'status')], { qos: 1 });
  return { seen, client };
}

/** Resolves when `predicate` holds, checked on every message the witness receives. */
function until(
  client: MqttClient,
  predicate: () => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      client.removeListener('message', onMessage);
      resolve();
    };
    const onMessage = () => setImmediate(check);
    const timer = setTimeout(() => {
      client.removeListener('message', onMessage);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    client.on('message', onMessage);
    check();
  });
}

async function playAndWitness(
  url: string,
  imei: string,
  secret: string,
  witnessAuth?: { username: string; password: string },
): Promise<{ report: ScenarioReport; seen: Witnessed }> {
  const { seen, client } = await witness(url, imei, witnessAuth);
  try {
    const report = await runScenario(scenario, { brokerUrl: url, credentials: [{ imei, secret }] });
    await until(
      client,
      () => seen.telemetry.reduce((n, p) => n + p.readings.length, 0) >= ROUNDS * TAGS,
      'every reading at the witness',
    );
    return { report, seen };
  } finally {
    await client.endAsync();
  }
}

/** Every payload an MQTT witness saw is valid under the contract, every reading accepted. */
function expectValidPayloads(seen: Witnessed, imei: string): void {
  for (const p of seen.telemetry)
    expect(validateTelemetryV1(p, imei)).toMatchObject({ ok: true, rejected: [] });
}

function expectExactlyOnceInOrder(report: ScenarioReport, seen: Arrivals): void {
  expect(report).toMatchObject({
    drained: true,
    aborted: false,
    totals: { buffered: 0, dropped: 0, reconnects: 1 },
  });
  const arrived = seen.readings;
  // Exactly once: every (tag, counter) once, none missing.
  const keys = arrived.map((r) => `${r.tag}#${r.seq}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys).toHaveLength(ROUNDS * TAGS);
  // In measured order, with the original measured times: round k of every tag was measured at START + k × 5 s.
  const byTag = new Map<string, typeof arrived>();
  for (const r of arrived) byTag.set(r.tag, [...(byTag.get(r.tag) ?? []), r]);
  expect(byTag.size).toBe(TAGS);
  for (const readings of byTag.values()) {
    expect(readings.map((r) => r.seq)).toEqual(Array.from({ length: ROUNDS }, (_, k) => k));
    expect(readings.map((r) => r.ts)).toEqual(
      Array.from({ length: ROUNDS }, (_, k) => START + k * SAMPLING_MS),
    );
  }
  // Messages in measured order too: nothing in a later hub message was measured before anything in an earlier one.
  const span = new Map<number, { min: number; max: number }>();
  for (const r of arrived) {
    const m = span.get(r.hubSeq) ?? { min: r.ts, max: r.ts };
    span.set(r.hubSeq, { min: Math.min(m.min, r.ts), max: Math.max(m.max, r.ts) });
  }
  const spans = [...span.values()];
  for (let i = 1; i < spans.length; i++) expect(spans[i].min).toBeGreaterThanOrEqual(spans[i - 1].max);
  // The hour without coverage really was buffered: its readings went out only after coverage came back.
  const offline = arrived.filter((r) => r.ts > OFFLINE_FROM && r.ts < OFFLINE_UNTIL);
  expect(offline).toHaveLength((3_600_000 / SAMPLING_MS - 1) * TAGS);
  for (const r of offline) expect(r.sentAt).toBeGreaterThanOrEqual(OFFLINE_UNTIL);
  // Message numbering is per hub and has no gaps (nothing republished on a clean reconnect).
  expect(seen.hubSeqs).toEqual(seen.hubSeqs.map((_, i) => i));
  // The broker told the world: the will said offline during the outage, then online again.
  expect(seen.status).toEqual(expect.arrayContaining(['online', 'offline']));
  expect(seen.status.lastIndexOf('online')).toBeGreaterThan(seen.status.indexOf('offline'));
}

/** A fresh IMEI per run, so retained status and sessions of earlier runs on a shared broker do not interfere. */
const freshImei = () => imeiFromBody(`3569380${String(randomInt(10_000_000)).padStart(7, '0')}`);

describe('a one-hour offline window replays every reading exactly once, in order, with original measured times', () => {
  describe("against the platform's own embedded broker (gateway → bus → ingest → store, one process)", () => {
    let platform: RunningPlatform;
    beforeAll(async () => {
      platform = await startPlatform();
    });
    afterAll(async () => platform?.close());

    it('accepts the backlog after coverage returns and stores every reading once, at its measured time', async () => {
      const hub = platform.creds.hubs[0];
      const knownTags = platform.creds.tags.filter((t) => t.hub === hub.imei);
      expect(knownTags.length).toBeGreaterThanOrEqual(TAGS);
      const bus = platform.app.get<BusPort>(BUS);
      const store = platform.app.get<TelemetryStorePort>(TELEMETRY_STORE);

      // The witness: a consumer group of its own on the platform's bus sees what the gateway accepted, in order.
      const seen: Arrivals = { readings: [], hubSeqs: [], status: [] };
      const telemetry = await bus.subscribe(TELEMETRY_TOPIC, { group: 'backfill-witness' }, async (batch) => {
        for (const rec of batch.values) {
          if (rec.hub !== hub.imei) continue;
          if (seen.hubSeqs.at(-1) !== rec.hubSeq) seen.hubSeqs.push(rec.hubSeq);
          for (const r of rec.readings)
            seen.readings.push({
              tag: rec.tag,
              seq: r.seq,
              ts: r.ts,
              sentAt: rec.sentAt,
              hubSeq: rec.hubSeq,
            });
        }
      });
      const status = await bus.subscribe(HUB_STATUS_TOPIC, { group: 'backfill-witness' }, async (batch) => {
        for (const e of batch.values) if (e.hub === hub.imei) seen.status.push(e.status);
      });
      try {
        const report = await runScenario(scenario, {
          brokerUrl: platform.mqttUrl,
          credentials: [hub],
          knownTags: knownTags.slice(0, TAGS),
        });
        // The scenario drained: every message was PUBACKed, and the platform PUBACKs only what the bus accepted.
        expectExactlyOnceInOrder(report, seen);
        // Every tag is new to this platform (fresh DATA_DIR): the store holds each round of each tag once, at its measured time.
        const end = START + scenario.duration + 1;
        for (const { mac } of knownTags.slice(0, TAGS)) {
          const stored = await store.readings({
            tenantId: DEMO_TENANT.id,
            tag: mac,
            from: START,
            to: end,
            limit: 10_000,
          });
          expect(stored.map((r) => r.ts)).toEqual(
            Array.from({ length: ROUNDS }, (_, k) => START + k * SAMPLING_MS),
          );
        }
      } finally {
        await telemetry.close();
        await status.close();
      }
    });
  });

  describe('against the embedded kind of broker (aedes, IMEI/secret authentication, per-hub ACL)', () => {
    let broker: TestBroker;
    const imei = freshImei();
    beforeAll(async () => {
      broker = await startTestBroker({
        credentials: new Map([
          [imei, 'hub-secret'],
          ['witness', 'witness-secret'],
        ]),
        record: false,
      });
    });
    afterAll(async () => broker.close());

    it('replays the backlog after coverage returns', async () => {
      const { report, seen } = await playAndWitness(broker.url, imei, 'hub-secret', {
        username: 'witness',
        password: 'witness-secret',
      });
      expectValidPayloads(seen, imei);
      expectExactlyOnceInOrder(report, fromMqtt(seen));
    });
  });

  describe('against Mosquitto (bash infra/up.sh mosquitto, anonymous on 127.0.0.1:1884)', () => {
    let url: string;
    beforeAll(async () => {
      url = (await ensureInfra(['mosquitto'])).mqttExternalUrl;
    });

    it('replays the backlog after coverage returns, unchanged', async () => {
      const imei = freshImei();
      const { report, seen } = await playAndWitness(url, imei, 'unused-by-an-anonymous-broker');
      expectValidPayloads(seen, imei);
      expectExactlyOnceInOrder(report, fromMqtt(seen));
    });
  });
});
