import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaBus } from '@coldchain/bus';
import { TELEMETRY_TOPIC } from '@coldchain/contract';
import type { TelemetryRecord } from '@coldchain/domain';
import { ensureInfra, type Endpoints } from '../../support/infra.js';
import { eventually, freePort, seedDemoStore, startApp, type AppProcess } from '../../support/process.js';

/**
 * The graceful stop of ingest under overload, on Kafka and InfluxDB: InfluxDB
 * stops answering (a TCP proxy in front of it holds every request) while a
 * backlog waits in Kafka; on SIGTERM, ingest stops consuming, gives up the
 * flush it cannot finish within SHUTDOWN_TIMEOUT_MS and exits 75 on its own
 * (not by the kill timer, exit 1), leaving the readings it held uncommitted.
 * Once InfluxDB answers again, a restarted ingest stores every reading, and
 * each once (InfluxDB's count).
 */
const run = randomUUID().slice(0, 8);
const NS = `it-drain-${run}.`;
const TENANT = `drain-${run}`;
const T = Date.UTC(2026, 10, 25, 6, 0, 0);
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A TCP proxy to InfluxDB that can hold every byte (a store that hangs) and let them through again. */
class StallingProxy {
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  private server?: Server;
  port = 0;

  async start(target: URL): Promise<void> {
    this.server = createServer((client) => {
      const upstream = createConnection(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
        if (this.stalled) s.pause();
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  stall(): void {
    this.stalled = true;
    for (const s of this.sockets) s.pause();
  }

  resume(): void {
    this.stalled = false;
    for (const s of this.sockets) s.resume();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

let endpoints: Endpoints;
let env: Record<string, string>;
let bus: KafkaBus;
const proxy = new StallingProxy();
const apps: AppProcess[] = [];

async function startIngest(): Promise<{ app: AppProcess; port: number }> {
  const port = await freePort();
  const app = startApp('dist/apps/ingest/src/main.js', { ...env, PORT: String(port) });
  apps.push(app);
  await eventually(
    async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined),
    60_000,
    'ingest healthy',
  );
  return { app, port };
}

/** Readings of this run in InfluxDB, counted by InfluxDB itself (plain InfluxQL, not the adapter). */
async function storedCount(): Promise<number> {
  const [database, rp] = endpoints.influxBucket.split('/');
  const body = new URLSearchParams({
    db: database,
    q: `SELECT count("temperature") FROM "${database}"."${rp}"."readings" WHERE "tenant" = $tenant`,
    params: JSON.stringify({ tenant: TENANT }),
  });
  const answer = (await (
    await fetch(`${endpoints.influxUrl}/query`, {
      method: 'POST',
      body,
      headers: { authorization: `Token ${endpoints.env.INFLUX_TOKEN ?? ''}` },
    })
  ).json()) as { results: Array<{ error?: string; series?: Array<{ values: number[][] }> }> };
  if (answer.results[0].error) throw new Error(answer.results[0].error);
  return answer.results[0].series?.[0]?.values[0]?.[1] ?? 0;
}

/** `tags` tags × `perTag` readings each, minute by minute from `fromMinute`: one record per reading. */
function readings(
  fromMinute: number,
  tags: number,
  perTag: number,
): { key: string; value: TelemetryRecord }[] {
  const out: { key: string; value: TelemetryRecord }[] = [];
  for (let t = 0; t < tags; t++) {
    const tag =
      `D0:0D:${run.slice(0, 2)}:${run.slice(2, 4)}:00:${t.toString(16).padStart(2, '0')}`.toUpperCase();
    for (let i = 0; i < perTag; i++) {
      const ts = T + (fromMinute + i) * 60_000;
      out.push({
        key: tag,
        value: {
          v: 1,
          tenantId: TENANT,
          hub: '490154203237518',
          tag,
          hubSeq: fromMinute + i,
          sentAt: ts,
          receivedAt: ts,
          readings: [{ ts, temperature: 4 + (i % 3) }],
        },
      });
    }
  }
  return out;
}

/** A gauge or counter of the instance's /metrics, without labels (0 when absent). */
async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
}

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka', 'influxdb', 'postgres']);
  await proxy.start(new URL(endpoints.influxUrl));
  env = {
    ...endpoints.env,
    BUS: 'kafka',
    TELEMETRY_STORE: 'influxdb',
    METADATA_STORE: 'postgres',
    KAFKA_NAMESPACE: NS,
    KAFKA_PARTITIONS: '2',
    DATABASE_SCHEMA: `it_drain_${run.replace(/-/g, '_')}`,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-drain-')),
    LOG_LEVEL: 'log',
    SIM_HUBS: '0',
    INGEST_COMMIT_INTERVAL_MS: '1000',
    SHUTDOWN_TIMEOUT_MS: '8000',
  };
  await seedDemoStore(env);
  env.INFLUX_URL = `http://127.0.0.1:${proxy.port}`;
  bus = new KafkaBus({
    brokers: endpoints.kafkaBrokers,
    clientId: `it-drain-${run}`,
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
  await proxy.close();
});

describe('ingest stopped while InfluxDB hangs under a backlog', () => {
  it('exits on its own within SHUTDOWN_TIMEOUT_MS, and after a restart every reading is stored once', async () => {
    const first = await startIngest();
    const before = readings(0, 20, 100);
    await bus.publish(TELEMETRY_TOPIC, before);
    await eventually(
      async () => ((await storedCount()) === before.length ? true : undefined),
      60_000,
      'first readings stored',
    );

    proxy.stall();
    const backlog = readings(1000, 20, 1000);
    for (let i = 0; i < backlog.length; i += 5000)
      await bus.publish(TELEMETRY_TOPIC, backlog.slice(i, i + 5000));
    // Ingest holds readings it cannot write: the write-behind has them queued.
    await eventually(
      async () =>
        (await metric(first.port, 'coldchain_ingest_write_behind_readings')) > 0 ? true : undefined,
      30_000,
      'readings held by the write-behind',
    );

    first.app.child.kill('SIGTERM');
    const code = await first.app.exited;
    expect(first.app.output()).toContain('drain cut short');
    expect(code).toBe(75);

    proxy.resume();
    await startIngest();
    const all = before.length + backlog.length;
    const count = await eventually(
      async () => {
        const n = await storedCount();
        return n >= all ? n : undefined;
      },
      180_000,
      `all ${all} readings stored`,
    );
    expect(count).toBe(all);
  }, 400_000);
});
