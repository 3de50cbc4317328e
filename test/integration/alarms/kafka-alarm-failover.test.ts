import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBus, type Subscription } from '@coldchain/bus';
import { ALERTS_TOPIC, TELEMETRY_TOPIC } from '@coldchain/contract';
import type { AlertEvent, TelemetryRecord } from '@coldchain/domain';
import type { DemoCredentials } from '../../../apps/platform/src/demo-tenant.js';
import { ensureInfra, type Endpoints } from '../../support/infra.js';
import { eventually, freePort, seedDemoStore, startApp, type AppProcess } from '../../support/process.js';

/**
 * Alarm state across a failover, on the real Kafka pipeline: two ingest processes in one consumer
 * group (Kafka, InfluxDB, PostgreSQL). A tag's temperature excursion starts;
 * the instance that raised its alarm is SIGKILLed in the middle of the
 * excursion; the other instance takes the partition over (restoring the alarm
 * state from the changelog), the killed one is restarted, and the values return
 * to the band. After de-duplication by `key`, the alerts topic carries exactly
 * one `raised` and one `cleared` for (tag, rule), belonging to one episode.
 *
 * Readings are published straight to `coldchain.telemetry.v1` (what the
 * gateway does), one per measured minute of a past morning, received when
 * measured. The demo profile has no rules: critical `temperature.high` above
 * 8 °C without delay.
 */
const run = randomUUID().slice(0, 8);
const NS = `it-alarm-${run}.`;
const T = Date.UTC(2026, 10, 24, 6, 0, 0);
const MIN = 60_000;
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

let endpoints: Endpoints;
let env: Record<string, string>;
const apps: AppProcess[] = [];
let bus: KafkaBus;
let creds: DemoCredentials;

const healthy = (url: string) => async () =>
  (await fetch(`${url}/health`)).status === 200 ? true : undefined;

async function startIngest(port: number): Promise<AppProcess> {
  const app = startApp('dist/apps/ingest/src/main.js', { ...env, PORT: String(port) });
  apps.push(app);
  await eventually(healthy(`http://127.0.0.1:${port}`), 60_000, 'ingest healthy');
  return app;
}

/** A counter of one instance's /metrics, by its name and label text (0 when down or absent). */
async function counter(port: number, name: string, labels: string): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const m = new RegExp(`^${name}\\{${labels}\\} (\\d+)`, 'm').exec(text);
    return Number(m?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** `coldchain_alert_events_total{transition}` of one instance (0 when down). */
const alertsEmitted = (port: number, transition: string): Promise<number> =>
  counter(port, 'coldchain_alert_events_total', `transition="${transition}"`);

function records(tag: string, hub: string, fromMinute: number, celsius: number[]): TelemetryRecord[] {
  return celsius.map((c, i) => {
    const ts = T + (fromMinute + i) * MIN;
    return {
      v: 1,
      tenantId: 'demo',
      hub,
      tag,
      hubSeq: fromMinute + i,
      sentAt: ts,
      receivedAt: ts,
      readings: [{ ts, temperature: c }],
    };
  });
}

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka', 'influxdb', 'postgres']);
  env = {
    ...endpoints.env,
    BUS: 'kafka',
    TELEMETRY_STORE: 'influxdb',
    METADATA_STORE: 'postgres',
    KAFKA_NAMESPACE: NS,
    KAFKA_PARTITIONS: '2',
    DATABASE_SCHEMA: `it_alarm_${run.replace(/-/g, '_')}`,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-alarm-')),
    LOG_LEVEL: 'warn',
    SIM_HUBS: '0',
    ALARM_TICK_INTERVAL_MS: '1000',
    // Checkpoints (changelog write, then offset commit) every second, so one lands before the kill.
    INGEST_COMMIT_INTERVAL_MS: '1000',
  };
  bus = new KafkaBus({
    brokers: endpoints.kafkaBrokers,
    clientId: `it-alarm-${run}`,
    namespace: NS,
    partitions: 2,
    log: quiet,
  });
  await bus.start();
}, 600_000);

afterAll(async () => {
  for (const a of apps) if (a.child.exitCode === null) a.child.kill('SIGKILL');
  await Promise.all(apps.map((a) => a.exited));
  await bus?.close();
});

describe('alarm engine on the Kafka pipeline: an ingest instance killed mid-excursion', () => {
  it('delivers exactly one raised and one cleared for (tag, rule), none missing, none duplicated after de-duplication by key', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    // The separate apps never seed: the seed command puts the demo tenant (profile 2–8 °C) into PostgreSQL.
    await seedDemoStore(env);
    await startIngest(portA);
    creds = JSON.parse(readFileSync(join(env.DATA_DIR, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    await startIngest(portB);
    const { mac: tag, hub } = creds.tags.find((t) => t.profile.temperature.max === 8)!; // the 2–8 °C profile

    const alerts: AlertEvent[] = [];
    const sub: Subscription = await bus.subscribe(ALERTS_TOPIC, { group: `alerts-${run}` }, async (b) => {
      alerts.push(...b.values);
    });
    try {
      const ofRule = () => alerts.filter((e) => e.tag === tag && e.rule === 'temperature.high');

      // In band for 5 min, then above 8 °C: raised at minute 5 (the 2-min reorder window releases it).
      await bus.publish(
        TELEMETRY_TOPIC,
        records(tag, hub, 0, [5, 5, 5, 5, 5, 10, 10, 10, 10, 10]).map((r) => ({ key: tag, value: r })),
      );
      await eventually(
        async () => (ofRule().some((e) => e.transition === 'raised') ? true : undefined),
        120_000,
        'raised',
      );
      // Kill the instance that raised it, in the middle of the excursion, right after more excursion readings.
      const owner = (await alertsEmitted(portA, 'raised')) > 0 ? 0 : 1;
      const killed = apps[owner];
      // Its checkpoint wrote the raised state to the changelog (and committed the offsets it covers).
      await eventually(
        async () =>
          (await counter(
            owner === 0 ? portA : portB,
            'coldchain_alarm_state_snapshots_total',
            'op="written"',
          )) > 0
            ? true
            : undefined,
        30_000,
        'a checkpoint of the owner',
      );
      await bus.publish(
        TELEMETRY_TOPIC,
        records(tag, hub, 10, Array<number>(10).fill(11)).map((r) => ({ key: tag, value: r })),
      );
      killed.child.kill('SIGKILL');
      await killed.exited;

      // The rest of the excursion and the return to the band, processed by the survivor (after the
      // session timeout) and by the restarted instance, whichever the group gives the partition to.
      await bus.publish(
        TELEMETRY_TOPIC,
        records(tag, hub, 20, [...Array<number>(5).fill(10), ...Array<number>(15).fill(5)]).map((r) => ({
          key: tag,
          value: r,
        })),
      );
      await startIngest(owner === 0 ? portA : portB);
      await eventually(
        async () => (ofRule().some((e) => e.transition === 'cleared') ? true : undefined),
        180_000,
        'cleared',
      );

      // Wait until the ingest group committed every telemetry record, so nothing can still be on its way.
      const kafka = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      try {
        await eventually(
          async () => {
            const ends = await admin.fetchTopicOffsets(`${NS}${TELEMETRY_TOPIC.name}`);
            const [committed] = await admin.fetchOffsets({
              groupId: `${NS}coldchain-ingest`,
              topics: [`${NS}${TELEMETRY_TOPIC.name}`],
            });
            // A partition that never had a record has no committed offset (-1).
            const drained = ends.every(
              (e) =>
                e.high === e.low ||
                committed.partitions.find((p) => p.partition === e.partition)?.offset === e.high,
            );
            return drained ? true : undefined;
          },
          120_000,
          'telemetry committed to the end',
        );
      } finally {
        await admin.disconnect();
      }
      // Alerts published before the commit are in Kafka; let the collector read up to their end.
      const published = await eventually(
        async () => {
          const before = alerts.length;
          await new Promise((r) => setTimeout(r, 2000));
          return alerts.length === before ? alerts.length : undefined;
        },
        60_000,
        'alerts collector settled',
      );
      expect(published).toBeGreaterThanOrEqual(2);

      const byKey = new Map(ofRule().map((e) => [e.key, e]));
      const transitions = [...byKey.values()].sort(
        (a, b) => (a.endedAt ?? a.startedAt) - (b.endedAt ?? b.startedAt),
      );
      expect(transitions.map((e) => `${e.transition} ${e.severity}`)).toEqual([
        'raised critical',
        'cleared critical',
      ]);
      const [raised, cleared] = transitions;
      expect(raised.startedAt).toBe(T + 5 * MIN);
      expect(cleared.startedAt).toBe(raised.startedAt);
      expect(cleared.endedAt).toBe(T + 25 * MIN);
      expect(raised).toMatchObject({ tenantId: 'demo', hub, profileVersion: expect.any(Number) });
      // The state came back from the changelog: a live instance restored the tag's snapshot.
      const restored = (port: number) =>
        counter(port, 'coldchain_alarm_state_snapshots_total', 'op="restored"');
      expect((await restored(portA)) + (await restored(portB))).toBeGreaterThanOrEqual(1);
      // No other rule of the tag fired (temperature.low stayed normal).
      expect(alerts.filter((e) => e.tag === tag && e.rule !== 'temperature.high')).toEqual([]);
    } finally {
      await sub.close();
    }
  }, 600_000);
});
