/**
 * The Kafka bus adapter alone, against a real broker: producer lanes and
 * bundling, group consumption and the changelog reader, without the gateway,
 * ingest or the stores around them. `npm run build` first, then
 *
 *   node dist/bench/kafka-bus.bench.js [--records 200000] [--tags-per-message 20]
 *                                      [--in-flight 64] [--state-records 20000] [--out file.json]
 *
 * Brokers from KAFKA_BROKERS (default 127.0.0.1:9092). Topics live under a
 * namespace of their own, deleted at the end. Three phases, each timed on the
 * wall clock and on this process's CPU (user + system, so a figure stays
 * readable on a shared machine where the wall clock is noisy):
 * - **telemetry**: `--records` telemetry records (the bundled hot-path topic)
 *   published as the gateway does, one publish per hub message of
 *   `--tags-per-message` records with `--in-flight` publishes outstanding,
 *   and consumed by one group subscriber. Publish rate = records
 *   acknowledged per second; end-to-end rate = records handed to the
 *   handler per second, from the first publish to the last record.
 * - **alerts**: a tenth as many records on an unbundled JSON topic, same shape.
 * - **state**: `--state-records` alarm-state snapshots (≈ 1.6 KB each) on the
 *   compacted changelog topic, then `readToEnd` of every partition.
 * Prints a table and writes the figures as JSON (`--out`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBus, type BusPort, type BusRecord } from '@coldchain/bus';
import { ALARM_STATE_TOPIC, ALERTS_TOPIC, TELEMETRY_TOPIC } from '@coldchain/contract';
import type { AlertEvent, TelemetryRecord } from '@coldchain/domain';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq !== undefined) return eq.slice(name.length + 3);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const RECORDS = Number(arg('records', '200000'));
const TAGS_PER_MESSAGE = Number(arg('tags-per-message', '20'));
const IN_FLIGHT = Number(arg('in-flight', '64'));
const STATE_RECORDS = Number(arg('state-records', '20000'));
const OUT = arg('out', 'bench/results/kafka-bus.json');
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** Longest wait for the consumer to see every record, ms. */
const DRAIN_TIMEOUT_MS = 120_000;
/** Numbers per alarm-state snapshot: ≈ 1.6 KB packed as float64, the size of a real tag's. */
const SLAB_NUMBERS = 200;

const NAMESPACE = `bench-kbus-${Date.now().toString(36)}.`;
const log = (line: string): void => console.error(`[kafka-bus bench] ${line}`);

interface PhaseFigures {
  records: number;
  publishPerSec: number;
  endToEndPerSec: number;
  /** This process's CPU per record, µs (producer and consumer both run here). */
  cpuUsPerRecord: number;
  /** State phase only: the CPU per record of writing the snapshots and of reading them back, µs. */
  writeCpuUsPerRecord?: number;
  readCpuUsPerRecord?: number;
}

const cpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function telemetryRecord(i: number, t0: number): TelemetryRecord {
  const message = Math.floor(i / TAGS_PER_MESSAGE);
  const hub = String(350_000_000_000_000 + (message % 500));
  const tagNo = (message % 500) * TAGS_PER_MESSAGE + (i % TAGS_PER_MESSAGE);
  const tag = `AC:23:3F:${((tagNo >> 16) & 0xff).toString(16).padStart(2, '0')}:${((tagNo >> 8) & 0xff)
    .toString(16)
    .padStart(2, '0')}:${(tagNo & 0xff).toString(16).padStart(2, '0')}`.toUpperCase();
  const at = t0 + message;
  return {
    v: 1,
    tenantId: 'bench',
    hub,
    tag,
    hubSeq: message,
    sentAt: at,
    receivedAt: at + 5,
    gps: { lat: 48.85 + (message % 100) / 1e4, lon: 2.35, speed: 62, fixAt: at - 200 },
    readings: [
      { ts: at - 100, seq: message, temperature: 4.2 + (i % 7) / 10, humidity: 55, battery: 91, rssi: -71 },
    ],
  };
}

function alertEvent(i: number, t0: number): AlertEvent {
  const tag = `AC:23:3F:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
  return {
    v: 1,
    key: `bench:${tag}:temperature.high:${i}`,
    tenantId: 'bench',
    tag: tag.toUpperCase(),
    hub: '350000000000000',
    profileId: 'bench-profile',
    profileVersion: 1,
    rule: 'temperature.high',
    severity: 'critical',
    transition: 'raised',
    startedAt: t0 + i,
    value: 9.1,
    bound: 8,
    unit: '°C',
    late: false,
    emittedAt: t0 + i + 5,
  };
}

/** Publishes `count` records in publishes of `perPublish`, `IN_FLIGHT` outstanding; resolves when all were acknowledged. */
async function publishAll<T>(
  bus: BusPort,
  topic: Parameters<BusPort['publish']>[0],
  count: number,
  perPublish: number,
  make: (i: number) => BusRecord<T>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + perPublish);
      const records: BusRecord<T>[] = [];
      for (let i = from; i < next; i++) records.push(make(i));
      await bus.publish(topic as never, records);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function throughputPhase<T>(
  bus: BusPort,
  topic: Parameters<BusPort['publish']>[0],
  count: number,
  make: (i: number) => BusRecord<T>,
): Promise<PhaseFigures> {
  let consumed = 0;
  let done!: () => void;
  const drained = new Promise<void>((resolve) => (done = resolve));
  let lastAt = 0;
  const sub = await bus.subscribe(topic, { group: `bench-${topic.name}` }, async (batch) => {
    consumed += batch.values.length;
    if (consumed >= count) {
      lastAt = performance.now();
      done();
    }
  });
  const cpu0 = cpuUs();
  const t0 = performance.now();
  await publishAll(bus, topic, count, TAGS_PER_MESSAGE, make);
  const published = performance.now();
  await Promise.race([
    drained,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`consumed ${consumed}/${count}`)), DRAIN_TIMEOUT_MS).unref(),
    ),
  ]);
  const cpu = cpuUs() - cpu0;
  await sub.close();
  return {
    records: count,
    publishPerSec: Math.round(count / ((published - t0) / 1000)),
    endToEndPerSec: Math.round(count / ((lastAt - t0) / 1000)),
    cpuUsPerRecord: Math.round((cpu / count) * 100) / 100,
  };
}

async function statePhase(bus: BusPort, partitions: number): Promise<PhaseFigures> {
  const slab = Array.from({ length: SLAB_NUMBERS }, (_, i) => i * 1.25);
  const cpu0 = cpuUs();
  const t0 = performance.now();
  let next = 0;
  const perPublish = 500; // a checkpoint writes many snapshots in one publish
  const worker = async (): Promise<void> => {
    while (next < STATE_RECORDS) {
      const from = next;
      next = Math.min(STATE_RECORDS, next + perPublish);
      const records: BusRecord<{ slab: number[] }>[] = [];
      for (let i = from; i < next; i++)
        records.push({ key: `tag-${i}`, value: { slab }, partition: i % partitions });
      await bus.publish(ALARM_STATE_TOPIC, records);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const written = performance.now();
  const cpuWrite = cpuUs() - cpu0;
  let read = 0;
  const r0 = performance.now();
  const cpuR0 = cpuUs();
  await bus.readToEnd(
    ALARM_STATE_TOPIC,
    Array.from({ length: partitions }, (_, i) => i),
    (b) => (read += b.values.length),
  );
  const readAt = performance.now();
  const cpuRead = cpuUs() - cpuR0;
  if (read < STATE_RECORDS) throw new Error(`readToEnd read ${read}/${STATE_RECORDS}`);
  return {
    records: STATE_RECORDS,
    publishPerSec: Math.round(STATE_RECORDS / ((written - t0) / 1000)),
    // For the state phase: records read back per second by readToEnd.
    endToEndPerSec: Math.round(read / ((readAt - r0) / 1000)),
    cpuUsPerRecord: Math.round(((cpuWrite + cpuRead) / STATE_RECORDS) * 100) / 100,
    writeCpuUsPerRecord: Math.round((cpuWrite / STATE_RECORDS) * 100) / 100,
    readCpuUsPerRecord: Math.round((cpuRead / STATE_RECORDS) * 100) / 100,
  };
}

async function dropTopics(): Promise<void> {
  const admin = new Kafka({
    clientId: 'kafka-bus-bench-cleanup',
    brokers: BROKERS,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(NAMESPACE));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const partitions = 6;
  const bus = new KafkaBus({
    brokers: BROKERS,
    clientId: 'kafka-bus-bench',
    namespace: NAMESPACE,
    partitions,
    log: { log: () => undefined, warn: log, error: log },
  });
  await bus.start();
  const t0 = Date.now();
  const figures: Record<string, PhaseFigures> = {};
  try {
    // Topic creation outside the timed phases.
    await bus.publish(TELEMETRY_TOPIC, []);
    log(`telemetry: ${RECORDS} records, ${TAGS_PER_MESSAGE} per publish, ${IN_FLIGHT} in flight`);
    figures.telemetry = await throughputPhase<TelemetryRecord>(bus, TELEMETRY_TOPIC, RECORDS, (i) => {
      const value = telemetryRecord(i, t0);
      return { key: value.tag, value };
    });
    const alerts = Math.max(TAGS_PER_MESSAGE, Math.floor(RECORDS / 10));
    log(`alerts: ${alerts} records`);
    figures.alerts = await throughputPhase<AlertEvent>(bus, ALERTS_TOPIC, alerts, (i) => {
      const value = alertEvent(i, t0);
      return { key: value.tag, value };
    });
    log(`state: ${STATE_RECORDS} snapshots of ${SLAB_NUMBERS} numbers, then readToEnd`);
    figures.state = await statePhase(bus, partitions);
  } finally {
    await bus.close();
    await dropTopics();
  }
  console.log('phase      records  publish/s  end-to-end/s  CPU µs/record');
  for (const [phase, f] of Object.entries(figures)) {
    console.log(
      `${phase.padEnd(9)} ${String(f.records).padStart(8)} ${String(f.publishPerSec).padStart(10)} ${String(
        f.endToEndPerSec,
      ).padStart(13)} ${String(f.cpuUsPerRecord).padStart(14)}`,
    );
  }
  const state = figures.state;
  if (state !== undefined)
    console.log(
      `state CPU µs/record: write ${state.writeCpuUsPerRecord}, readToEnd ${state.readCpuUsPerRecord}`,
    );
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ brokers: BROKERS, figures }, null, 2) + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
