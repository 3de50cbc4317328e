import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { HttpError, InfluxDB, Point, setLogger, type Logger } from '@influxdata/influxdb-client';
import kafkajs, { type KafkaMessage } from 'kafkajs';
import mqtt from 'mqtt';
import { promisify } from 'node:util';
import pg from 'pg';
import { ensureInfra, type Endpoints } from '../../support/infra.js';

/**
 * Each engine that infra/up.sh runs, driven through the client library the
 * apps use: kafkajs, @influxdata/influxdb-client (v2 write API) plus InfluxQL,
 * pg and mqtt. Names are unique per run, so runs never see each other's data.
 */

const RUN_ID = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const { Kafka, logLevel, ConfigResourceTypes, Partitioners } = kafkajs;

let endpoints: Endpoints;

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka', 'influxdb', 'postgres', 'mosquitto']);
}, 600_000);

/**
 * Runs an InfluxQL statement through INFLUX_URL. The token is ignored by the
 * local engine (auth disabled) and accepted by the docker-compose one.
 */
async function influxQl(db: string, q: string): Promise<unknown[][]> {
  const url = `${endpoints.influxUrl}/query?db=${encodeURIComponent(db)}&q=${encodeURIComponent(q)}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Token ${endpoints.influxToken}` },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    results: Array<{ error?: string; series?: Array<{ values: unknown[][] }> }>;
  };
  const result = body.results[0];
  if (result.error) throw new Error(`InfluxQL "${q}": ${result.error}`);
  return result.series?.[0]?.values ?? [];
}

async function countPoints(rpAndMeasurement: string): Promise<number> {
  const rows = await influxQl('coldchain', `SELECT count("v") FROM ${rpAndMeasurement}`);
  return rows.length === 0 ? 0 : Number(rows[0][1]);
}

/** A TCP port on 127.0.0.1 on which nothing listens: a stopped InfluxDB, as a client sees it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/**
 * An HTTP server standing in for a slow InfluxDB: it accepts write requests
 * and answers them only when the test says so.
 */
class HeldWriteServer {
  private readonly held: ServerResponse[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly server: Server = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => this.hold(response));
  });
  private port = 0;

  private constructor() {}

  static async start(): Promise<HeldWriteServer> {
    const instance = new HeldWriteServer();
    await new Promise<void>((resolve) => instance.server.listen(0, '127.0.0.1', resolve));
    const address = instance.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    instance.port = address.port;
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pending(): number {
    return this.held.length;
  }

  private hold(response: ServerResponse): void {
    this.held.push(response);
    this.notify();
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async until(condition: () => boolean): Promise<void> {
    while (!condition()) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  requestsPending(count: number): Promise<void> {
    return this.until(() => this.held.length >= count);
  }

  answerAll(status: number): void {
    for (const response of this.held.splice(0)) response.writeHead(status).end();
  }

  async stop(): Promise<void> {
    this.answerAll(503);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Captures what the InfluxDB client logs (its only report of some failures). */
function captureClientLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const capture: Logger = {
    error: (message) => lines.push(`error: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
  };
  const previous = setLogger(capture);
  return { lines, restore: () => setLogger(previous) };
}

/**
 * WriteApi settings under which flush() reports the fate of every line it was
 * given: no automatic batch (batchSize and maxBatchBytes above what is
 * written, no flush timer) and no background retry (the caller retries, e.g.
 * by not committing its Kafka offsets).
 */
const FLUSH_REPORTS_EVERYTHING = {
  batchSize: 1_000_000,
  maxBatchBytes: 512 * 1024 * 1024,
  flushInterval: 0,
  maxRetries: 0,
} as const;

describe('Kafka (single-node KRaft from Maven Central jars)', () => {
  let client: InstanceType<typeof Kafka>;

  beforeAll(() => {
    client = new Kafka({
      clientId: `infra-test-${RUN_ID}`,
      brokers: endpoints.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
  });

  it('runs with auto topic creation off and 6 partitions by default, as the apps expect', async () => {
    const admin = client.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.BROKER,
            name: '1',
            configNames: ['auto.create.topics.enable', 'num.partitions', 'group.initial.rebalance.delay.ms'],
          },
        ],
      });
      const config = Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
      expect(config).toEqual({
        'auto.create.topics.enable': 'false',
        'num.partitions': '6',
        'group.initial.rebalance.delay.ms': '0',
      });
    } finally {
      await admin.disconnect();
    }
  });

  it('creates a 6-partition topic, then a keyed message produced with acks=all is consumed back', async () => {
    const topic = `infra-test.${RUN_ID}`;
    const admin = client.admin();
    const producer = client.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const consumer = client.consumer({ groupId: `infra-test-${RUN_ID}` });
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true })).toBe(
        true,
      );
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0].partitions).toHaveLength(6);

      await producer.connect();
      const [sent] = await producer.send({
        topic,
        acks: -1,
        messages: [{ key: 'AC:23:3F:00:00:01', value: JSON.stringify({ run: RUN_ID, celsius: 4.5 }) }],
      });

      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received = await new Promise<{ partition: number; message: KafkaMessage }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ partition, message }) => resolve({ partition, message }),
        });
      });
      expect(received.partition).toBe(sent.partition);
      expect(received.message.key?.toString()).toBe('AC:23:3F:00:00:01');
      expect(JSON.parse(received.message.value?.toString() ?? '{}')).toEqual({ run: RUN_ID, celsius: 4.5 });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});

/** The influxd version infra/install.sh builds (infra/lib/common.sh, INFLUXD_VERSION). */
const INFLUXD_VERSION = process.env.INFLUXD_VERSION ?? '1.13.2';

describe(`InfluxDB ${INFLUXD_VERSION}, serving the v2 write path itself`, () => {
  let influx: InfluxDB;
  let log: ReturnType<typeof captureClientLog> | undefined;

  beforeAll(() => {
    influx = new InfluxDB({ url: endpoints.influxUrl, token: endpoints.influxToken });
  });
  afterEach(() => {
    log?.restore();
    log = undefined;
  });

  it('answers /health itself with status "pass" and the version infra builds, on INFLUX_URL', async () => {
    const response = await fetch(`${endpoints.influxUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'pass', version: INFLUXD_VERSION });
    expect((await fetch(`${endpoints.influxUrl}/ping`)).headers.get('x-influxdb-version')).toBe(
      INFLUXD_VERSION,
    );
  });

  it('keeps the influxd it built: a second install does nothing, the binary reports its version, the build caches are gone', async () => {
    const run = promisify(execFile);
    const install = async (): Promise<string> =>
      (await run('bash', ['infra/install.sh', 'influxdb'], { timeout: 60_000 })).stderr;
    const first = await install();
    const cacheDir = /influxd \S+ already built in (\S+)/.exec(first)?.[1] ?? '';
    expect(cacheDir).not.toBe('');
    const binary = `${cacheDir}/bin/influxd`;
    const builtAt = statSync(binary).mtimeMs;
    expect(await install()).toContain('already built');
    expect(statSync(binary).mtimeMs).toBe(builtAt);
    expect((await run(binary, ['version'])).stdout).toContain(`InfluxDB ${INFLUXD_VERSION} `);
    expect(existsSync(`${cacheDir}.build`)).toBe(false);
  });

  it('serves /api/v2/write on the bucket "db/rp" with precision ms, URL-encoded or not, and refuses an unknown database with a clear 404', async () => {
    const measurement = `infra_v2_${RUN_ID}`;
    const t = Date.UTC(2026, 0, 6);
    const write = (bucket: string, body: string): Promise<Response> =>
      fetch(`${endpoints.influxUrl}/api/v2/write?bucket=${bucket}&precision=ms`, {
        method: 'POST',
        headers: { Authorization: `Token ${endpoints.influxToken}` },
        body,
      });
    expect((await write('coldchain/autogen', `${measurement} v=1 ${t}`)).status).toBe(204);
    expect((await write('coldchain%2Fautogen', `${measurement} v=2 ${t + 1}`)).status).toBe(204);
    const unknown = await write('no_such_db/autogen', `${measurement} v=3 ${t + 2}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('database not found');
    expect(await countPoints(`"autogen"."${measurement}"`)).toBe(2);
  });

  it('stores every point once flush() resolved, with batching set so flush() sends them all (one gzip request)', async () => {
    const measurement = `infra_probe_${RUN_ID}`;
    const pointCount = 25_000;
    const start = Date.UTC(2026, 0, 1);
    const writeApi = influx.getWriteApi(
      endpoints.influxOrg,
      endpoints.influxBucket,
      'ms',
      FLUSH_REPORTS_EVERYTHING,
    );
    for (let i = 0; i < pointCount; i++) {
      writeApi.writePoint(
        new Point(measurement)
          .tag('tag', `AC:23:3F:00:00:${(i % 16).toString(16).padStart(2, '0')}`)
          .floatField('v', 4 + (i % 10) / 10)
          .timestamp(new Date(start + i)),
      );
    }
    await writeApi.flush();
    expect(await countPoints(`"autogen"."${measurement}"`)).toBe(pointCount);
    await writeApi.close();
  });

  it('resolves close() while automatically sent batches are still unanswered (the trap): only writeSuccess tells when they are stored', async () => {
    const held = await HeldWriteServer.start();
    try {
      const stored: string[] = [];
      let allStored: () => void = () => undefined;
      const storedAll = new Promise<void>((resolve) => {
        allStored = resolve;
      });
      const slow = new InfluxDB({ url: held.url, token: endpoints.influxToken });
      // The client's defaults except a small batch, so that writes leave in batches of 100.
      const writeApi = slow.getWriteApi(endpoints.influxOrg, endpoints.influxBucket, 'ms', {
        batchSize: 100,
        writeSuccess: (lines) => {
          stored.push(...lines);
          if (stored.length === 300) allStored();
        },
      });
      writeApi.writeRecords(
        Array.from({ length: 300 }, (_, i) => `infra_held v=${i} ${Date.UTC(2026, 0, 5) + i}`),
      );
      await held.requestsPending(3);

      await expect(writeApi.close()).resolves.toBeUndefined();
      expect(held.pending).toBe(3);
      expect(stored).toHaveLength(0);

      held.answerAll(204);
      await storedAll;
      expect(new Set(stored).size).toBe(300);
    } finally {
      await held.stop();
    }
  });

  it('keeps positions in their own 60-day retention policy and temperatures in the infinite default', async () => {
    const policies = await influxQl('coldchain', 'SHOW RETENTION POLICIES');
    const byName = Object.fromEntries(
      // "default" is the last column (1.6 had 5 columns, 1.13 has 7: future and past write limits).
      policies.map((row) => [row[0], { duration: row[1], isDefault: row[row.length - 1] }]),
    );
    expect(byName.autogen).toEqual({ duration: '0s', isDefault: true });
    expect(byName.positions_60d).toEqual({ duration: '1440h0m0s', isDefault: false });

    const measurement = `infra_position_${RUN_ID}`;
    const writeApi = influx.getWriteApi(
      endpoints.influxOrg,
      endpoints.influxPositionsBucket,
      's',
      FLUSH_REPORTS_EVERYTHING,
    );
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 10; i++) {
      writeApi.writePoint(
        new Point(measurement)
          .tag('hub', '860000000000001')
          .floatField('v', i)
          .timestamp(now - i),
      );
    }
    await writeApi.close();
    expect(await countPoints(`"positions_60d"."${measurement}"`)).toBe(10);
    expect(await countPoints(`"autogen"."${measurement}"`)).toBe(0);
  });

  it('answers a batch with one malformed line by 400 after storing the valid lines (a partial write)', async () => {
    const measurement = `infra_partial_${RUN_ID}`;
    const writeApi = influx.getWriteApi(
      endpoints.influxOrg,
      endpoints.influxBucket,
      'ms',
      FLUSH_REPORTS_EVERYTHING,
    );
    log = captureClientLog();
    const t = Date.UTC(2026, 0, 2);
    writeApi.writeRecords([
      `${measurement} v=1 ${t}`,
      `${measurement} v=2 ${t + 1}`,
      `${measurement} v= ${t + 2}`,
    ]);
    const failure = await writeApi.flush().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(HttpError);
    expect((failure as HttpError).statusCode).toBe(400);
    expect((failure as HttpError).body).toContain('partial write');
    expect(await countPoints(`"autogen"."${measurement}"`)).toBe(2);
    await writeApi.close();
  });

  it('rejects flush() when InfluxDB is down, if no line was sent before by an automatic batch', async () => {
    const down = new InfluxDB({
      url: `http://127.0.0.1:${await closedPort()}`,
      token: endpoints.influxToken,
    });
    const writeApi = down.getWriteApi(
      endpoints.influxOrg,
      endpoints.influxBucket,
      'ms',
      FLUSH_REPORTS_EVERYTHING,
    );
    log = captureClientLog();
    writeApi.writeRecords(
      Array.from({ length: 2_500 }, (_, i) => `infra_down v=${i} ${Date.UTC(2026, 0, 3) + i}`),
    );
    await expect(writeApi.flush()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // maxRetries 0: nothing was parked in the retry buffer, nothing will be sent later.
    expect(writeApi.dispose()).toBe(0);
  });

  it('resolves flush() and close() although InfluxDB is down, when full batches were sent automatically (the trap)', async () => {
    const down = new InfluxDB({
      url: `http://127.0.0.1:${await closedPort()}`,
      token: endpoints.influxToken,
    });
    let failedBatches = 0;
    let notifyFailure: () => void = () => undefined;
    const twoBatchesFailed = new Promise<void>((resolve) => {
      notifyFailure = () => {
        failedBatches++;
        if (failedBatches === 2) resolve();
      };
    });
    // The client's defaults except a small batch: retries and the retry buffer are on.
    const writeApi = down.getWriteApi(endpoints.influxOrg, endpoints.influxBucket, 'ms', {
      batchSize: 100,
      writeFailed: () => {
        notifyFailure();
      },
    });
    log = captureClientLog();
    writeApi.writeRecords(
      Array.from({ length: 200 }, (_, i) => `infra_down v=${i} ${Date.UTC(2026, 0, 4) + i}`),
    );
    await twoBatchesFailed;

    await expect(writeApi.flush()).resolves.toBeUndefined();
    await expect(writeApi.close()).resolves.toBeUndefined();
    // Only the log tells that all 200 lines were dropped.
    expect(log.lines).toContain(
      'error: Retry buffer closed with 200 items that were not written to InfluxDB!',
    );
  });
});

describe('PostgreSQL (project-private cluster)', () => {
  it('accepts the coldchain role on DATABASE_URL, runs a query and creates and drops a table', async () => {
    const client = new pg.Client({ connectionString: endpoints.databaseUrl });
    await client.connect();
    try {
      const one = await client.query<{ one: number }>('SELECT 1 AS one');
      expect(one.rows).toEqual([{ one: 1 }]);
      const fsync = await client.query<{ fsync: string }>('SHOW fsync');
      expect(fsync.rows[0].fsync).toBe('on');

      const table = `infra_probe_${RUN_ID}`;
      await client.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, label text NOT NULL)`);
      await client.query(`INSERT INTO ${table} VALUES ($1, $2), ($3, $4)`, [1, 'a', 2, 'b']);
      const rows = await client.query<{ id: number; label: string }>(
        `SELECT id, label FROM ${table} ORDER BY id`,
      );
      expect(rows.rows).toEqual([
        { id: 1, label: 'a' },
        { id: 2, label: 'b' },
      ]);
      await client.query(`DROP TABLE ${table}`);
      const left = await client.query('SELECT 1 FROM pg_tables WHERE tablename = $1', [table]);
      expect(left.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});

describe('Mosquitto (external-broker mode)', () => {
  const clients: mqtt.MqttClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
  });

  async function connect(name: string): Promise<mqtt.MqttClient> {
    const client = await mqtt.connectAsync(endpoints.mqttExternalUrl, {
      clientId: `infra-${name}-${RUN_ID}`,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    clients.push(client);
    return client;
  }

  it('splits QoS 1 messages of a shared subscription between gateways, each delivered once, while a plain subscriber gets all', async () => {
    const messageCount = 40;
    const filter = `infra/${RUN_ID}/+/telemetry`;
    const gatewayA = await connect('gw-a');
    const gatewayB = await connect('gw-b');
    const observer = await connect('observer');
    const publisher = await connect('hub');

    const byGateway = new Map<string, string[]>([
      ['a', []],
      ['b', []],
    ]);
    const observed: string[] = [];
    let settle: () => void = () => undefined;
    const allArrived = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const check = (): void => {
      const shared = (byGateway.get('a')?.length ?? 0) + (byGateway.get('b')?.length ?? 0);
      if (shared >= messageCount && observed.length >= messageCount) settle();
    };
    gatewayA.on('message', (_topic, payload) => {
      byGateway.get('a')?.push(payload.toString());
      check();
    });
    gatewayB.on('message', (_topic, payload) => {
      byGateway.get('b')?.push(payload.toString());
      check();
    });
    observer.on('message', (_topic, payload) => {
      observed.push(payload.toString());
      check();
    });
    await gatewayA.subscribeAsync(`$share/ingest-${RUN_ID}/${filter}`, { qos: 1 });
    await gatewayB.subscribeAsync(`$share/ingest-${RUN_ID}/${filter}`, { qos: 1 });
    await observer.subscribeAsync(filter, { qos: 1 });

    const sent = Array.from({ length: messageCount }, (_, i) => `reading-${i}`);
    for (const [i, payload] of sent.entries()) {
      await publisher.publishAsync(`infra/${RUN_ID}/hub-${i % 4}/telemetry`, payload, { qos: 1 });
    }
    await allArrived;

    const a = byGateway.get('a') ?? [];
    const b = byGateway.get('b') ?? [];
    expect([...a, ...b].sort()).toEqual([...sent].sort());
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(observed).toEqual(sent);
  });
});
