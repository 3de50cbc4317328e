import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import type { DemoCredentials } from '../../apps/platform/src/demo-tenant.js';
import { InfluxTelemetryStore } from '@coldchain/telemetry-store';
import { ensureInfra, type Endpoints } from '../support/infra.js';
import { eventually, freePort, seedDemoStore, startApp, type AppProcess } from '../support/process.js';

/**
 * The production stack as processes: one gateway and two ingest instances in
 * one consumer group on Kafka, InfluxDB and PostgreSQL. One ingest instance is
 * killed (SIGKILL) in the middle of the stream and started again: every reading
 * must be stored exactly once.
 */
const run = randomUUID().slice(0, 8);
const T = Date.UTC(2026, 10, 23, 2, 0, 0);
const MESSAGES = 150;
let endpoints: Endpoints;
let env: Record<string, string>;
const apps: AppProcess[] = [];
let gatewayHttp: string;
let mqttPort: number;

const healthy = (url: string) => async () =>
  (await fetch(`${url}/health`)).status === 200 ? true : undefined;

async function startIngest(port: number): Promise<AppProcess> {
  const app = startApp('dist/apps/ingest/src/main.js', { ...env, PORT: String(port) });
  apps.push(app);
  await eventually(healthy(`http://127.0.0.1:${port}`), 60_000, 'ingest healthy');
  return app;
}

async function ingested(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^coldchain_readings_ingested_total (\d+)/m.exec(text)?.[1] ?? 0);
}

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka', 'influxdb', 'postgres']);
  env = {
    ...endpoints.env,
    BUS: 'kafka',
    TELEMETRY_STORE: 'influxdb',
    METADATA_STORE: 'postgres',
    KAFKA_NAMESPACE: `e2e-${run}.`,
    KAFKA_PARTITIONS: '4',
    DATABASE_SCHEMA: `e2e_stack_${run.replace(/-/g, '_')}`,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-stack-')),
    LOG_LEVEL: 'warn',
    SIM_HUBS: '0',
  };
  // The separate apps never seed: the seed command puts the demo tenant, whose hubs this test drives, into PostgreSQL.
  await seedDemoStore(env);
  const port = await freePort();
  mqttPort = await freePort();
  gatewayHttp = `http://127.0.0.1:${port}`;
  apps.push(
    startApp('dist/apps/gateway/src/main.js', { ...env, PORT: String(port), MQTT_PORT: String(mqttPort) }),
  );
  await eventually(healthy(gatewayHttp), 60_000, 'gateway healthy');
}, 600_000);

afterAll(async () => {
  for (const a of apps) if (a.child.exitCode === null) a.child.kill('SIGKILL');
  await Promise.all(apps.map((a) => a.exited));
});

describe('production stack: gateway and two ingest instances on Kafka, InfluxDB, PostgreSQL', () => {
  it('splits the partitions between two instances and loses nothing when one is killed mid-stream', async () => {
    const creds = JSON.parse(
      readFileSync(join(env.DATA_DIR, 'demo-credentials.json'), 'utf8'),
    ) as DemoCredentials;
    const [portA, portB] = [await freePort(), await freePort()];
    const ingestA = await startIngest(portA);
    await startIngest(portB);

    const hub = creds.hubs[0];
    const tags = creds.tags.map((t) => t.mac); // every demo tag, relayed by one hub
    const client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      clientId: `khub-${hub.imei}`,
      username: hub.imei,
      password: hub.secret,
      reconnectPeriod: 500,
    });
    const publish = (i: number) =>
      client.publishAsync(
        `khub/${hub.imei}/telemetry`,
        JSON.stringify({
          v: 1,
          hub: hub.imei,
          seq: i,
          sentAt: T + i * 1000,
          readings: tags.map((tag) => ({ tag, ts: T + i * 1000, temperature: 4 + (i % 10) / 10 })),
        }),
        { qos: 1 },
      );
    for (let i = 0; i < MESSAGES / 2; i++) await publish(i);
    await eventually(
      async () => ((await ingested(portA)) > 0 ? true : undefined),
      60_000,
      'instance A ingesting',
    );
    ingestA.child.kill('SIGKILL'); // mid-stream: no graceful stop, uncommitted offsets are redelivered
    await ingestA.exited;
    for (let i = MESSAGES / 2; i < MESSAGES; i++) await publish(i);
    await client.endAsync();
    await startIngest(portA); // restarted: resumes from the group's last commit

    const store = new InfluxTelemetryStore({
      url: endpoints.influxUrl,
      token: endpoints.influxToken,
      org: endpoints.influxOrg,
      bucket: endpoints.influxBucket,
      positionsBucket: endpoints.influxPositionsBucket,
    });
    await store.start();
    try {
      for (const tag of tags) {
        await eventually(
          async () => {
            const rows = await store.readings({
              tenantId: 'demo',
              tag,
              from: T,
              to: T + MESSAGES * 1000,
              limit: 10_000,
            });
            return rows.length === MESSAGES ? rows : undefined;
          },
          120_000,
          `${MESSAGES} readings of ${tag}`,
        );
        const rows = await store.readings({
          tenantId: 'demo',
          tag,
          from: T,
          to: T + MESSAGES * 1000,
          limit: 10_000,
        });
        expect(rows.map((r) => r.ts)).toEqual(Array.from({ length: MESSAGES }, (_, i) => T + i * 1000));
      }
    } finally {
      await store.close();
    }
    // Both instances took part: B from the start, A again after its restart or before its death.
    expect(await ingested(portB)).toBeGreaterThan(0);
  }, 600_000);
});
