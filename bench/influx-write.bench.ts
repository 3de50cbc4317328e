/**
 * The InfluxDB leg of the ingest pipeline: readings per second that one Node
 * process puts into InfluxDB through InfluxTelemetryStore.write (line
 * building, HTTP, the v2 write mapping, influxd's WAL fsync), with several
 * write settings compared side by side in the same run. Needs the engine:
 * `npm run infra:up` (or `bash infra/up.sh influxdb`), then after a build:
 *
 *   node dist/bench/influx-write.bench.js [--readings 50000] [--rounds 3] [--batch 5000] [--tags 2000]
 *
 * Every setting runs once per round (order rotated each round, so that what
 * else runs on the machine weighs on all of them alike); per setting, the
 * median over rounds of: readings/s, p50/p99 latency of one `write` call, CPU
 * seconds per 100,000 readings of this process, of influxd and of nginx
 * (from /proc, which names the bottleneck); and the readings lost over all
 * rounds (sent minus counted back with InfluxQL COUNT). Prints a table,
 * writes bench/results/influx-write.json. Each run has its own measurement.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { StoredReading } from '@coldchain/domain';
import { InfluxTelemetryStore, type InfluxTelemetryStoreOptions } from '@coldchain/telemetry-store';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
/** Readings per setting and round. */
const TOTAL = arg('readings', 100_000);
/** Rounds; each runs every setting once, in a rotated order, so that load from other processes spreads evenly. */
const ROUNDS = arg('rounds', 3);
const BATCH = arg('batch', 5_000);
const TAGS = arg('tags', 2_000);

const env = (key: string, fallback: string): string => process.env[key] ?? fallback;
const ENDPOINTS = {
  url: env('INFLUX_URL', 'http://127.0.0.1:8086'),
  token: env('INFLUX_TOKEN', 'dev-token'),
  org: env('INFLUX_ORG', 'coldchain'),
  bucket: env('INFLUX_BUCKET', 'coldchain/autogen'),
  positionsBucket: env('INFLUX_POSITIONS_BUCKET', 'coldchain/positions_60d'),
};
const INFRA_DIR = env('COLDCHAIN_INFRA_DIR', join(process.cwd(), '.infra'));
const RUN_ID = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

interface Setting {
  name: string;
  /** write calls in flight at once (ingest batches written concurrently) */
  concurrentCalls: number;
  /** readings per write call */
  batch: number;
  options: Partial<InfluxTelemetryStoreOptions>;
}

/** One request per call, whatever its size (below InfluxDB 1.x's default 25 MB body limit). */
const ONE_REQUEST = (lines: number): Partial<InfluxTelemetryStoreOptions> => ({
  maxLinesPerRequest: lines,
  maxBytesPerRequest: 24 * 1024 * 1024,
});

const SETTINGS: Setting[] = [
  { name: `${BATCH}/call, 1 call at a time`, concurrentCalls: 1, batch: BATCH, options: ONE_REQUEST(BATCH) },
  { name: `${BATCH}/call, 2 calls in flight`, concurrentCalls: 2, batch: BATCH, options: ONE_REQUEST(BATCH) },
  { name: `${BATCH}/call, 4 calls in flight`, concurrentCalls: 4, batch: BATCH, options: ONE_REQUEST(BATCH) },
  {
    name: `${BATCH}/call cut in 4 requests`,
    concurrentCalls: 1,
    batch: BATCH,
    options: { maxLinesPerRequest: Math.ceil(BATCH / 4) },
  },
  {
    name: `${BATCH}/call, gzip > 64 KiB`,
    concurrentCalls: 1,
    batch: BATCH,
    options: { ...ONE_REQUEST(BATCH), gzipThresholdBytes: 65_536 },
  },
  {
    name: `${BATCH * 4}/call, 1 request`,
    concurrentCalls: 1,
    batch: BATCH * 4,
    options: ONE_REQUEST(BATCH * 4),
  },
  {
    name: `${BATCH * 4}/call cut in 4 requests`,
    concurrentCalls: 1,
    batch: BATCH * 4,
    options: { maxLinesPerRequest: BATCH },
  },
  {
    name: `${BATCH * 4}/call, 2 calls in flight`,
    concurrentCalls: 2,
    batch: BATCH * 4,
    options: ONE_REQUEST(BATCH * 4),
  },
  {
    name: `${BATCH * 10}/call, 1 request`,
    concurrentCalls: 1,
    batch: BATCH * 10,
    options: ONE_REQUEST(BATCH * 10),
  },
  { name: 'adapter defaults, 1 call at a time', concurrentCalls: 1, batch: BATCH * 4, options: {} },
];

const T0 = Date.UTC(2026, 0, 1);

/** Readings as ingest hands them over: many tags, every metric a K-TAG reports. */
function readings(tenantId: string, count: number, offset: number): StoredReading[] {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const tag = i % TAGS;
    return {
      tenantId,
      tag: `AC:23:3F:${((tag >> 8) & 0xff).toString(16).padStart(2, '0')}:${(tag & 0xff).toString(16).padStart(2, '0')}:00`.toUpperCase(),
      hub: `4901542032${String(tag % 500).padStart(5, '0')}`,
      profileId: 'pharma-2-8',
      ts: T0 + Math.floor(i / TAGS) * 10_000 + (tag % 1000),
      seq: Math.floor(i / TAGS) % 65_536,
      temperature: 4 + ((i * 7) % 40) / 10,
      humidity: 40 + (i % 20),
      door: i % 17 === 0 ? 'open' : 'closed',
      battery: 90,
      rssi: -60 - (i % 30),
      receivedAt: T0 + Math.floor(i / TAGS) * 10_000 + 1_500,
    };
  });
}

const CLK_TCK = 100; // Linux USER_HZ
function cpuSecondsOfPidFile(file: string): number | undefined {
  try {
    const pid = readFileSync(file, 'utf8').trim();
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat (1-based), 12 and 13 after the comm.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}
const influxdCpu = () => cpuSecondsOfPidFile(join(INFRA_DIR, 'influxdb', 'influxd.pid'));
const nginxWorkerCpu = (): number | undefined => {
  // The master's pid file; its worker is the process doing the proxying.
  try {
    const master = readFileSync(join(INFRA_DIR, 'nginx', 'nginx.pid'), 'utf8').trim();
    const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/);
    let total = 0;
    for (const pid of [master, ...children].filter(Boolean)) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    }
    return total;
  } catch {
    return undefined;
  }
};

async function influxQl(q: string, params: Record<string, string> = {}): Promise<unknown> {
  const body = new URLSearchParams({ db: 'coldchain', q, params: JSON.stringify(params) });
  return (await fetch(`${ENDPOINTS.url}/query`, { method: 'POST', body })).json();
}

async function countStored(measurement: string, tenantId: string): Promise<number> {
  const answer = (await influxQl(
    `SELECT COUNT("received_at") FROM "${measurement}" WHERE "tenant" = $tenant`,
    {
      tenant: tenantId,
    },
  )) as { results: Array<{ series?: Array<{ values: number[][] }> }> };
  return answer.results[0].series?.[0]?.values[0][1] ?? 0;
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface Result {
  setting: string;
  concurrentCalls: number;
  batch: number;
  readings: number;
  readingsPerSec: number;
  p50CallMs: number;
  p99CallMs: number;
  lost: number;
  nodeCpuSecPer100k: number;
  influxdCpuSecPer100k: number | null;
  nginxCpuSecPer100k: number | null;
}

async function runSetting(setting: Setting, index: number): Promise<Result> {
  const measurement = `bench_readings_${RUN_ID}`;
  const tenantId = `bench-${RUN_ID}-${index}`;
  const store = new InfluxTelemetryStore({ ...ENDPOINTS, measurement, ...setting.options });
  await store.start();
  const calls = Math.ceil(TOTAL / setting.batch);
  const batches = Array.from({ length: calls }, (_, c) =>
    readings(tenantId, Math.min(setting.batch, TOTAL - c * setting.batch), c * setting.batch),
  );
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const influxd0 = influxdCpu();
  const nginx0 = nginxWorkerCpu();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: setting.concurrentCalls }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const started = performance.now();
        await store.write(batch, []);
        latencies.push(performance.now() - started);
      }
    }),
  );
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const influxd1 = influxdCpu();
  const nginx1 = nginxWorkerCpu();
  await store.close();
  const stored = await countStored(measurement, tenantId);
  const per100k = 100_000 / TOTAL;
  latencies.sort((a, b) => a - b);
  return {
    setting: setting.name,
    concurrentCalls: setting.concurrentCalls,
    batch: setting.batch,
    readings: TOTAL,
    readingsPerSec: Math.round(TOTAL / elapsedS),
    p50CallMs: Math.round(percentile(latencies, 50)),
    p99CallMs: Math.round(percentile(latencies, 99)),
    lost: TOTAL - stored,
    nodeCpuSecPer100k: Number((((cpu.user + cpu.system) / 1e6) * per100k).toFixed(2)),
    influxdCpuSecPer100k:
      influxd0 === undefined || influxd1 === undefined
        ? null
        : Number(((influxd1 - influxd0) * per100k).toFixed(2)),
    nginxCpuSecPer100k:
      nginx0 === undefined || nginx1 === undefined ? null : Number(((nginx1 - nginx0) * per100k).toFixed(2)),
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const medianOrNull = (values: Array<number | null>): number | null =>
  values.some((v) => v === null) ? null : median(values as number[]);

async function main(): Promise<void> {
  const runs: Result[][] = SETTINGS.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < SETTINGS.length; k++) {
      const i = (k + round) % SETTINGS.length;
      runs[i].push(await runSetting(SETTINGS[i], round * SETTINGS.length + i));
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const results = runs.map((r, i) => ({
    setting: SETTINGS[i].name,
    concurrentCalls: SETTINGS[i].concurrentCalls,
    batch: SETTINGS[i].batch,
    readingsPerRound: TOTAL,
    rounds: ROUNDS,
    readingsPerSec: median(r.map((x) => x.readingsPerSec)),
    readingsPerSecByRound: r.map((x) => x.readingsPerSec),
    p50CallMs: median(r.map((x) => x.p50CallMs)),
    p99CallMs: median(r.map((x) => x.p99CallMs)),
    lost: r.reduce((sum, x) => sum + x.lost, 0),
    nodeCpuSecPer100k: median(r.map((x) => x.nodeCpuSecPer100k)),
    influxdCpuSecPer100k: medianOrNull(r.map((x) => x.influxdCpuSecPer100k)),
    nginxCpuSecPer100k: medianOrNull(r.map((x) => x.nginxCpuSecPer100k)),
  }));
  console.table(
    results.map((r) => ({
      setting: r.setting,
      'readings/s (median)': r.readingsPerSec,
      'by round': r.readingsPerSecByRound.join(' / '),
      'p50 call ms': r.p50CallMs,
      'p99 call ms': r.p99CallMs,
      lost: r.lost,
      'node CPU s/100k': r.nodeCpuSecPer100k,
      'influxd CPU s/100k': r.influxdCpuSecPer100k,
      'nginx CPU s/100k': r.nginxCpuSecPer100k,
    })),
  );
  // The bench's points leave the development database with it.
  await influxQl(`DROP MEASUREMENT "bench_readings_${RUN_ID}"`);
  mkdirSync(join('bench', 'results'), { recursive: true });
  const out = join('bench', 'results', 'influx-write.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        runId: RUN_ID,
        at: new Date().toISOString(),
        loadAverage1m: loadavg()[0],
        cpus: cpus().length,
        readingsPerRound: TOTAL,
        rounds: ROUNDS,
        batch: BATCH,
        tags: TAGS,
        results,
      },
      null,
      2,
    ),
  );
  console.log(`wrote ${out} (load average at the end: ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
