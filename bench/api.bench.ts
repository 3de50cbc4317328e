/**
 * Operator API under load: p50/p99 of the history and latest-values
 * routes with 10,000 tags and 30 days of readings, and how many live-stream
 * (SSE) clients one API process holds while events flow.
 *
 *   npm run bench:api [-- --tags 10000 --days 30 --every-min 120 --concurrency 16 --requests 1500 --clients 250,1000,2000]
 *
 * Latest values are measured a page at a time (first page, a random cursor)
 * and as a whole walk of every page, the way the dashboard loads them; avgKb
 * of the walk is per walk.
 *
 * The embedded platform (SQLite stores, `npm run build` first) runs as its
 * own process on a DATA_DIR this bench seeds directly through the store
 * adapters (fast, and the same schema). Load comes from this process over
 * loopback with keep-alive connections, closed loop at `concurrency`.
 * Live stream: N clients connect, a hub publishes one reading per tag of
 * `streamTags` tags every second for 5 s; per level it reports how many
 * clients ended up to date (the last reading of every tag), the events
 * delivered per second, and the API process's RSS and CPU.
 * Prints tables, writes bench/results/api.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { hubTopic, imeiFromBody } from '@coldchain/contract';
import type { StoredReading } from '@coldchain/domain';
import { hashHubSecret, hashPassword, SqliteDatabase } from '@coldchain/metadata-store';
import { SqliteTelemetryStore } from '@coldchain/telemetry-store';
import { freePort } from '../test/support/process.js';
import { startMetadata } from '../test/support/metadata.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const TAGS = Number(arg('tags', '10000'));
const DAYS = Number(arg('days', '30'));
const EVERY_MIN = Number(arg('every-min', '120'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const REQUESTS = Number(arg('requests', '1500'));
const CLIENT_LEVELS = arg('clients', '250,1000,2000').split(',').map(Number);
const STREAM_TAGS = Number(arg('stream-tags', '100'));
const TAGS_PER_HUB = 100;
const TENANT = 'bench';
const PASSWORD = 'bench password 1';
const HUB_SECRET = 'bench-hub-secret';

const status = (pid: number, key: string): number =>
  Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
/** User + system CPU of a process so far, seconds (clock ticks of 1/100 s). */
const cpuSeconds = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const mac = (i: number): string =>
  ['B0', 'EE', ...[(i >> 16) & 255, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0'))]
    .join(':')
    .toUpperCase()
    .concat(':01');
const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function seed(
  dataDir: string,
  now: number,
): Promise<{ hubs: string[]; readings: number; seconds: number }> {
  const t0 = performance.now();
  const meta = await startMetadata(new SqliteDatabase(join(dataDir, 'metadata.db')));
  await meta.tenants.createTenant({ id: TENANT, name: 'Bench Logistics' });
  await meta.users.createUser({
    id: randomUUID(),
    tenantId: TENANT,
    email: 'owner@bench.test',
    role: 'owner',
    passwordHash: await hashPassword(PASSWORD),
    mustChangePassword: false,
  });
  await meta.profiles.saveProfile({
    id: 'vaccines',
    tenantId: TENANT,
    name: 'Vaccines 2-8 °C',
    temperature: { min: 2, max: 8 },
  });
  const hubs: string[] = [];
  for (let h = 0; h < Math.ceil(TAGS / TAGS_PER_HUB); h++) {
    const imei = imeiFromBody(`35${String(h).padStart(12, '0')}`);
    hubs.push(imei);
    await meta.hubs.createHub({
      imei,
      tenantId: TENANT,
      name: `Truck ${h}`,
      secretHash: hashHubSecret(HUB_SECRET),
    });
  }
  for (let i = 0; i < TAGS; i++)
    await meta.tags.createTag({ mac: mac(i), tenantId: TENANT, name: `Pallet ${i}`, profileId: 'vaccines' });
  await meta.database.close();

  const store = new SqliteTelemetryStore(join(dataDir, 'telemetry.db'));
  await store.start();
  const step = EVERY_MIN * 60_000;
  const start = now - DAYS * 86_400_000;
  let readings = 0;
  let batch: StoredReading[] = [];
  for (let i = 0; i < TAGS; i++) {
    const hub = hubs[Math.floor(i / TAGS_PER_HUB)];
    for (let ts = start + (i % EVERY_MIN) * 60_000; ts < now; ts += step) {
      batch.push({
        tenantId: TENANT,
        tag: mac(i),
        hub,
        ts,
        temperature: 5 + Math.sin(ts / 3.6e6),
        humidity: 50,
        receivedAt: ts,
      });
      if (batch.length === 20_000) {
        readings += (await store.write(batch, [])).written;
        batch = [];
      }
    }
  }
  readings += (await store.write(batch, [])).written;
  await store.close();
  return { hubs, readings, seconds: (performance.now() - t0) / 1000 };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function get(url: string, token: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      })
      .on('error', reject);
  });
}

interface RouteResult {
  route: string;
  requests: number;
  errors: number;
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  avgKb: number;
  apiCpuPct: number;
}

async function load(route: string, pid: number, next: () => string, token: string): Promise<RouteResult> {
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let issued = 0;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < REQUESTS) {
        issued++;
        const s = performance.now();
        const res = await get(next(), token);
        latencies.push(performance.now() - s);
        bytes += res.bytes;
        if (res.status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    route,
    requests: latencies.length,
    errors,
    reqPerS: Math.round(latencies.length / seconds),
    p50Ms: Number(pct(latencies, 0.5).toFixed(1)),
    p99Ms: Number(pct(latencies, 0.99).toFixed(1)),
    avgKb: Number((bytes / latencies.length / 1024).toFixed(1)),
    apiCpuPct: Math.round(((cpuSeconds(pid) - cpu0) / seconds) * 100),
  };
}

/**
 * Every tag's latest reading the way the dashboard loads them: page after page
 * of `limit` until `next` is null, `walks` times, `CONCURRENCY` walkers at
 * once; latency is per whole walk (the figure to hold against one answer
 * carrying every tag).
 */
async function walkLatest(base: string, pid: number, token: string, limit: number, walks: number) {
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let pages = 0;
  let started = 0;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started < walks) {
        started++;
        const s = performance.now();
        let after: string | null = null;
        do {
          const cursor: string = after === null ? '' : `&after=${after}`;
          const res = await fetch(`${base}/api/v1/readings/latest?limit=${limit}${cursor}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const text = await res.text();
          bytes += text.length;
          pages++;
          if (res.status !== 200) {
            errors++;
            break;
          }
          after = (JSON.parse(text) as { next: string | null }).next;
        } while (after !== null);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    route: `walk GET /readings/latest (every tag, limit ${limit})`,
    requests: pages,
    errors,
    reqPerS: Math.round(pages / seconds),
    p50Ms: Number(pct(latencies, 0.5).toFixed(1)),
    p99Ms: Number(pct(latencies, 0.99).toFixed(1)),
    avgKb: Number((bytes / latencies.length / 1024).toFixed(1)),
    apiCpuPct: Math.round(((cpuSeconds(pid) - cpu0) / seconds) * 100),
  } satisfies RouteResult;
}

interface StreamLevel {
  clients: number;
  connected: number;
  /** Clients whose view ended complete: the last round's reading of every streamed tag. */
  upToDate: number;
  eventsPerClient: number;
  /** Reading events all clients received per second, together. */
  eventsPerS: number;
  apiRssMb: number;
  apiCpuPct: number;
}

async function streamLevel(
  base: string,
  pid: number,
  token: string,
  n: number,
  publish: (round: number) => Promise<number>,
): Promise<StreamLevel> {
  // Per client: the newest measured time seen per tag, the event count, and the unparsed tail of the stream.
  const views = Array.from({ length: n }, () => ({ latest: new Map<string, number>(), events: 0, tail: '' }));
  const requests: http.ClientRequest[] = [];
  const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  let connected = 0;
  await Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<void>((resolve) => {
          const req = http.get(
            `${base}/api/v1/stream?access_token=${token}`,
            { agent: streamAgent },
            (res) => {
              if (res.statusCode === 200) connected++;
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                const v = views[i];
                const frames = (v.tail + chunk).split('\n\n');
                v.tail = frames.pop()!; // an incomplete frame waits for the next chunk
                for (const f of frames) {
                  if (!f.startsWith('event: reading')) continue;
                  const d = JSON.parse(f.slice(f.indexOf('data: ') + 6)) as { tag: string; ts: number };
                  v.events++;
                  if (d.ts > (v.latest.get(d.tag) ?? 0)) v.latest.set(d.tag, d.ts);
                }
              });
              resolve();
            },
          );
          req.on('error', () => resolve());
          requests.push(req);
        }),
    ),
  );
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const ROUNDS = 5;
  let last = 0;
  for (let r = 0; r < ROUNDS; r++) {
    last = await publish(r);
    await new Promise((res) => setTimeout(res, 1000));
  }
  await new Promise((res) => setTimeout(res, 1500)); // the last flush
  const seconds = (performance.now() - t0) / 1000;
  const total = views.reduce((a, v) => a + v.events, 0);
  const result: StreamLevel = {
    clients: n,
    connected,
    upToDate: views.filter(
      (v) => v.latest.size === STREAM_TAGS && [...v.latest.values()].every((ts) => ts === last),
    ).length,
    eventsPerClient: Math.round(total / n),
    eventsPerS: Math.round(total / seconds),
    apiRssMb: Math.round(status(pid, 'VmRSS') / 1024),
    apiCpuPct: Math.round(((cpuSeconds(pid) - cpu0) / seconds) * 100),
  };
  for (const req of requests) req.destroy();
  streamAgent.destroy();
  await new Promise((res) => setTimeout(res, 500));
  return result;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-api-'));
  const now = Date.now();
  console.log(`seeding ${TAGS} tags × ${DAYS} days, one reading per ${EVERY_MIN} min ...`);
  const seeded = await seed(dataDir, now);
  console.log(`seeded ${seeded.readings.toLocaleString()} readings in ${seeded.seconds.toFixed(1)} s`);

  const port = await freePort();
  const mqttPort = await freePort();
  const app: ChildProcess = spawn(process.execPath, ['dist/apps/platform/src/main.js'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      MQTT_PORT: String(mqttPort),
      SIM_HUBS: '0',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      LOGIN_RATE_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (i > 600) throw new Error('platform did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@bench.test', password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const pid = app.pid!;
    const from = now - DAYS * 86_400_000;
    let k = 0;
    const randomTag = () => mac((k = (k * 7919 + 13) % TAGS));

    // Warm-up, not recorded: one walk of every page, so the first route measured is not the one paying
    // for a cold SQLite page cache and unoptimised code.
    await walkLatest(base, pid, accessToken, 2000, 1);
    const routes: RouteResult[] = [];
    // Latest values come a page at a time (keyset on the tag MAC): the first page, a page at a random
    // cursor (what walking the pages costs anywhere in the tenant), and the dashboard's largest page.
    routes.push(
      await load(
        'GET /readings/latest (first page, limit 500)',
        pid,
        () => `${base}/api/v1/readings/latest?limit=500`,
        accessToken,
      ),
    );
    routes.push(
      await load(
        'GET /readings/latest (random cursor, limit 500)',
        pid,
        () => `${base}/api/v1/readings/latest?limit=500&after=${randomTag()}`,
        accessToken,
      ),
    );
    routes.push(
      await load(
        'GET /readings/latest (random cursor, limit 2000)',
        pid,
        () => `${base}/api/v1/readings/latest?limit=2000&after=${randomTag()}`,
        accessToken,
      ),
    );
    routes.push(await walkLatest(base, pid, accessToken, 2000, Math.max(CONCURRENCY, REQUESTS / 20)));
    routes.push(
      await load(
        `GET /tags/:mac/readings (${DAYS} d, limit 1000)`,
        pid,
        () => `${base}/api/v1/tags/${randomTag()}/readings?from=${from}&to=${now}&limit=1000`,
        accessToken,
      ),
    );
    routes.push(
      await load(
        `GET /tags/:mac/series (${DAYS} d, 100 points)`,
        pid,
        () => `${base}/api/v1/tags/${randomTag()}/series?from=${from}&to=${now}&maxPoints=100`,
        accessToken,
      ),
    );
    routes.push(
      await load(
        `GET /tags/:mac/statistics (${DAYS} d)`,
        pid,
        () => `${base}/api/v1/tags/${randomTag()}/statistics?from=${from}&to=${now}`,
        accessToken,
      ),
    );
    console.table(routes);

    // Live stream: one hub publishes a reading for each of STREAM_TAGS tags every second.
    const hub = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      clientId: `khub-${seeded.hubs[0]}`,
      username: seeded.hubs[0],
      password: HUB_SECRET,
      reconnectPeriod: 0,
    });
    let seq = 0;
    const publish = async (round: number): Promise<number> => {
      const ts = Date.now();
      const readings = Array.from({ length: STREAM_TAGS }, (_, i) => ({
        tag: mac(i),
        ts,
        temperature: 4 + round / 10,
      }));
      await hub.publishAsync(
        hubTopic(seeded.hubs[0], 'telemetry'),
        JSON.stringify({ v: 1, hub: seeded.hubs[0], seq: seq++, sentAt: ts, readings }),
        { qos: 1 },
      );
      return ts;
    };
    const levels: StreamLevel[] = [];
    for (const n of CLIENT_LEVELS) levels.push(await streamLevel(base, pid, accessToken, n, publish));
    await hub.endAsync();
    console.table(levels);

    const result = {
      at: new Date().toISOString(),
      machine: 'shared 2-core machine; the API is the embedded platform (SQLite stores) in one process',
      dataset: {
        tags: TAGS,
        days: DAYS,
        everyMin: EVERY_MIN,
        readings: seeded.readings,
        seedSeconds: seeded.seconds,
      },
      concurrency: CONCURRENCY,
      apiPeakRssMb: Math.round(status(pid, 'VmHWM') / 1024),
      routes,
      liveStream: levels,
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/api.json', JSON.stringify(result, null, 2) + '\n');
    console.log('wrote bench/results/api.json');
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
    agent.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
