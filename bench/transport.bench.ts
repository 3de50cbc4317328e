/**
 * The bus consumer path, batch adapter against the Nest transport: how fast
 * one process consumes telemetry-sized records (one tag's readings, the
 * telemetry topic's codec, bundled on Kafka) when
 * - `batch`: a BusPort subscriber takes whole batches (the ingest consumer's
 *   shape, today's hot path);
 * - `nest-per-value`: a controller's @BusEventPattern handler takes one value
 *   per call through BusServer (Nest's guards, interceptors, pipes and
 *   filters around every call);
 * - `nest-batch`: the same transport with `batch: true`, one call per batch
 *   (the notifier's shape), to tell Nest's per-call cost from the per-value
 *   dispatch.
 * Every handler does the same work per record (it folds the readings), so
 * the differences are the consumer path's.
 *
 * In-process bus: a publisher keeps `--inflight` publishes of `--chunk`
 * records going; `publish` resolves once the group handled the records, so
 * throughput is the whole loop's, and each record's delay runs from its
 * publish call to its handler (p99 in the table). Kafka (needs the stack,
 * `npm run infra:up`; KAFKA_BROKERS, default 127.0.0.1:9092): the records are
 * published first, untimed, to a fresh topic; the timed part is one group
 * draining that backlog, timed from its first record handled (the group's
 * join is not the consumer path), so only the consumer path is measured (no
 * delay column: the records waited in the backlog on purpose). The run's
 * topics are deleted at the end.
 * records/s is records over the timed wall time; CPU is this process's user +
 * system time over it, ms per 1,000 records (the broker's is not counted).
 *
 * One untimed warm-up run per variant first (JIT, Nest's first container).
 * Each round runs every variant once per bus, the order rotated per round;
 * before every run `uptime` and the steal column of `vmstat 1 3` are taken
 * (shared machines). Prints every run and a table of medians, writes
 * bench/results/transport.json.
 *
 *   node dist/bench/transport.bench.js [--rounds 3] [--records 100000] [--kafka-records 50000]
 *     [--chunk 500] [--inflight 8] [--no-kafka]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Controller, Logger, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  BusEventPattern,
  BusServer,
  InProcessBus,
  KafkaBus,
  type BusPort,
  type BusRecord,
  type ConsumedBatch,
  type Subscription,
} from '@coldchain/bus';
import { TELEMETRY_TOPIC, type TopicSpec } from '@coldchain/contract';
import type { TelemetryRecord } from '@coldchain/domain';
import { Kafka, logLevel } from 'kafkajs';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 3);
/** Records per in-process run. */
const RECORDS = arg('records', 100_000);
/** Records per Kafka run (published before the timed drain). */
const KAFKA_RECORDS = arg('kafka-records', 50_000);
/** Records per publish call. */
const CHUNK = arg('chunk', 500);
/** Publish calls in flight at once (in-process). */
const INFLIGHT = arg('inflight', 8);
const WITH_KAFKA = !args.includes('--no-kafka');
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** Readings per record: a hub message's readings of one tag. */
const READINGS_PER_RECORD = 6;
/** Distinct tags (keys). */
const TAGS = 2_000;
const RUN_ID = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

type Variant = 'batch' | 'nest-per-value' | 'nest-batch';
const VARIANTS: Variant[] = ['batch', 'nest-per-value', 'nest-batch'];
type BusKind = 'inprocess' | 'kafka';

interface Machine {
  uptime: string;
  /** The `st` column of `vmstat 1 3`'s two one-second samples, % of CPU time. */
  stealPct: number[];
}

interface Run {
  bus: BusKind;
  variant: Variant;
  round: number;
  records: number;
  wallMs: number;
  recordsPerS: number;
  cpuMsPer1000: number;
  /** In-process only: publish call to handler, ms. */
  p99DelayMs?: number;
  handlerCalls: number;
  machine: Machine;
}

function machine(): Machine {
  const uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  const lines = execFileSync('vmstat', ['1', '3'], { encoding: 'utf8' }).trim().split('\n');
  const header = lines[1].trim().split(/\s+/);
  const st = header.indexOf('st');
  // The first sample is the average since boot; the next two are the last two seconds.
  const stealPct = lines.slice(3).map((l) => Number(l.trim().split(/\s+/)[st]));
  return { uptime, stealPct };
}

const TAG_MACS = Array.from({ length: TAGS }, (_, i) => {
  const hex = i.toString(16).padStart(6, '0').toUpperCase();
  return `AC:23:3F:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
});

/** `n` telemetry records; `hubSeq` carries the record's index (the sink finds its publish time by it). */
function recordsOf(n: number): BusRecord<TelemetryRecord>[] {
  const t0 = Date.UTC(2026, 0, 5, 8);
  return Array.from({ length: n }, (_, i) => {
    const tag = TAG_MACS[i % TAGS];
    const ts = t0 + Math.floor(i / TAGS) * 60_000;
    return {
      key: tag,
      value: {
        v: 1,
        tenantId: 'bench',
        hub: String(350_000_000_000_000 + (i % 200)),
        tag,
        hubSeq: i,
        sentAt: ts + 5_000,
        receivedAt: ts + 5_200,
        readings: Array.from({ length: READINGS_PER_RECORD }, (_, r) => ({
          ts: ts - (READINGS_PER_RECORD - r) * 10_000,
          seq: r,
          temperature: 4 + ((i + r) % 7) * 0.1,
          humidity: 60,
          battery: 90,
          rssi: -70,
        })),
      },
    };
  });
}

/** What every variant does per record: fold its readings, and note when the record was handled. */
class Sink {
  handled = 0;
  calls = 0;
  checksum = 0;
  readonly handledAt: Float64Array;
  /** When the first record was handled: wall ms and this process's CPU ms. */
  firstAt = 0;
  firstCpuMs = 0;
  private done: () => void = () => undefined;
  readonly finished: Promise<void>;

  constructor(readonly expected: number) {
    this.handledAt = new Float64Array(expected);
    this.finished = new Promise((resolve) => (this.done = resolve));
  }

  take(record: TelemetryRecord): void {
    let sum = 0;
    for (const m of record.readings) sum += m.temperature ?? 0;
    this.checksum += sum;
    if (this.firstAt === 0) {
      this.firstAt = performance.now();
      this.firstCpuMs = cpuMs();
    }
    // A redelivered record (none expected) counts once.
    if (this.handledAt[record.hubSeq] === 0) {
      this.handledAt[record.hubSeq] = performance.now();
      if (++this.handled === this.expected) this.done();
    }
  }
}

/** Starts consuming `topic` into `sink` the way `variant` does; returns what to close. */
async function consume(
  bus: BusPort,
  topic: TopicSpec<TelemetryRecord>,
  variant: Variant,
  sink: Sink,
): Promise<{ close(): Promise<void> }> {
  const group = `bench-transport-${variant}-${RUN_ID}-${randomBytes(2).toString('hex')}`;
  if (variant === 'batch') {
    const sub: Subscription = await bus.subscribe(topic, { group }, async (batch) => {
      sink.calls++;
      for (const v of batch.values) sink.take(v);
    });
    return sub;
  }
  const controller =
    variant === 'nest-per-value'
      ? perValueController(topic, group, sink)
      : batchController(topic, group, sink);
  @Module({ controllers: [controller] })
  class BenchModule {}
  const app: INestMicroservice = await NestFactory.createMicroservice(BenchModule, {
    strategy: new BusServer(bus),
    logger: false,
  });
  await app.listen();
  return app;
}

function perValueController(topic: TopicSpec<TelemetryRecord>, group: string, sink: Sink): Type {
  @Controller()
  class PerValueController {
    @BusEventPattern(topic, { group })
    async onRecord(record: TelemetryRecord): Promise<void> {
      sink.calls++;
      sink.take(record);
    }
  }
  return PerValueController;
}

function batchController(topic: TopicSpec<TelemetryRecord>, group: string, sink: Sink): Type {
  @Controller()
  class BatchController {
    @BusEventPattern(topic, { group, batch: true })
    async onBatch(batch: ConsumedBatch<TelemetryRecord>): Promise<void> {
      sink.calls++;
      for (const v of batch.values) sink.take(v);
    }
  }
  return BatchController;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}

async function runInProcess(
  variant: Variant,
  round: number,
  records: BusRecord<TelemetryRecord>[],
): Promise<Run> {
  const m = machine();
  const bus = new InProcessBus({ warn: (msg) => console.warn(msg) });
  const topic = { ...TELEMETRY_TOPIC, name: `bench.transport.${RUN_ID}` };
  const sink = new Sink(records.length);
  const consumer = await consume(bus, topic, variant, sink);
  const publishedAt = new Float64Array(records.length);
  const cpu0 = cpuMs();
  const t0 = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < records.length) {
      const from = next;
      next = Math.min(records.length, next + CHUNK);
      publishedAt.fill(performance.now(), from, next);
      await bus.publish(topic, records.slice(from, next));
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, lane));
  await sink.finished;
  const wallMs = performance.now() - t0;
  const cpu = cpuMs() - cpu0;
  await consumer.close();
  await bus.close();
  const delays = Array.from(sink.handledAt, (at, i) => at - publishedAt[i]);
  return {
    bus: 'inprocess',
    variant,
    round,
    records: records.length,
    wallMs: Math.round(wallMs),
    recordsPerS: Math.round((records.length / wallMs) * 1000),
    cpuMsPer1000: round2((cpu / records.length) * 1000),
    p99DelayMs: round2(p99(delays)),
    handlerCalls: sink.calls,
    machine: m,
  };
}

async function runKafka(
  variant: Variant,
  round: number,
  records: BusRecord<TelemetryRecord>[],
): Promise<Run> {
  const bus = new KafkaBus({
    brokers: BROKERS,
    clientId: `bench-transport-${RUN_ID}`,
    namespace: `bench-transport-${RUN_ID}.`,
    partitions: 4,
    log: {
      log: () => undefined,
      // kafkajs warns about the idempotent producer's retry limit on every connect: known, not news.
      warn: (msg) => (msg.includes('idempotent producer') ? undefined : console.warn(msg)),
      error: (msg) => console.error(msg),
    },
  });
  await bus.start();
  const topic = { ...TELEMETRY_TOPIC, name: `kafka.${variant}.r${round}` };
  for (let i = 0; i < records.length; i += CHUNK * 4)
    await bus.publish(topic, records.slice(i, i + CHUNK * 4));
  const m = machine();
  const sink = new Sink(records.length);
  const consumer = await consume(bus, topic, variant, sink);
  await sink.finished;
  // From the first record handled: the group's join (a rebalance, seconds) is not the consumer path.
  const wallMs = performance.now() - sink.firstAt;
  const cpu = cpuMs() - sink.firstCpuMs;
  await consumer.close();
  await bus.close();
  return {
    bus: 'kafka',
    variant,
    round,
    records: records.length,
    wallMs: Math.round(wallMs),
    recordsPerS: Math.round((records.length / wallMs) * 1000),
    cpuMsPer1000: round2((cpu / records.length) * 1000),
    handlerCalls: sink.calls,
    machine: m,
  };
}

/** Deletes this run's topics: partitions left behind slow the broker's start. */
async function dropTopics(): Promise<void> {
  const admin = new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const prefix = `bench-transport-${RUN_ID}.`;
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function line(r: Run): string {
  return [
    r.bus.padEnd(10),
    r.variant.padEnd(15),
    String(r.round).padStart(5),
    String(r.recordsPerS).padStart(10),
    r.cpuMsPer1000.toFixed(2).padStart(12),
    (r.p99DelayMs === undefined ? '-' : r.p99DelayMs.toFixed(1)).padStart(11),
    String(r.handlerCalls).padStart(9),
    `steal ${r.machine.stealPct.join('/')}%`.padStart(14),
    `  ${r.machine.uptime.replace(/^.*load average: /, 'load ')}`,
  ].join(' ');
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const started = Date.now();
  const inProcessRecords = recordsOf(RECORDS);
  const kafkaRecords = recordsOf(KAFKA_RECORDS);
  const runs: Run[] = [];
  console.log(
    `${'bus'.padEnd(10)} ${'variant'.padEnd(15)} round  records/s  CPU ms/1000  p99 ms(ip)    calls   (machine before the run)`,
  );
  // Warm-up, not reported: the first run of a process pays for JIT compilation and Nest's first container.
  for (const variant of VARIANTS) await runInProcess(variant, 0, inProcessRecords.slice(0, 20_000));
  for (let round = 1; round <= ROUNDS; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round - 1) % VARIANTS.length]);
    for (const variant of order) {
      const r = await runInProcess(variant, round, inProcessRecords);
      runs.push(r);
      console.log(line(r));
    }
    if (WITH_KAFKA)
      for (const variant of order) {
        const r = await runKafka(variant, round, kafkaRecords);
        runs.push(r);
        console.log(line(r));
      }
  }
  const buses: BusKind[] = WITH_KAFKA ? ['inprocess', 'kafka'] : ['inprocess'];
  const medians = buses.flatMap((bus) =>
    VARIANTS.map((variant) => {
      const mine = runs.filter((r) => r.bus === bus && r.variant === variant);
      const delays = mine.flatMap((r) => (r.p99DelayMs === undefined ? [] : [r.p99DelayMs]));
      return {
        bus,
        variant,
        recordsPerS: median(mine.map((r) => r.recordsPerS)),
        recordsPerSRange: [
          Math.min(...mine.map((r) => r.recordsPerS)),
          Math.max(...mine.map((r) => r.recordsPerS)),
        ],
        cpuMsPer1000: median(mine.map((r) => r.cpuMsPer1000)),
        ...(delays.length ? { p99DelayMs: median(delays) } : {}),
      };
    }),
  );
  console.log('\nmedians over rounds');
  console.log(
    `${'bus'.padEnd(10)} ${'variant'.padEnd(15)}  records/s (min-max)         CPU ms/1000  p99 ms(ip)`,
  );
  for (const m of medians)
    console.log(
      `${m.bus.padEnd(10)} ${m.variant.padEnd(15)} ${String(m.recordsPerS).padStart(10)} (${m.recordsPerSRange.join('-')})`.padEnd(
        55,
      ) +
        `${m.cpuMsPer1000.toFixed(2).padStart(10)}  ${m.p99DelayMs === undefined ? '-' : m.p99DelayMs.toFixed(1)}`,
    );
  const result = {
    bench: 'transport',
    startedAt: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    cpus: cpus().length,
    loadAverage1m: round2(loadavg()[0]),
    node: process.version,
    settings: {
      rounds: ROUNDS,
      records: RECORDS,
      kafkaRecords: WITH_KAFKA ? KAFKA_RECORDS : 0,
      chunk: CHUNK,
      inflight: INFLIGHT,
      readingsPerRecord: READINGS_PER_RECORD,
      tags: TAGS,
    },
    medians,
    runs,
  };
  if (WITH_KAFKA) await dropTopics();
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/transport.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote bench/results/transport.json (${result.durationS} s)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
