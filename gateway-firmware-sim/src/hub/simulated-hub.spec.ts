import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubTopic, imeiFromBody, validateTelemetryV1, type TelemetryPayloadV1 } from '@coldchain/contract';
import { DiskSampleQueue } from '../queue/disk-sample-queue.js';
import { MemorySampleQueue } from '../queue/memory-sample-queue.js';
import type { SampleQueue } from '../queue/sample-queue.js';
import { SeededRandom } from '../random/seeded-random.js';
import { VirtualTag } from '../sensors/virtual-tag.js';
import { startTestBroker, type TestBroker } from '../testing/aedes-test-broker.js';
import { waitForBroker } from '../testing/wait-for.js';
import { VirtualScheduler } from '../time/scheduler.js';
import { SimulatedHub } from './simulated-hub.js';

const IMEI = imeiFromBody('35693803000001');
const T0 = Date.UTC(2025, 2, 3, 6);
const MIN = 60_000;
const MACS = ['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02', 'AA:BB:CC:00:00:03'];

let broker: TestBroker | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await broker?.close();
  broker = undefined;
});

function makeHub(opts: {
  brokerUrl: string;
  queue?: SampleQueue;
  scheduler?: VirtualScheduler;
  maxReadingsPerMessage?: number;
}) {
  const scheduler = opts.scheduler ?? new VirtualScheduler(T0);
  const random = new SeededRandom(3);
  const queue = opts.queue ?? new MemorySampleQueue({ maxReadings: 100_000, whenFull: 'drop-oldest' });
  const hub = new SimulatedHub({
    imei: IMEI,
    secret: 's3cret',
    brokerUrl: opts.brokerUrl,
    scheduler,
    tags: MACS.map((mac) => new VirtualTag({ mac }, T0, random.fork(mac))),
    queue,
    samplingIntervalMs: MIN,
    publishIntervalMs: MIN,
    random,
    maxReadingsPerMessage: opts.maxReadingsPerMessage,
  });
  cleanups.push(async () => {
    await hub.stop();
    queue.close();
  });
  return { hub, scheduler, queue };
}

/** A hub online at a broker that checks its credentials and, from now on, withholds telemetry PUBACKs. */
async function onlineHubWithPubacksHeld() {
  broker = await startTestBroker({ credentials: new Map([[IMEI, 's3cret']]) });
  const b = broker;
  const { hub, scheduler, queue } = makeHub({ brokerUrl: b.url });
  hub.start();
  await hub.whenFirstAttemptSettled();
  b.holdTelemetry(true);
  return { b, hub, scheduler, queue };
}

const telemetry = (b: TestBroker): TelemetryPayloadV1[] =>
  b.messages
    .filter((m) => m.topic === hubTopic(IMEI, 'telemetry'))
    .map((m) => JSON.parse(m.payload.toString()) as TelemetryPayloadV1);

/** Every reading received, as `tag#seq@ts`, in arrival order. */
const keys = (ps: TelemetryPayloadV1[]) =>
  ps.flatMap((p) => p.readings.map((r) => `${r.tag}#${r.seq}@${r.ts}`));

/** What the three tags measured, once a minute from T0 for `rounds` rounds, in measured order. */
const expectedKeys = (rounds: number, firstRound = 0) =>
  Array.from({ length: rounds }, (_, k) =>
    MACS.map((mac) => `${mac}#${firstRound + k}@${T0 + (firstRound + k) * MIN}`),
  ).flat();

describe('simulated hub store-and-forward', () => {
  it('removes readings from its queue only after their PUBACK, and publishes them again on a new session if the old one died first', async () => {
    const { b, hub, scheduler, queue } = await onlineHubWithPubacksHeld();
    await scheduler.runUntil(T0 + 4 * MIN); // 5 rounds; 4 messages published (the in-flight window), none acknowledged
    // aedes reads a client's next TCP chunk only once the packets of the last one are handled: some may wait unread.
    await waitForBroker(b, 'held publishes', () => b.heldCount() >= 1);
    expect(hub.stats().sent).toBe(4);
    expect(queue.readings).toBe(15);
    expect(hub.stats()).toMatchObject({ acked: 0, readingsAcked: 0, buffered: 15 });

    b.dropAllClients(); // the session dies with its messages unacknowledged
    b.holdTelemetry(false);
    await hub.whenDrained(); // the hub reconnects (backoff) and publishes them again
    await waitForBroker(b, 'every reading', () => keys(telemetry(b)).length >= 15);
    expect(keys(telemetry(b))).toEqual(expectedKeys(5));
    expect(hub.stats()).toMatchObject({ readingsAcked: 15, buffered: 0, reconnects: 1 });
  });

  it('stops within its bound while the broker withholds a PUBACK, keeping the unacknowledged readings queued', async () => {
    const { b, hub, scheduler, queue } = await onlineHubWithPubacksHeld();
    await scheduler.runUntil(T0); // one round published, its PUBACK withheld
    await waitForBroker(b, 'held publish', () => b.heldCount() >= 1);
    // Without the bound, mqtt.js's clean end waits for that PUBACK forever (and the test times out).
    await hub.stop();
    expect(hub.stats()).toMatchObject({ sent: 1, readingsAcked: 0 });
    expect(queue.readings).toBe(3);
    // The socket is gone, not just the promise settled.
    await waitForBroker(b, 'the hub disconnected', () => b.connectedClients() === 0);
  });

  it('replays a long backlog in measured order, in messages within the per-message bound, each valid v1', async () => {
    broker = await startTestBroker();
    const b = broker;
    const { hub, scheduler } = makeHub({ brokerUrl: b.url, maxReadingsPerMessage: 50 });
    hub.start();
    await hub.whenFirstAttemptSettled();
    hub.setNetwork(false);
    await scheduler.runUntil(T0 + 99 * MIN); // 100 rounds × 3 tags buffered
    expect(telemetry(b)).toHaveLength(0);
    hub.setNetwork(true);
    await hub.whenDrained();
    await waitForBroker(b, 'every reading', () => keys(telemetry(b)).length >= 300); // PUBACK may overtake the broker's publish event
    const ps = telemetry(b);
    expect(keys(ps)).toEqual(expectedKeys(100));
    for (const p of ps) {
      expect(p.readings.length).toBeLessThanOrEqual(50);
      expect(validateTelemetryV1(p, IMEI)).toMatchObject({ ok: true, rejected: [] });
    }
    expect(ps.map((p) => p.seq)).toEqual(ps.map((_, i) => i));
  });

  it('keeps what it measured across a restart with a disk queue, and sends it once the broker answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-hub-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    broker = await startTestBroker();
    const url = broker.url;
    const port = broker.port;
    await broker.close(); // nothing listens: the hub buffers
    broker = undefined;

    const first = makeHub({
      brokerUrl: url,
      queue: new DiskSampleQueue({ dir, maxReadings: 10_000, whenFull: 'drop-oldest' }),
    });
    first.hub.start();
    await first.scheduler.runUntil(T0 + 9 * MIN);
    await first.hub.stop();
    first.queue.close(); // the hub "reboots"

    broker = await startTestBroker({ port });
    const b = broker;
    const queue = new DiskSampleQueue({ dir, maxReadings: 10_000, whenFull: 'drop-oldest' });
    expect(queue.recovery).toMatchObject({ samples: 10, readings: 30 });
    const second = makeHub({ brokerUrl: url, queue, scheduler: new VirtualScheduler(T0 + 10 * MIN) });
    second.hub.start();
    await second.hub.whenFirstAttemptSettled();
    await second.hub.whenDrained();
    await waitForBroker(b, 'every reading', () => keys(telemetry(b)).length >= 30);
    expect(keys(telemetry(b))).toEqual(expectedKeys(10));
  });
});
