/**
 * Alarm engine (libs/alarm-engine) on the hot path: evaluation cost per
 * reading with realistic profiles (target < 2 µs) and state memory for
 * 100,000 active tags (target < 200 MB).
 *
 *   npm run build && node --expose-gc dist/bench/alarm-engine.bench.js [--tags 10000] [--passes 5] [--memory-tags 100000]
 *
 * Workloads (records generated outside the timed sections, deterministic PRNG):
 * - live: every tag sends one reading per minute, one record per reading,
 *   batches of 500 records (a Kafka batch); each timed pass is the next
 *   10 minutes of measured time, so nothing is a redelivery;
 * - flush: hubs flushing 6 h of buffer, one record of 360 readings per tag;
 * - tick: the time-driven pass over every tag;
 * - memory: heap + array buffers after forced GC, before and after 100,000
 *   tags have each sent 5 readings (state with reorder buffers, statistics,
 *   trips), records released; plus the changelog snapshot size.
 * Times are process CPU time (user + system, GC threads included) and wall
 * time; on a shared machine read the CPU column. Prints a table and writes
 * bench/results/alarm-engine.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import {
  AlarmEngine,
  validateProfile,
  type AlarmEngineConfig,
  type Trip,
  type TripLookup,
} from '@coldchain/alarm-engine';
import type { Profile, ProfileLookup, TelemetryRecord } from '@coldchain/domain';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TAGS = arg('tags', 10_000);
const PASSES = arg('passes', 5);
const MEMORY_TAGS = arg('memory-tags', 100_000);
const BATCH_RECORDS = 500;
const PASS_MINUTES = 10;
const FLUSH_TAGS = 1_000;
const FLUSH_READINGS = 360;

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const TENANT = 'bench-tenant';

// ---- realistic profiles -------------------------------------------------------------------

/** Vaccines 2–8 °C: every rule kind, delays, hysteresis, reminders, budget. */
const VACCINES: Profile = {
  id: 'vaccines',
  tenantId: TENANT,
  name: 'Vaccines 2–8 °C',
  version: 3,
  temperature: { min: 2, max: 8 },
  rules: {
    temperature: {
      low: {
        warning: { bound: 2, delayMs: 15 * MIN },
        critical: { bound: 0, delayMs: 5 * MIN },
        hysteresis: 0.5,
        repeatMs: 30 * MIN,
      },
      high: {
        warning: { bound: 8, delayMs: 15 * MIN },
        critical: { bound: 12, delayMs: 5 * MIN },
        hysteresis: 0.5,
        repeatMs: 30 * MIN,
        budgetMs: 60 * MIN,
      },
    },
    humidity: { high: { warning: { bound: 85, delayMs: 30 * MIN } } },
    battery: { low: { warning: { bound: 20 }, critical: { bound: 5 } } },
    door: { open: { warning: { afterMs: 5 * MIN }, critical: { afterMs: 15 * MIN }, repeatMs: 10 * MIN } },
    tag: { silent: { warning: { afterMs: 30 * MIN }, critical: { afterMs: 2 * 60 * MIN } } },
    hub: { offline: { warning: { afterMs: 15 * MIN } } },
  },
};

/** Frozen −25…−15 °C, trip-scoped, door alarm outside office hours (a schedule in a time zone). */
const FROZEN: Profile = {
  id: 'frozen',
  tenantId: TENANT,
  name: 'Frozen −25…−15 °C',
  version: 1,
  temperature: { min: -25, max: -15 },
  rules: {
    temperature: {
      low: { critical: { bound: -30, delayMs: 10 * MIN } },
      high: {
        warning: { bound: -15, delayMs: 10 * MIN },
        critical: { bound: -10 },
        hysteresis: 1,
        budgetMs: 30 * MIN,
        tripOnly: true,
      },
    },
    door: {
      open: {
        warning: { afterMs: 2 * MIN },
        schedule: {
          timeZone: 'Europe/Paris',
          windows: [
            { days: [1, 2, 3, 4, 5], from: '18:00', to: '08:00' },
            { days: [6, 7], from: '00:00', to: '24:00' },
          ],
        },
      },
    },
    tag: { silent: { warning: { afterMs: 30 * MIN } } },
  },
};

for (const p of [VACCINES, FROZEN]) {
  const problems = validateProfile(p);
  if (problems.length > 0) throw new Error(`bench profile ${p.id} is invalid: ${problems.join('; ')}`);
}

/** Two profiles by the tag's last character: no per-tag memory in the lookup itself. */
const profiles: ProfileLookup = {
  profileForTag: (_tenant, mac) => (mac.charCodeAt(mac.length - 1) & 1 ? FROZEN : VACCINES),
};
const TRIP: Trip = { id: 'trip-42', startedAt: T0 - 60 * MIN };
/** Half the tags are on a trip. */
const trips: TripLookup = {
  tripForTag: (_tenant, mac) => (mac.charCodeAt(mac.length - 2) & 1 ? TRIP : undefined),
};

// ---- deterministic data -------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mac = (i: number): string =>
  `AA:BB:${((i >> 24) & 255).toString(16).padStart(2, '0')}:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${(
    (i >> 8) &
    255
  )
    .toString(16)
    .padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`.toUpperCase();
const hubOf = (i: number): string => String(356938035640000 + Math.floor(i / 20)); // 20 tags per hub

/** A tag's temperature at a minute: daily-ish oscillation crossing the high bound now and then, plus noise. */
function temperatureAt(tag: number, minute: number, rnd: () => number): number {
  const frozen = mac(tag).charCodeAt(16) & 1;
  const base = frozen ? -20 : 5;
  const swing = frozen ? 6 : 4.2;
  return (
    Math.round((base + swing * Math.sin((2 * Math.PI * (minute + tag * 37)) / 240) + (rnd() - 0.5)) * 10) / 10
  );
}

function liveRecords(
  tags: number,
  fromMinute: number,
  minutes: number,
  rnd: () => number,
  macs: string[],
  hubs: string[],
): TelemetryRecord[] {
  const out: TelemetryRecord[] = [];
  for (let m = fromMinute; m < fromMinute + minutes; m++) {
    for (let t = 0; t < tags; t++) {
      const ts = T0 + m * MIN + (t % 60) * 1000;
      out.push({
        v: 1,
        tenantId: TENANT,
        hub: hubs[t],
        tag: macs[t],
        hubSeq: m,
        sentAt: ts + 200,
        receivedAt: ts + 350,
        readings: [
          {
            ts,
            seq: m,
            temperature: temperatureAt(t, m, rnd),
            humidity: 55 + Math.round(rnd() * 20),
            battery: 80,
            rssi: -70,
            door: rnd() < 1 / 30 ? 'open' : 'closed',
          },
        ],
      });
    }
  }
  return out;
}

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---- measurement helpers ------------------------------------------------------------------

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

interface Timing {
  /** Wall-clock time, ns. */
  wallNs: number;
  /** CPU time of the process (user + system, all threads: GC included), ns. */
  cpuNs: number;
}

function timed(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wallNs = Number(process.hrtime.bigint() - t0);
  const c = process.cpuUsage(c0);
  return { wallNs, cpuNs: (c.user + c.system) * 1000 };
}

function timeBatches(
  evaluator: AlarmEngine,
  bs: TelemetryRecord[][],
  now: number,
): Timing & { events: number } {
  let events = 0;
  const t = timed(() => {
    for (const b of bs) events += evaluator.evaluate(b, profiles, now).length;
  });
  return { ...t, events };
}

/** Per-unit figures of several timed passes. */
interface Figures {
  cpu: number[];
  wall: number[];
}
const per = (t: Timing, units: number, f: Figures): void => {
  f.cpu.push(t.cpuNs / units);
  f.wall.push(t.wallNs / units);
};

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run node with --expose-gc');
  for (let i = 0; i < 3; i++) g();
}

const heap = (): { heapUsed: number; arrayBuffers: number } => {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
};

// ---- workloads ------------------------------------------------------------------------------

function liveWorkload(
  make: () => AlarmEngine,
  tags: number,
): Figures & { readingsPerPass: number; eventsPerPass: number[] } {
  const rnd = mulberry32(42);
  const macs = Array.from({ length: tags }, (_, i) => mac(i));
  const hubs = Array.from({ length: tags }, (_, i) => hubOf(i));
  const evaluator = make();
  // Warm-up: 20 minutes of measured time (JIT, state for every tag).
  for (const b of batches(liveRecords(tags, 0, 20, rnd, macs, hubs), BATCH_RECORDS))
    evaluator.evaluate(b, profiles, T0 + 20 * MIN);
  const f: Figures = { cpu: [], wall: [] };
  const eventsPerPass: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    const from = 20 + p * PASS_MINUTES;
    const bs = batches(liveRecords(tags, from, PASS_MINUTES, rnd, macs, hubs), BATCH_RECORDS);
    gc(); // the generator's garbage is not the engine's cost
    const t = timeBatches(evaluator, bs, T0 + (from + PASS_MINUTES) * MIN);
    per(t, tags * PASS_MINUTES, f);
    eventsPerPass.push(t.events);
  }
  return { ...f, readingsPerPass: tags * PASS_MINUTES, eventsPerPass };
}

function flushWorkload(): Figures & { events: number[] } {
  const rnd = mulberry32(7);
  const f: Figures = { cpu: [], wall: [] };
  const eventsOut: number[] = [];
  for (let p = 0; p < PASSES + 1; p++) {
    const engine = new AlarmEngine({ trips });
    const receivedAt = T0 + (FLUSH_READINGS + 5) * MIN;
    const recs: TelemetryRecord[] = [];
    for (let t = 0; t < FLUSH_TAGS; t++) {
      const readings = [];
      for (let m = 0; m < FLUSH_READINGS; m++)
        readings.push({
          ts: T0 + m * MIN,
          temperature: temperatureAt(t, m, rnd),
          humidity: 60,
          battery: 80,
          door: 'closed' as const,
        });
      recs.push({
        v: 1,
        tenantId: TENANT,
        hub: hubOf(t),
        tag: mac(t),
        hubSeq: 1,
        sentAt: receivedAt - 100,
        receivedAt,
        readings,
      });
    }
    const bs = batches(recs, 10);
    gc();
    const t = timeBatches(engine, bs, receivedAt);
    if (p > 0) {
      // Pass 0 warms the JIT up.
      per(t, FLUSH_TAGS * FLUSH_READINGS, f);
      eventsOut.push(t.events);
    }
  }
  return { ...f, events: eventsOut };
}

function tickWorkload(): Figures {
  const rnd = mulberry32(9);
  const macs = Array.from({ length: TAGS }, (_, i) => mac(i));
  const hubs = Array.from({ length: TAGS }, (_, i) => hubOf(i));
  const engine = new AlarmEngine({ trips });
  for (const b of batches(liveRecords(TAGS, 0, 5, rnd, macs, hubs), BATCH_RECORDS))
    engine.evaluate(b, profiles, T0 + 5 * MIN);
  const f: Figures = { cpu: [], wall: [] };
  for (let p = 0; p <= PASSES; p++) {
    gc();
    const t = timed(() => engine.tick(profiles, T0 + (6 + p) * MIN));
    if (p > 0) per(t, TAGS, f);
  }
  return f;
}

function memoryWorkload(): {
  tags: number;
  heapBytesPerTag: number;
  arrayBufferBytesPerTag: number;
  totalMb: number;
  snapshotJsonBytesPerTag: number;
} {
  gc();
  const before = heap();
  const engine = new AlarmEngine({ trips });
  const rnd = mulberry32(3);
  const CHUNK = 5_000;
  for (let start = 0; start < MEMORY_TAGS; start += CHUNK) {
    const n = Math.min(CHUNK, MEMORY_TAGS - start);
    for (let m = 0; m < 5; m++) {
      const recs: TelemetryRecord[] = [];
      for (let i = start; i < start + n; i++) {
        const ts = T0 + m * MIN + (i % 60) * 1000;
        // Through JSON, as records arrive from the bus: strings and positions are per record, as in production.
        const json = JSON.stringify({
          v: 1,
          tenantId: TENANT,
          hub: hubOf(i),
          tag: mac(i),
          hubSeq: m,
          sentAt: ts + 200,
          receivedAt: ts + 350,
          ...(i & 1
            ? { gps: { lat: 48.85 + rnd() / 100, lon: 2.35 + rnd() / 100, speed: 60, fixAt: ts } }
            : {}),
          readings: [
            {
              ts,
              seq: m,
              temperature: temperatureAt(i, m, rnd),
              humidity: 60,
              battery: 80,
              rssi: -70,
              door: 'closed',
            },
          ],
        });
        recs.push(JSON.parse(json) as TelemetryRecord);
      }
      engine.evaluate(recs, profiles, T0 + (m + 1) * MIN);
    }
  }
  engine.takeChanges(); // the changelog writer would have drained these
  gc();
  const after = heap();
  let snapshotBytes = 0;
  const sample = Math.min(1_000, MEMORY_TAGS);
  for (let i = 0; i < sample; i++)
    snapshotBytes += Buffer.byteLength(JSON.stringify(engine.snapshot(mac(i))));
  if (engine.tagCount !== MEMORY_TAGS)
    throw new Error(`expected ${MEMORY_TAGS} tags, engine holds ${engine.tagCount}`);
  const heapDelta = after.heapUsed - before.heapUsed;
  const abDelta = after.arrayBuffers - before.arrayBuffers;
  return {
    tags: MEMORY_TAGS,
    heapBytesPerTag: round(heapDelta / MEMORY_TAGS),
    arrayBufferBytesPerTag: round(abDelta / MEMORY_TAGS),
    totalMb: round((heapDelta + abDelta) / 1024 / 1024, 1),
    snapshotJsonBytesPerTag: round(snapshotBytes / sample),
  };
}

// ---- run -------------------------------------------------------------------------------------

const config: AlarmEngineConfig = { trips };
const started = Date.now();
const SMALL_TAGS = Math.min(1_000, TAGS);
const live = liveWorkload(() => new AlarmEngine(config), TAGS);
const liveSmall = liveWorkload(() => new AlarmEngine(config), SMALL_TAGS);
const flush = flushWorkload();
const tick = tickWorkload();
const memory = memoryWorkload();

const fig = (f: Figures): { cpuMedian: number; cpuBest: number; wallMedian: number } => ({
  cpuMedian: round(median(f.cpu)),
  cpuBest: round(Math.min(...f.cpu)),
  wallMedian: round(median(f.wall)),
});
const row = (name: string, unit: string, f: Figures, target: string): string[] => {
  const x = fig(f);
  return [name, unit, String(x.cpuMedian), String(x.cpuBest), String(x.wallMedian), target];
};
const rows: string[][] = [
  ['workload', 'unit', 'cpu median', 'cpu best', 'wall median', 'target'],
  row(`live: ${TAGS} tags, 1 reading/record, ${BATCH_RECORDS} records/batch`, 'ns/reading', live, '< 2000'),
  row(`live: ${SMALL_TAGS} tags (state in cache)`, 'ns/reading', liveSmall, '< 2000'),
  row(`flush: ${FLUSH_TAGS} tags × ${FLUSH_READINGS} readings (6 h buffer)`, 'ns/reading', flush, '< 2000'),
  row(`tick: ${TAGS} tags`, 'ns/tag', tick, '—'),
  [`memory: ${memory.tags} active tags, heap + array buffers`, 'MB', String(memory.totalMb), '', '', '< 200'],
  [
    `  per tag: JS heap / array buffers`,
    'bytes',
    `${memory.heapBytesPerTag} / ${memory.arrayBufferBytesPerTag}`,
    '',
    '',
    '',
  ],
  [`  changelog snapshot (JSON)`, 'bytes/tag', String(memory.snapshotJsonBytesPerTag), '', '', ''],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows)
  console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));

const result = {
  bench: 'alarm-engine',
  at: new Date().toISOString(),
  node: process.version,
  /** The machine is shared: CPU time of the process is the figure to read; wall time includes waiting for a core. */
  loadAverage1m: round(loadavg()[0], 2),
  cpus: cpus().length,
  durationS: round((Date.now() - started) / 1000, 1),
  profiles: [VACCINES.name, FROZEN.name],
  live: {
    tags: TAGS,
    passes: PASSES,
    readingsPerPass: live.readingsPerPass,
    ...fig(live),
    cpuNsPerReading: live.cpu.map((x) => round(x)),
    eventsPerPass: live.eventsPerPass,
  },
  liveSmall: { tags: SMALL_TAGS, ...fig(liveSmall) },
  flush: { tags: FLUSH_TAGS, readingsPerTag: FLUSH_READINGS, ...fig(flush), events: flush.events },
  tick: { tags: TAGS, unit: 'ns/tag', ...fig(tick) },
  memory,
  targets: { nsPerReading: 2000, memoryMbFor100kTags: 200 },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/alarm-engine.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `wrote bench/results/alarm-engine.json (${result.durationS} s, load average ${result.loadAverage1m} on ${result.cpus} cpus)`,
);
