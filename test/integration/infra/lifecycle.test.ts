import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { InfluxDB, setLogger } from '@influxdata/influxdb-client';
import kafkajs from 'kafkajs';
import mqtt from 'mqtt';
import pg from 'pg';
import {
  ensureInfra,
  killEngine,
  startEngine,
  stopEngine,
  stopInfra,
  type Endpoints,
  type InfraOptions,
} from '../../support/infra.js';

/**
 * Stop, start and crash of the engines through infra/down.sh and infra/up.sh,
 * as the failure tests will do them. Runs a private instance of the whole
 * stack (its own COLDCHAIN_INFRA_DIR and free ports, chosen through the same
 * environment variables a developer would use), so the shared stack that
 * other tests use is never stopped.
 */

const RUN_ID = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const { Kafka, logLevel, Partitioners } = kafkajs;
const TOPIC = `infra-lifecycle.${RUN_ID}`;

let options: InfraOptions;
let endpoints: Endpoints;
let infraDir: string;
let influxPorts: { http: number; rpc: number };

/** Distinct free TCP ports on 127.0.0.1, all held until every one is known. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    servers.push(server);
    ports.push(address.port);
  }
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

beforeAll(async () => {
  infraDir = await mkdtemp(path.join(tmpdir(), 'coldchain-infra-'));
  // The "postgres" and "mosquitto" system users must reach their folders in it.
  await chmod(infraDir, 0o755);
  const [kafka, controller, influx, influxdRpc, postgres, mosquitto] = await freePorts(6);
  influxPorts = { http: influx, rpc: influxdRpc };
  options = {
    env: {
      COLDCHAIN_INFRA_DIR: infraDir,
      KAFKA_PORT: String(kafka),
      KAFKA_CONTROLLER_PORT: String(controller),
      KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
      INFLUX_PORT: String(influx),
      INFLUXD_RPC_PORT: String(influxdRpc),
      PG_PORT: String(postgres),
      MOSQUITTO_PORT: String(mosquitto),
    },
  };
  endpoints = await ensureInfra(['kafka', 'influxdb', 'postgres', 'mosquitto'], options);
}, 600_000);

afterAll(async () => {
  if (options) await stopInfra([], options);
  if (infraDir) await rm(infraDir, { recursive: true, force: true });
}, 300_000);

function kafkaClient(): InstanceType<typeof Kafka> {
  return new Kafka({
    clientId: `infra-lifecycle-${RUN_ID}`,
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
}

async function produce(value: string): Promise<void> {
  const producer = kafkaClient().producer({
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'AC:23:3F:00:00:02', value }] });
  } finally {
    await producer.disconnect();
  }
}

/** Reads the topic from the start with a new consumer group until `count` messages arrived. */
async function consumeAll(count: number): Promise<string[]> {
  const consumer = kafkaClient().consumer({
    groupId: `infra-lifecycle-${RUN_ID}-${randomBytes(3).toString('hex')}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length >= count) resolve();
        },
      });
    });
    return values;
  } finally {
    await consumer.disconnect();
  }
}

async function influxCount(measurement: string): Promise<number> {
  const q = encodeURIComponent(`SELECT count("v") FROM "autogen"."${measurement}"`);
  const response = await fetch(`${endpoints.influxUrl}/query?db=coldchain&q=${q}`, {
    headers: { Authorization: `Token ${endpoints.influxToken}` },
  });
  const body = (await response.json()) as { results: Array<{ series?: Array<{ values: unknown[][] }> }> };
  const values = body.results[0].series?.[0]?.values;
  return values === undefined ? 0 : Number(values[0][1]);
}

/** Writes lines so that flush() reports their fate (no automatic batch, no background retry). */
function safeWriteApi() {
  return new InfluxDB({ url: endpoints.influxUrl, token: endpoints.influxToken }).getWriteApi(
    endpoints.influxOrg,
    endpoints.influxBucket,
    'ms',
    { batchSize: 1_000_000, maxBatchBytes: 512 * 1024 * 1024, flushInterval: 0, maxRetries: 0 },
  );
}

function lines(measurement: string, count: number, fromMs: number): string[] {
  return Array.from({ length: count }, (_, i) => `${measurement},tag=t${i % 8} v=${i} ${fromMs + i}`);
}

async function withPg<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: endpoints.databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function mqttRetained(topic: string): Promise<string> {
  const client = await mqtt.connectAsync(endpoints.mqttExternalUrl, {
    clientId: `infra-lc-${RUN_ID}`,
    reconnectPeriod: 0,
  });
  try {
    const message = new Promise<string>((resolve) => {
      client.on('message', (_topic, payload) => resolve(payload.toString()));
    });
    await client.subscribeAsync(topic, { qos: 1 });
    return await message;
  } finally {
    await client.endAsync();
  }
}

/** The TCP addresses (host:port) a process listens on, from `ss`. */
async function listenAddresses(pid: number): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ss', ['-H', '-ltnp']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3])
    .sort();
}

describe('engine lifecycle through infra/down.sh and infra/up.sh (private instance)', () => {
  it('runs influxd alone on INFLUX_URL’s port, with its backup RPC on loopback, and no proxy in front', async () => {
    const pid = Number((await readFile(path.join(infraDir, 'influxdb', 'influxd.pid'), 'utf8')).trim());
    expect(await listenAddresses(pid)).toEqual(
      [`127.0.0.1:${influxPorts.http}`, `127.0.0.1:${influxPorts.rpc}`].sort(),
    );
    expect(endpoints.influxUrl).toBe(`http://127.0.0.1:${influxPorts.http}`);
    const health = await fetch(`${endpoints.influxUrl}/health`);
    expect(health.status).toBe(200);
  });

  it('keeps every engine’s data across a full down and up', async () => {
    const admin = kafkaClient().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }], waitForLeaders: true });
    await admin.disconnect();
    await produce('before-restart');

    const writeApi = safeWriteApi();
    writeApi.writeRecords(lines('lc_kept', 1_000, Date.UTC(2026, 0, 1)));
    await writeApi.flush();
    await writeApi.close();

    await withPg((c) =>
      c.query('CREATE TABLE lc_kept (id integer PRIMARY KEY); INSERT INTO lc_kept VALUES (1), (2), (3)'),
    );

    const publisher = await mqtt.connectAsync(endpoints.mqttExternalUrl, {
      clientId: `infra-lc-pub-${RUN_ID}`,
      reconnectPeriod: 0,
    });
    await publisher.publishAsync(`lc/${RUN_ID}/config`, 'retained-before-restart', { qos: 1, retain: true });
    await publisher.endAsync();

    await stopInfra([], options);
    await expect(fetch(`${endpoints.influxUrl}/ping`)).rejects.toThrow();
    endpoints = await ensureInfra(['kafka', 'influxdb', 'postgres', 'mosquitto'], options);

    expect(await consumeAll(1)).toEqual(['before-restart']);
    expect(await influxCount('lc_kept')).toBe(1_000);
    expect(await withPg((c) => c.query('SELECT count(*)::int AS n FROM lc_kept'))).toMatchObject({
      rows: [{ n: 3 }],
    });
    expect(await mqttRetained(`lc/${RUN_ID}/config`)).toBe('retained-before-restart');
  });

  it('makes flush() reject while influxdb is stopped, and stores the same lines once it is started again', async () => {
    const batch = lines('lc_outage', 2_000, Date.UTC(2026, 0, 2));
    await stopEngine('influxdb', options);

    const logged: string[] = [];
    const previousLogger = setLogger({ error: (m) => logged.push(m), warn: (m) => logged.push(m) });
    try {
      const during = safeWriteApi();
      during.writeRecords(batch);
      await expect(during.flush()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      // Nothing is parked for a later background retry: the caller owns the retry.
      expect(during.dispose()).toBe(0);
      expect(logged).toEqual(['Write to InfluxDB failed.']);
    } finally {
      setLogger(previousLogger);
    }

    await startEngine('influxdb', options);
    const after = safeWriteApi();
    after.writeRecords(batch);
    await after.flush();
    await after.close();
    expect(await influxCount('lc_outage')).toBe(2_000);
  });

  it('recovers Kafka’s acknowledged messages and PostgreSQL’s committed rows after a crash', async () => {
    await produce('before-crash');
    await withPg((c) => c.query('INSERT INTO lc_kept VALUES (4)'));

    await killEngine('kafka', options);
    await killEngine('postgres', options);
    await startEngine('kafka', options);
    await startEngine('postgres', options);

    expect((await consumeAll(2)).sort()).toEqual(['before-crash', 'before-restart']);
    expect(await withPg((c) => c.query('SELECT count(*)::int AS n FROM lc_kept'))).toMatchObject({
      rows: [{ n: 4 }],
    });
  });
});
