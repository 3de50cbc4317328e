/**
 * The notify benchmark on the production stack: gateway (embedded aedes),
 * `ingest` instances and the notifier as separate processes on Kafka,
 * InfluxDB and PostgreSQL (infra/up.sh), as `npm run start:stack` runs them
 * (the API is left out: it is not on the alert path). Around them, each in a
 * process of its own: the load generator (bench/pipeline/generator.ts, the
 * firmware simulator's fleet), the providers (bench/notify/providers.ts: a
 * real SMTP server and the Twilio stand-in), and this process, which publishes
 * the probes and measures.
 *
 * Isolation: a PostgreSQL schema, an InfluxDB database and a Kafka topic
 * namespace of this run's own (one namespace per level, so a level never
 * inherits the previous one's backlog), all removed at the end.
 *
 * A probe is an excursion on a tag of its own, published by a probe hub (an
 * MQTT client of this process, QoS 1) with two hot readings: one measured
 * `REORDER_TOLERANCE_MS` + 20 s ago and one measured now, stamped just before
 * the publish. The fresh reading moves the tag's newest measured time past the
 * older one's reorder window, so the alarm engine evaluates the older one at
 * once and raises `temperature.high` (critical: email + SMS). Without the
 * older reading the alarm would be decided up to 2 minutes later by design
 * (docs/alarm-engine.md, "Event time"), which is not notification latency.
 * Latency = provider's acceptance time (stamped in the providers process) −
 * the fresh reading's measured time. Probes are open loop: one every
 * `probeIntervalMs`, whatever the previous one is doing.
 */
import { randomBytes, createHmac } from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { connectAsync, type MqttClient } from 'mqtt';
import pg from 'pg';
import { imeiFromBody } from '@coldchain/contract';
import type { FleetHubSpec } from '@coldchain/firmware-sim';
import { PostgresDatabase, hashHubSecret } from '@coldchain/metadata-store';
import { GeneratorClient } from '../pipeline/generator-client.js';
import {
  adopt,
  engineGroups,
  freePort,
  infraUp,
  ingestTotals,
  metricsText,
  type IngestTotals,
  sampleOf,
  sumOf,
  ProcessMeter,
  sleep,
  startApp,
  stopChild,
  type App,
  type Group,
} from '../support/processes.js';
import type { ProvidersReply } from './providers.js';
import { latencyRow, p50p99, type LatencyRow } from './stats.js';
import { startMetadata } from '../../test/support/metadata.js';

export interface ProductionOptions {
  /** Offered background load per level, readings/s; each level on freshly started apps and topics. */
  loads: number[];
  /** Probes counted per level. */
  probes: number;
  /** Probes sent first and not counted (connections, JIT, caches). */
  warmup: number;
  /** One probe every this many ms (open loop). */
  probeIntervalMs: number;
  /** Load fleet: tags per hub and publish interval (hubs = load × interval / 1000 / tags per hub). */
  tagsPerHub: number;
  intervalMs: number;
  ingestInstances: number;
  /** Background load runs this long before the first probe, s. */
  settleS: number;
  /** After the last probe, the longest wait for outstanding notifications, s; later ones count as missing. */
  drainS: number;
  /** Extra environment for the apps. */
  appEnv: Record<string, string>;
  /** The load generator's CPU priority (nice; see GENERATOR_NICE). */
  generatorNice: number;
  /** dist/bench and the repository root. */
  distBench: string;
  repo: string;
}

const BENCH = {
  tenant: 'bench',
  profileId: 'bench-chilled',
  /** Probe tags per probe hub; each probe uses a tag of its own. */
  probeTagsPerHub: 10,
  phone: '+4915112345678',
  email: 'oncall@bench-notify.invalid',
  /** The alarm engine's reorder window (alarm-engine DEFAULTS.reorderToleranceMs). */
  reorderToleranceMs: 2 * 60_000,
  appStartTimeoutMs: 90_000,
  connectTimeoutMs: 180_000,
  /** Longest wait for the alert records of a level in Kafka (breakdown), ms. */
  kafkaReadMs: 20_000,
} as const;

const log = (line: string): void => console.error(`[bench:notify] ${line}`);
const round2 = (n: number): number => Math.round(n * 100) / 100;
const load3 = (): number[] => loadavg().map(round2);

const benchImei = (kind: 'load' | 'probe', i: number): string =>
  imeiFromBody((kind === 'load' ? '35693805' : '35693806') + String(i).padStart(6, '0'));
const benchSecret = (imei: string): string =>
  createHmac('sha256', 'coldchain-notify-bench').update(imei).digest('base64url').slice(0, 22);
const benchMac = (kind: 'load' | 'probe', i: number): string => {
  const hex = i.toString(16).padStart(8, '0').toUpperCase();
  return `${kind === 'load' ? 'B1' : 'B2'}:BE:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
};
/** Tag MACs as the alarm engine writes them into alert keys. */
const normMac = (mac: string): string => mac.toUpperCase().replace(/-/g, ':');

interface HubSpec extends FleetHubSpec {
  tags: Array<{ mac: string }>;
}

function hubsOf(kind: 'load' | 'probe', first: number, count: number, tagsPerHub: number): HubSpec[] {
  return Array.from({ length: count }, (_, k) => {
    const h = first + k;
    const imei = benchImei(kind, h);
    return {
      imei,
      secret: benchSecret(imei),
      tags: Array.from({ length: tagsPerHub }, (_, t) => ({ mac: benchMac(kind, h * tagsPerHub + t) })),
    };
  });
}

/** Migrates the run's schema (through the store) and inserts tenant, profile, hubs and tags. */
async function seed(databaseUrl: string, schema: string, hubs: HubSpec[]): Promise<void> {
  const store = await startMetadata(new PostgresDatabase(databaseUrl, { schema }));
  try {
    await store.tenants.createTenant({ id: BENCH.tenant, name: 'Notify benchmark' });
    await store.profiles.saveProfile({
      id: BENCH.profileId,
      tenantId: BENCH.tenant,
      name: 'Chilled 2–8 °C',
      temperature: { min: 2, max: 8 },
    });
  } finally {
    await store.database.close();
  }
  // One multi-row INSERT each (the port inserts one row per call, each bumping the metadata version).
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const now = Date.now();
    await client.query('BEGIN');
    await client.query(`SET LOCAL search_path TO ${schema}`);
    await client.query(
      `INSERT INTO hubs (imei, tenant_id, name, secret_hash, updated_at)
       SELECT imei, $2, 'Bench hub ' || imei, hash, $3 FROM unnest($1::text[], $4::text[]) AS t(imei, hash)`,
      [hubs.map((h) => h.imei), BENCH.tenant, now, hubs.map((h) => hashHubSecret(h.secret))],
    );
    await client.query(
      `INSERT INTO tags (mac, tenant_id, name, profile_id, updated_at)
       SELECT mac, $2, 'Bench tag ' || mac, $3, $4 FROM unnest($1::text[]) AS t(mac)`,
      [hubs.flatMap((h) => h.tags.map((t) => t.mac)), BENCH.tenant, BENCH.profileId, now],
    );
    await client.query('UPDATE metadata_version SET version = version + 1 WHERE id = 1');
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

async function sql<T extends pg.QueryResultRow>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

class InfluxAdmin {
  constructor(private readonly url: string) {}
  async query(q: string): Promise<void> {
    const res = await fetch(`${this.url}/query`, {
      method: 'POST',
      body: new URLSearchParams({ q }),
      headers: { Authorization: 'Token dev-token' },
    });
    const body = (await res.json()) as { results?: Array<{ error?: string }>; error?: string };
    const err = body.error ?? body.results?.find((r) => r.error)?.error;
    if (!res.ok || err) throw new Error(`InfluxQL "${q}": ${res.status} ${err ?? ''}`);
  }
}

/** The providers process: ready with its ports, then every acceptance as it happens. */
class Providers {
  readonly child;
  readonly ready: Promise<Extract<ProvidersReply, { kind: 'ready' }>>;
  private listener?: (a: Extract<ProvidersReply, { kind: 'accepted' }>) => void;
  accepted = 0;

  constructor(distBench: string) {
    this.child = adopt(
      fork(join(distBench, 'notify', 'providers.js'), [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: [],
      }),
    );
    this.ready = new Promise((resolve, reject) => {
      this.child.on('message', (m) => {
        const r = m as ProvidersReply;
        if (r.kind === 'ready') resolve(r);
        else if (r.kind === 'error') reject(new Error(`providers: ${r.message}`));
        else if (r.kind === 'accepted') {
          this.accepted++;
          this.listener?.(r);
        }
      });
      this.child.once('exit', (code) => reject(new Error(`providers exited (${code})`)));
    });
  }

  onAccepted(fn: (a: Extract<ProvidersReply, { kind: 'accepted' }>) => void): void {
    this.listener = fn;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ cmd: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

interface Probe {
  mac: string;
  hub: string;
  /** Measured time of the fresh reading = the instant just before the publish, epoch ms. */
  measuredAt: number;
  warmup: boolean;
  email?: { at: number; alertKey: string };
  sms?: { at: number; alertKey: string };
}

export interface BreakdownStep {
  step: string;
  n: number;
  p50_ms: number | null;
  p99_ms: number | null;
}

export interface ProductionLevel {
  offeredReadingsPerS: number;
  loadHubs: number;
  tagsPerHub: number;
  fleetConnectMs: number;
  /**
   * The measured window, s: from the counters read just before the warm-up probes to those read
   * once the last probe was delivered (or the drain ran out); the rates and CPU shares are over it.
   */
  windowS: number;
  /** Readings the gateway acknowledged (PUBACK) per s over the window, from the fleet's counters. */
  ackedReadingsPerS: number;
  /** Readings the ingest instances stored per s over the window (coldchain_readings_ingested_total). */
  ingestedReadingsPerS: number;
  loadavgAtStart: number[];
  loadavgAtEnd: number[];
  results: LatencyRow[];
  /** Where the time went, per probe, from the run's own records (see docs/notifications.md, Benchmark). */
  breakdown: BreakdownStep[];
  /**
   * Every counted probe in publish order: [s since the first, publish → SMTP 250, publish → Twilio 201,
   * hub → alert emitted] (ms; null = missing), to see whether the slow ones come together (a burst)
   * or alone.
   */
  probes: [number, number | null, number | null, number | null][];
  /** Wall-clock time of the first counted probe (ISO): lines `probes` up with engine logs and samplers. */
  firstProbeAt: string | null;
  /** Share of one core over the window and peak RSS, per process group. */
  processes: Record<string, { cpuPct: number; peakRssMiB: number }>;
  /** The whole machine over the window, % of one core (2 cores = 200 %): busy, I/O wait, stolen by the host. */
  machineCpuPct: { busyPct: number; iowaitPct: number; stealPct: number };
  /** Event-loop delay p99 per app at the end of the window (prom-client, since the app started), ms. */
  eventLoopLagP99Ms: Record<string, number>;
  /**
   * Means over the level's alerts from the notifier's own histograms (libs/notifications/src/notifier/notifier.metrics.ts),
   * ms; over the window, so the 5 warm-up probes' alerts count too.
   */
  notifierMeansMs: {
    alertAgeOnArrival: number | null;
    providerCallEmail: number | null;
    providerCallSms: number | null;
  };
  /** Ingest over the window (both instances): batches, mean records per batch, mean InfluxDB write per batch (ms). */
  ingestBatches: {
    batches: number;
    meanRecords: number | null;
    meanStoreWriteMs: number | null;
    /** Batches that waited for room in the full store write-behind, and their total wait (backpressure). */
    writeBehindWaits: number;
    writeBehindWaitS: number;
  };
  /** `SELECT 1` round trips from this process to PostgreSQL every 100 ms over the window. */
  postgresRoundTrip: { n: number; p50_ms: number | null; p99_ms: number | null };
}

/** Sum and count of the notifier's latency histograms (from its /metrics page), to difference over a level. */
function notifierHistograms(notifier: string): number[] {
  const pairs: Array<[string, string]> = [
    ['coldchain_notifier_alert_age_seconds', ''],
    ['coldchain_notification_provider_seconds', 'channel="email:smtp",outcome="accepted"'],
    ['coldchain_notification_provider_seconds', 'channel="sms:twilio",outcome="accepted"'],
  ];
  return pairs.flatMap(([name, labels]) => [
    sumOf(notifier, `${name}_sum`, labels),
    sumOf(notifier, `${name}_count`, labels),
  ]);
}

/** Times `SELECT 1` every `everyMs` until stopped: what one database round trip costs on the loaded machine. */
function pingPostgres(databaseUrl: string, everyMs: number): { stop: () => Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop: Promise<void> = (async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      while (running) {
        const t = performance.now();
        await client.query('SELECT 1');
        samples.push(performance.now() - t);
        await sleep(everyMs);
      }
    } finally {
      await client.end();
    }
  })();
  loop.catch(() => undefined); // reported by stop(); never an unhandled rejection meanwhile
  return {
    stop: async () => {
      running = false;
      await loop.catch((err: unknown) => log(`postgres ping: ${String(err)}`));
      return samples;
    },
  };
}

export async function runProduction(opts: ProductionOptions): Promise<ProductionLevel[]> {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const schema = `bench_notify_${run}`;
  const influxDb = `coldchain_bench_notify_${run}`;
  const nsPrefix = `bench-notify-${run}-`;
  const dataDir = join(tmpdir(), `cc-bench-notify-${run}`);
  const logDir = join(opts.repo, 'bench', 'results', 'profiles');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });

  log('engines: infra/up.sh kafka influxdb postgres (starts what is not up)');
  const endpoints = await infraUp(opts.repo);
  const infraDir = process.env.COLDCHAIN_INFRA_DIR ?? join(opts.repo, '.infra');
  const databaseUrl = endpoints.DATABASE_URL;
  const influx = new InfluxAdmin(endpoints.INFLUX_URL);
  const kafka = new Kafka({
    clientId: 'notify-bench',
    brokers: endpoints.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });

  // Hubs: the largest level's load fleet, and probe hubs for every level (fresh tags per level).
  const maxLoadHubs = Math.max(
    0,
    ...opts.loads.map((l) => Math.round((l * opts.intervalMs) / 1000 / opts.tagsPerHub)),
  );
  const probeHubsPerLevel = Math.ceil((opts.probes + opts.warmup) / BENCH.probeTagsPerHub);
  const loadHubs = hubsOf('load', 0, maxLoadHubs, opts.tagsPerHub);
  const probeHubs = hubsOf('probe', 0, probeHubsPerLevel * opts.loads.length, BENCH.probeTagsPerHub);

  const providers = new Providers(opts.distBench);
  const generator = new GeneratorClient(opts.distBench, opts.generatorNice);
  const levels: ProductionLevel[] = [];
  const namespaces: string[] = [];
  try {
    await influx.query(`CREATE DATABASE ${influxDb}`);
    await influx.query(`CREATE RETENTION POLICY positions_60d ON ${influxDb} DURATION 60d REPLICATION 1`);
    log(`seeding schema ${schema}: ${loadHubs.length + probeHubs.length} hubs`);
    await seed(databaseUrl, schema, [...loadHubs, ...probeHubs]);
    const ready = await providers.ready;
    const routingFile = join(dataDir, 'routing.json');
    writeFileSync(
      routingFile,
      JSON.stringify({
        tenants: {
          [BENCH.tenant]: {
            contacts: [
              {
                id: 'oncall',
                name: 'Bench On-call',
                email: BENCH.email,
                phone: BENCH.phone,
                timeZone: 'UTC',
              },
            ],
            defaultContacts: ['oncall'],
          },
        },
      }),
    );
    const baseEnv: Record<string, string> = {
      ...endpoints,
      BUS: 'kafka',
      TELEMETRY_STORE: 'influxdb',
      METADATA_STORE: 'postgres',
      DATABASE_SCHEMA: schema,
      INFLUX_BUCKET: `${influxDb}/autogen`,
      INFLUX_POSITIONS_BUCKET: `${influxDb}/positions_60d`,
      SEED_DEMO: 'false',
      SIM_HUBS: '0',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(ready.smtpPort),
      TWILIO_ACCOUNT_SID: ready.twilio.accountSid,
      TWILIO_AUTH_TOKEN: ready.twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: ready.twilio.baseUrl,
      // Callback URLs are only built, never called: the stand-in sends callbacks only when asked.
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
      ACK_LINK_SECRET: randomBytes(32).toString('hex'),
      NOTIFY_ROUTING_FILE: routingFile,
      // A storm summary waits for its window by design: 1 ms texts each probe's alert on its own.
      NOTIFY_STORM_WINDOW_MS: '1',
      NOTIFY_EMAIL_PER_HOUR: '1000000',
      NOTIFY_SMS_PER_HOUR: '1000000',
      ...opts.appEnv,
    };

    for (const [li, load] of opts.loads.entries()) {
      const ns = `${nsPrefix}${li}.`;
      namespaces.push(ns);
      const levelProbeHubs = probeHubs.slice(li * probeHubsPerLevel, (li + 1) * probeHubsPerLevel);
      levels.push(
        await runLevel({
          opts,
          load,
          env: { ...baseEnv, KAFKA_NAMESPACE: ns },
          ns,
          loadHubs: loadHubs.slice(0, Math.round((load * opts.intervalMs) / 1000 / opts.tagsPerHub)),
          probeHubs: levelProbeHubs,
          providers,
          generator,
          kafka,
          databaseUrl,
          schema,
          logDir,
          infraDir,
        }),
      );
    }
  } finally {
    generator.child.kill('SIGKILL');
    await providers.stop().catch(() => undefined);
    const admin = kafka.admin();
    try {
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(nsPrefix));
      if (topics.length) await admin.deleteTopics({ topics, timeout: 30_000 });
      await admin.disconnect();
    } catch (err) {
      log(`could not delete the run's Kafka topics: ${(err as Error).message}`);
    }
    await influx.query(`DROP DATABASE ${influxDb}`).catch((err: unknown) => log(String(err)));
    await sql(databaseUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch((err: unknown) =>
      log(`could not drop schema ${schema}: ${String(err)}`),
    );
    rmSync(dataDir, { recursive: true, force: true });
  }
  return levels;
}

interface LevelContext {
  opts: ProductionOptions;
  load: number;
  env: Record<string, string>;
  ns: string;
  loadHubs: HubSpec[];
  probeHubs: HubSpec[];
  providers: Providers;
  generator: GeneratorClient;
  kafka: Kafka;
  databaseUrl: string;
  schema: string;
  logDir: string;
  infraDir: string;
}

async function runLevel(c: LevelContext): Promise<ProductionLevel> {
  const { opts, load } = c;
  const loadavgAtStart = load3();
  log(
    `level ${load} readings/s: ${c.loadHubs.length} hubs × ${opts.tagsPerHub} tags every ${opts.intervalMs} ms; load average ${loadavgAtStart.join(' ')}`,
  );
  const appOpts = {
    dist: join(opts.distBench, '..'),
    logDir: c.logDir,
    startTimeoutMs: BENCH.appStartTimeoutMs,
  };
  const mqttPort = await freePort();
  const apps: App[] = [];
  const probes = new Map<string, Probe>();
  const clients: MqttClient[] = [];
  let meter: ProcessMeter | undefined;
  let ping: ReturnType<typeof pingPostgres> | undefined;
  let fleetStarted = false;
  try {
    // Same order as scripts/start-stack.sh: gateway, ingest instances, notifier.
    apps.push(
      await startApp(
        'notify-gateway',
        'apps/gateway/src/main.js',
        // The whole load fleet connects from 127.0.0.1.
        { ...c.env, MQTT_PORT: String(mqttPort), MQTT_MAX_CONNECTIONS_PER_ADDRESS: '0' },
        appOpts,
      ),
    );
    const started = await Promise.all([
      ...Array.from({ length: opts.ingestInstances }, (_, i) =>
        startApp(`notify-ingest-${i + 1}`, 'apps/ingest/src/main.js', c.env, appOpts),
      ),
      startApp('notify-notifier', 'apps/notifier/src/main.js', c.env, appOpts),
    ]);
    apps.push(...started);
    const ingests = apps.filter((a) => a.name.includes('ingest'));
    const notifier = apps.find((a) => a.name.endsWith('notifier'))!;
    /**
     * The counters a level differences: one /metrics render per app, all at once (each render costs
     * the app's event loop; taken outside the counted probes, see below).
     */
    const snapshot = async () => {
      const [texts, acked] = await Promise.all([
        Promise.all(apps.map(metricsText)),
        fleetStarted ? c.generator.stats().then((s) => s.stats.readingsAcked) : 0,
      ]);
      const textOf = (a: App): string => texts[apps.indexOf(a)];
      return {
        at: Date.now(),
        ingest: ingestTotals(ingests.map(textOf)),
        notifier: notifierHistograms(textOf(notifier)),
        acked,
        /** Event-loop delay p99 per app (prom-client's, since the app started), ms. */
        lagP99Ms: Object.fromEntries(
          apps.map((a) => [
            a.name.replace(/^notify-/, ''),
            Math.round(sampleOf(textOf(a), 'coldchain_process_nodejs_eventloop_lag_p99_seconds') * 1000),
          ]),
        ),
      };
    };

    c.providers.onAccepted((a) => {
      const [, tag, rule, , transition] = a.alertKey.split('/');
      if (rule !== 'temperature.high' || transition !== 'raised') return;
      const p = probes.get(normMac(tag ?? ''));
      if (!p) return;
      p[a.channel] ??= { at: a.at, alertKey: a.alertKey };
    });

    const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`;
    let fleetConnectMs = 0;
    if (c.loadHubs.length > 0) {
      const { connectMs } = await c.generator.start(
        brokerUrl,
        c.loadHubs,
        opts.intervalMs,
        BENCH.connectTimeoutMs,
      );
      fleetStarted = true;
      fleetConnectMs = connectMs;
      log(`fleet online in ${connectMs} ms`);
    }
    for (const h of c.probeHubs)
      clients.push(
        await connectAsync(brokerUrl, {
          clientId: `khub-${h.imei}`,
          username: h.imei,
          password: h.secret,
          reconnectPeriod: 0,
        }),
      );
    await sleep(opts.settleS * 1000);

    const groups: Group[] = [
      ...apps.map((a) => ({ name: a.name.replace(/^notify-/, ''), pids: () => [a.child.pid!] })),
      { name: 'providers', pids: () => [c.providers.child.pid!] },
      { name: 'generator', pids: () => [c.generator.child.pid!] },
      { name: 'bench', pids: () => [process.pid] },
      ...engineGroups(c.infraDir),
    ];
    meter = new ProcessMeter(groups);

    // Open-loop probes: one every probeIntervalMs on a fresh tag, round-robin over the probe hubs.
    const total = opts.warmup + opts.probes;
    const publishErrors: string[] = [];
    const seq = new Map<string, number>();
    // The window's counters are read before the warm-up probes and after the drain: reading them
    // renders every app's /metrics, which would otherwise delay the counted probes around it.
    ping = pingPostgres(c.databaseUrl, 100);
    const start = await snapshot();
    meter.begin();
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = t0 + i * opts.probeIntervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      const hubIndex = i % c.probeHubs.length;
      const hub = c.probeHubs[hubIndex];
      const tag = hub.tags[Math.floor(i / c.probeHubs.length)];
      const n = (seq.get(hub.imei) ?? 0) + 1;
      seq.set(hub.imei, n);
      const measuredAt = Date.now();
      const hot = 8 + 5; // the profile's maximum + 5 °C
      const payload = {
        v: 1,
        hub: hub.imei,
        seq: n,
        sentAt: new Date(measuredAt).toISOString(),
        readings: [measuredAt - BENCH.reorderToleranceMs - 20_000, measuredAt].map((ts) => ({
          tag: tag.mac,
          ts,
          temperature: hot,
        })),
      };
      probes.set(normMac(tag.mac), { mac: tag.mac, hub: hub.imei, measuredAt, warmup: i < opts.warmup });
      clients[hubIndex]
        .publishAsync(`khub/${hub.imei}/telemetry`, JSON.stringify(payload), { qos: 1 })
        .catch((err: unknown) => publishErrors.push(String(err)));
    }
    // The load keeps running while the last probes are waited for (up to drainS).
    const done = (): boolean => [...probes.values()].every((p) => p.email && p.sms);
    const deadline = Date.now() + opts.drainS * 1000;
    while (!done() && Date.now() < deadline) await sleep(50);
    const processes = meter.end();
    const end = await snapshot();
    const pgSamples = await ping.stop();
    ping = undefined;
    const windowS = Math.max(0.001, (end.at - start.at) / 1000);
    const d = (k: keyof IngestTotals): number => end.ingest[k] - start.ingest[k];
    const [ingested, batches, records, writes, writeS, waits, waitS] = (
      ['ingested', 'batches', 'records', 'writes', 'writeS', 'waits', 'waitS'] as const
    ).map(d);
    const eventLoopLagP99Ms = end.lagP99Ms;
    const meanMs = (k: number): number | null => {
      const count = end.notifier[k + 1] - start.notifier[k + 1];
      return count > 0 ? Math.round(((end.notifier[k] - start.notifier[k]) / count) * 10_000) / 10 : null;
    };
    if (publishErrors.length) log(`probe publishes failed: ${publishErrors.slice(0, 3).join('; ')}`);
    const loadavgAtEnd = load3();

    if (fleetStarted) {
      fleetStarted = false;
      await c.generator.stop();
    }
    const counted = [...probes.values()].filter((p) => !p.warmup);
    const results = [
      latencyRow(
        'publish → SMTP 250 (email)',
        counted.map((p) => (p.email ? p.email.at - p.measuredAt : undefined)),
      ),
      latencyRow(
        'publish → Twilio 201 (SMS)',
        counted.map((p) => (p.sms ? p.sms.at - p.measuredAt : undefined)),
      ),
    ];
    const { breakdown, emittedMs } = await breakdownOf(c, counted);
    const firstAt = counted[0]?.measuredAt ?? 0;
    const ms = (x: number | undefined): number | null => (x === undefined ? null : Math.round(x));
    const level: ProductionLevel = {
      offeredReadingsPerS: load,
      loadHubs: c.loadHubs.length,
      tagsPerHub: opts.tagsPerHub,
      fleetConnectMs,
      windowS: Math.round(windowS * 10) / 10,
      ackedReadingsPerS: Math.round((end.acked - start.acked) / windowS),
      ingestedReadingsPerS: Math.round(ingested / windowS),
      loadavgAtStart,
      loadavgAtEnd,
      results,
      breakdown,
      probes: counted.map((p, i) => [
        Math.round((p.measuredAt - firstAt) / 100) / 10,
        ms(p.email && p.email.at - p.measuredAt),
        ms(p.sms && p.sms.at - p.measuredAt),
        ms(emittedMs[i]),
      ]),
      firstProbeAt: counted[0] ? new Date(firstAt).toISOString() : null,
      processes,
      machineCpuPct: meter.machine,
      eventLoopLagP99Ms,
      notifierMeansMs: {
        alertAgeOnArrival: meanMs(0),
        providerCallEmail: meanMs(2),
        providerCallSms: meanMs(4),
      },
      postgresRoundTrip: p50p99(pgSamples),
      ingestBatches: {
        batches,
        meanRecords: batches > 0 ? Math.round(records / batches) : null,
        meanStoreWriteMs: writes > 0 ? Math.round((writeS / writes) * 1000) : null,
        writeBehindWaits: waits,
        writeBehindWaitS: Math.round(waitS * 10) / 10,
      },
    };
    log(
      `level ${load}: acked ${level.ackedReadingsPerS}/s, ingested ${level.ingestedReadingsPerS}/s, load average ${loadavgAtEnd.join(' ')}; ` +
        Object.entries(processes)
          .map(([k, v]) => `${k} ${v.cpuPct}%`)
          .join(' ') +
        `; machine busy ${meter.machine.busyPct}%, iowait ${meter.machine.iowaitPct}%, steal ${meter.machine.stealPct}%`,
    );
    console.table(results);
    console.table(breakdown);
    const slowest = [...level.probes].sort((x, y) => (y[1] ?? Infinity) - (x[1] ?? Infinity)).slice(0, 8);
    log(
      `slowest probes by email (s since the first at ${level.firstProbeAt}: email / SMS / emitted ms): ${slowest.map((p) => `${p[0]}s: ${p[1]}/${p[2]}/${p[3]}`).join(', ')}`,
    );
    log(
      `notifier means: alert age on arrival ${level.notifierMeansMs.alertAgeOnArrival} ms, provider call email ${level.notifierMeansMs.providerCallEmail} ms, SMS ${level.notifierMeansMs.providerCallSms} ms; ` +
        `ingest ${level.ingestBatches.batches} batches of ${level.ingestBatches.meanRecords} records, InfluxDB write ${level.ingestBatches.meanStoreWriteMs} ms, ${level.ingestBatches.writeBehindWaits} waits for the write-behind (${level.ingestBatches.writeBehindWaitS} s); ` +
        `PostgreSQL round trip p50 ${level.postgresRoundTrip.p50_ms} ms, p99 ${level.postgresRoundTrip.p99_ms} ms; event-loop lag p99 ${JSON.stringify(eventLoopLagP99Ms)}`,
    );
    return level;
  } finally {
    // A level that failed half-way: nothing of it may keep running (timers, the database ping).
    meter?.end();
    await ping?.stop();
    if (fleetStarted) await c.generator.stop().catch(() => undefined);
    await Promise.all(clients.map((cl) => cl.endAsync().catch(() => undefined)));
    await Promise.all(apps.map((a) => stopChild(a.child)));
  }
}

/**
 * Per probe, from the run's own records: the alert's `emittedAt` (ingest, as its batch is
 * evaluated; the InfluxDB write is behind, in the write-behind) and its Kafka record timestamp (the producer's send) from the
 * level's alerts topic; each delivery's `created_at` (the notifier, just before it acquires the
 * delivery in the log) and `updated_at` (marked sent) from notification_deliveries.
 */
async function breakdownOf(
  c: LevelContext,
  probes: Probe[],
): Promise<{ breakdown: BreakdownStep[]; emittedMs: (number | undefined)[] }> {
  const keys = new Set(probes.flatMap((p) => [p.email?.alertKey, p.sms?.alertKey]).filter(Boolean));
  const kafkaAt = new Map<string, { ts: number; emittedAt: number }>();
  const consumer = c.kafka.consumer({ groupId: `${c.ns}bench-breakdown-${randomBytes(4).toString('hex')}` });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: `${c.ns}coldchain.alerts.v1`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        try {
          const e = JSON.parse(message.value?.toString() ?? '') as { key: string; emittedAt: number };
          if (keys.has(e.key)) kafkaAt.set(e.key, { ts: Number(message.timestamp), emittedAt: e.emittedAt });
        } catch {
          // not an alert event
        }
      },
    });
    const deadline = Date.now() + BENCH.kafkaReadMs;
    while (kafkaAt.size < keys.size && Date.now() < deadline) await sleep(100);
  } catch (err) {
    log(`breakdown: could not read the alerts topic: ${(err as Error).message}`);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  const rows = await sql<{ alert_key: string; channel: string; created_at: number; updated_at: number }>(
    c.databaseUrl,
    `SELECT alert_key, channel, created_at::float8 AS created_at, updated_at::float8 AS updated_at
       FROM ${c.schema}.notification_deliveries WHERE alert_key = ANY($1::text[])`,
    [[...keys]],
  );
  const delivery = new Map(rows.map((r) => [`${r.alert_key}|${r.channel}`, r]));
  const steps: Record<string, number[]> = {
    'hub → alert emitted (gateway, Kafka, ingest queue, engine)': [],
    'emitted → on Kafka (ingest produce)': [],
    'on Kafka → delivery started (notifier fetch, record alert, plan)': [],
    'delivery started → SMTP 250 (acquire, render, SMTP)': [],
    'delivery started → Twilio 201 (acquire, render, HTTP)': [],
    'SMTP 250 → marked sent': [],
    'Twilio 201 → marked sent': [],
  };
  const [hubStep, produceStep, pickupStep, emailStep, smsStep, emailMark, smsMark] = Object.values(steps);
  const emittedMs: (number | undefined)[] = [];
  for (const p of probes) {
    const key = p.email?.alertKey ?? p.sms?.alertKey;
    const k = key ? kafkaAt.get(key) : undefined;
    const email = p.email && delivery.get(`${p.email.alertKey}|email`);
    const sms = p.sms && delivery.get(`${p.sms.alertKey}|sms`);
    emittedMs.push(k && k.emittedAt - p.measuredAt);
    if (k) {
      hubStep.push(k.emittedAt - p.measuredAt);
      produceStep.push(k.ts - k.emittedAt);
      const firstDelivery = Math.min(email?.created_at ?? Infinity, sms?.created_at ?? Infinity);
      if (Number.isFinite(firstDelivery)) pickupStep.push(firstDelivery - k.ts);
    }
    if (p.email && email) {
      emailStep.push(p.email.at - email.created_at);
      emailMark.push(email.updated_at - p.email.at);
    }
    if (p.sms && sms) {
      smsStep.push(p.sms.at - sms.created_at);
      smsMark.push(sms.updated_at - p.sms.at);
    }
  }
  return { breakdown: Object.entries(steps).map(([step, xs]) => ({ step, ...p50p99(xs) })), emittedMs };
}
