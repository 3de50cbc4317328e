import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ALARM_STATE_TOPIC, ALERTS_TOPIC, type DeadLetter, type HubStatusEvent } from '@coldchain/contract';
import { InProcessBus, type ConsumedBatch } from '@coldchain/bus';
import {
  ManualClock,
  type AlertEvent,
  type Profile,
  type ProfileLookup,
  type StoredReading,
  type TelemetryRecord,
} from '@coldchain/domain';
import { isRetriable } from '@coldchain/errors';
import { ColdchainMetrics } from '@coldchain/observability';
import type { StoredPosition, TelemetryStorePort } from '@coldchain/telemetry-store';
import { AlarmStage } from './alarm-stage.js';
import { IngestPipeline, type BatchRecorder } from './ingest-pipeline.js';
import { StoreWriteBehind, WRITE_BEHIND_DEFAULTS } from './store-write-behind.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const MIN = 60_000;
const TENANT = 'tenant-a';
const HUB = '356938035643809';
const TAG_A = 'AA:BB:CC:00:00:01';
const TAG_B = 'AA:BB:CC:00:00:02';

/** 2–8 °C, critical above 12 at once. TAG_B has no profile. */
const PROFILE: Profile = {
  id: 'vaccines',
  tenantId: TENANT,
  name: 'Vaccines 2–8 °C',
  version: 1,
  temperature: { min: 2, max: 8 },
  rules: { temperature: { high: { critical: { bound: 12 } } } },
};
const profiles: ProfileLookup = { profileForTag: (_t, mac) => (mac === TAG_A ? PROFILE : undefined) };

/** A store that records every write; `hold` keeps writes pending until `release`. */
class RecordingStore {
  readonly kind = 'influxdb' as const;
  readonly written: StoredReading[] = [];
  readonly positions: StoredPosition[] = [];
  private held: (() => void)[] = [];
  hold = false;
  /** Every write rejects with it while set. */
  failWith?: Error;
  write(readings: readonly StoredReading[], positions: readonly StoredPosition[]) {
    if (this.failWith) return Promise.reject(this.failWith);
    const done = () => {
      this.written.push(...readings);
      this.positions.push(...positions);
      return { written: readings.length };
    };
    if (!this.hold) return Promise.resolve(done());
    return new Promise<{ written: number }>((resolve) => this.held.push(() => resolve(done())));
  }
  release(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) r();
  }
}

/** Records every batch it is handed. */
class FakeRecorder<T> implements BatchRecorder<T> {
  readonly batches: ConsumedBatch<T>[] = [];
  handleBatch(batch: ConsumedBatch<T>): Promise<void> {
    this.batches.push(batch);
    return Promise.resolve();
  }
}

/** The trip source's lifecycle, with `start` held until `loaded()` when `hold` is set. */
class FakeTrips {
  started = 0;
  stopped = 0;
  hold = false;
  private release?: () => void;
  start(): Promise<void> {
    this.started++;
    if (!this.hold) return Promise.resolve();
    return new Promise((resolve) => (this.release = resolve));
  }
  loaded(): void {
    this.release?.();
  }
  stop(): void {
    this.stopped++;
  }
}

const TICK_MS = 10_000;

function setup(writeBehind: Partial<typeof WRITE_BEHIND_DEFAULTS> = {}) {
  const bus = new InProcessBus({ warn: () => undefined });
  const metrics = new ColdchainMetrics({ defaultMetrics: false });
  const warnings: string[] = [];
  const log = { log: () => undefined, warn: (m: string) => void warnings.push(m), error: () => undefined };
  const store = new RecordingStore();
  const alarms = new AlarmStage({ bus, profiles, metrics, clock: new ManualClock(T0 + 20 * MIN), log });
  const writer = new StoreWriteBehind(store as unknown as TelemetryStorePort, metrics, log, {
    ...WRITE_BEHIND_DEFAULTS,
    ...writeBehind,
  });
  const trips = new FakeTrips();
  const deadLetters = new FakeRecorder<DeadLetter>();
  const hubStatuses = new FakeRecorder<HubStatusEvent>();
  const pipeline = new IngestPipeline(
    { writer, alarms, trips, deadLetters, hubStatuses, profiles, metrics, log },
    { tickIntervalMs: TICK_MS },
  );
  return { bus, store, alarms, trips, deadLetters, hubStatuses, warnings, pipeline };
}

async function collectAlerts(bus: InProcessBus): Promise<AlertEvent[]> {
  const seen: AlertEvent[] = [];
  await bus.subscribe(ALERTS_TOPIC, { group: 'test-alerts' }, async (b) => void seen.push(...b.values));
  return seen;
}

const GPS = { lat: 48.85, lon: 2.35, fixAt: T0 - 1_000 };
let hubSeq = 0;
/** A hub sends its readings 5 min after the first (store-and-forward), so none is in the future. */
const SENT_AFTER_MS = 5 * MIN;

/**
 * One hub message's records: one per tag, sharing the message's fix, as the edge produces them.
 * Readings are 1 s apart unless they say otherwise.
 */
function message(minute: number, tags: Record<string, Partial<StoredReading>[]>): TelemetryRecord[] {
  const seq = ++hubSeq;
  const ts = T0 + minute * MIN;
  return Object.entries(tags).map(([tag, readings]) => ({
    v: 1,
    tenantId: TENANT,
    hub: HUB,
    tag,
    hubSeq: seq,
    sentAt: ts + SENT_AFTER_MS,
    receivedAt: ts + SENT_AFTER_MS + 150,
    gps: GPS,
    readings: readings.map((r, i) => ({ ts: ts + i * 1_000, ...r })),
  }));
}

const batch = (values: TelemetryRecord[], partition = 0): ConsumedBatch<TelemetryRecord> => ({
  topic: 'coldchain.telemetry.v1',
  partition,
  keys: values.map((v) => v.tag),
  values,
});

describe('IngestPipeline: telemetry (store write-behind and threshold check)', () => {
  it('stores one row per reading with its tenant, tag, hub, profile and receive time, and one position per hub message', async () => {
    const { store, pipeline } = setup();
    await pipeline.onAssignment({ partitions: [0], added: [0], revoked: [] });
    const records = message(0, {
      [TAG_A]: [
        { temperature: 5.5, humidity: 40, seq: 7 },
        { temperature: 5.6, door: 'open' },
      ],
      [TAG_B]: [{ battery: 80, rssi: -70 }],
    });
    await pipeline.handleTelemetry(batch(records));
    await pipeline.checkpoint();

    expect(store.written.map((r) => ({ ...r }))).toEqual([
      {
        tenantId: TENANT,
        tag: TAG_A,
        hub: HUB,
        profileId: 'vaccines',
        ts: T0,
        receivedAt: T0 + SENT_AFTER_MS + 150,
        temperature: 5.5,
        humidity: 40,
        seq: 7,
      },
      {
        tenantId: TENANT,
        tag: TAG_A,
        hub: HUB,
        profileId: 'vaccines',
        ts: T0 + 1_000,
        receivedAt: T0 + SENT_AFTER_MS + 150,
        temperature: 5.6,
        door: 'open',
      },
      {
        tenantId: TENANT,
        tag: TAG_B,
        hub: HUB,
        ts: T0,
        receivedAt: T0 + SENT_AFTER_MS + 150,
        battery: 80,
        rssi: -70,
      },
    ]);
    // Both tag records carry the message's fix: it is stored once.
    expect(store.positions).toEqual([{ ...GPS, tenantId: TENANT, hub: HUB }]);
  });

  it('gives every row the same properties in the same order, whatever metrics the tag reported', async () => {
    const { store, pipeline } = setup();
    await pipeline.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await pipeline.handleTelemetry(
      batch(message(0, { [TAG_A]: [{ temperature: 5 }, { co2: 600, door: 'closed' }], [TAG_B]: [{}] })),
    );
    await pipeline.checkpoint();
    const shapes = new Set(store.written.map((r) => Object.keys(r).join(',')));
    expect(store.written).toHaveLength(3);
    expect(shapes.size).toBe(1);
  });

  it('publishes the alert before the store has written the batch, and the checkpoint waits for the write', async () => {
    const { bus, store, pipeline } = setup();
    const alerts = await collectAlerts(bus);
    await pipeline.onAssignment({ partitions: [0], added: [0], revoked: [] });
    store.hold = true;
    // The engine judges a reading once it leaves the 2-minute reorder window: the second one pushes it out.
    await pipeline.handleTelemetry(
      batch(message(0, { [TAG_A]: [{ temperature: 15 }, { ts: T0 + 3 * MIN, temperature: 15 }] })),
    );
    expect(alerts.map((a) => `${a.tag} ${a.rule} ${a.transition} ${a.severity}`)).toEqual([
      `${TAG_A} temperature.high raised critical`,
    ]);
    expect(store.written).toEqual([]);

    let flushed = false;
    const flushing = pipeline.checkpoint().then(() => (flushed = true));
    await new Promise((r) => setImmediate(r));
    expect(flushed).toBe(false);
    store.release();
    await flushing;
    expect(store.written.map((r) => r.temperature)).toEqual([15, 15]);
  });

  it('rejects the batch (retriable) when the write-behind has no room, after its alerts went out', async () => {
    const { bus, store, pipeline } = setup({ maxQueuedReadings: 2, roomWaitMs: 20 });
    const alerts = await collectAlerts(bus);
    await pipeline.onAssignment({ partitions: [0], added: [0], revoked: [] });
    store.hold = true; // the store does not answer: the queue stays full
    await pipeline.handleTelemetry(batch(message(0, { [TAG_A]: [{ temperature: 5 }, { temperature: 5 }] })));
    const hot = message(1, { [TAG_A]: [{ temperature: 15 }, { ts: T0 + 4 * MIN, temperature: 15 }] });
    const refused = await pipeline.handleTelemetry(batch(hot)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(isRetriable(refused)).toBe(true);
    expect(alerts.map((a) => a.transition)).toEqual(['raised']);

    // The bus redelivers the refused batch once there is room: its readings are stored, its alert not raised twice.
    store.release();
    await pipeline.checkpoint();
    await pipeline.handleTelemetry(batch(hot));
    await pipeline.checkpoint();
    expect(store.written.map((r) => r.temperature)).toEqual([5, 5, 15, 15]);
    expect(alerts.map((a) => a.transition)).toEqual(['raised']);
  });
});

/** Lets every pending promise callback and one macrotask run. */
const turn = () => new Promise((r) => setImmediate(r));

async function changelog(bus: InProcessBus, partition = 0): Promise<string[]> {
  const tags: string[] = [];
  await bus.readToEnd(ALARM_STATE_TOPIC, [partition], (b) => void tags.push(...b.keys));
  return tags;
}

describe('IngestPipeline: checkpoint and assignment', () => {
  it('resolves the checkpoint only once the readings are stored and the alarm state is written', async () => {
    const { bus, store, pipeline } = setup();
    await pipeline.onAssignment({ partitions: [0], added: [0], revoked: [] });
    store.hold = true;
    await pipeline.handleTelemetry(batch(message(0, { [TAG_A]: [{ temperature: 5 }] })));
    let done = false;
    const checkpoint = pipeline.checkpoint([0]).then(() => (done = true));
    await turn();
    await turn();
    expect(await changelog(bus)).toEqual([TAG_A]); // the state is written...
    expect(done).toBe(false); // ...but the readings are not stored yet: nothing may be committed
    store.release();
    await checkpoint;
    expect(store.written).toHaveLength(1);
  });

  it('fails the checkpoint when the store write fails, though the alarm state was written', async () => {
    const { bus, store, pipeline } = setup({ retryInitialMs: 60_000, retryMaxMs: 60_000 });
    await pipeline.onAssignment({ partitions: [0], added: [0], revoked: [] });
    store.failWith = new Error('store away');
    await pipeline.handleTelemetry(batch(message(0, { [TAG_A]: [{ temperature: 5 }] })));
    await expect(pipeline.checkpoint([0])).rejects.toThrow('store away');
    expect(await changelog(bus)).toEqual([TAG_A]);
  });

  it('restores the engines of added partitions and drops those of revoked ones', async () => {
    const { alarms, pipeline } = setup();
    await pipeline.onAssignment({ partitions: [0, 1], added: [0, 1], revoked: [] });
    expect(alarms.loadedPartitions).toEqual([0, 1]);
    await pipeline.onAssignment({ partitions: [0], added: [], revoked: [1] });
    expect(alarms.loadedPartitions).toEqual([0]);
  });
});

describe('IngestPipeline: side topics', () => {
  it('records dead letters and hub statuses, and gives hub statuses to the alarm engines only when applied', async () => {
    const { alarms, deadLetters, hubStatuses, pipeline } = setup();
    const applied = jest.spyOn(alarms, 'onHubStatus');
    const letter = { topic: 'coldchain.telemetry.dlq.v1', partition: 0, keys: [HUB], values: [] };
    const status: HubStatusEvent = { v: 1, tenantId: TENANT, hub: HUB, status: 'offline', at: T0 };
    const statuses = { topic: 'coldchain.hub-status.v1', partition: 0, keys: [HUB], values: [status] };

    await pipeline.recordDeadLetters(letter);
    expect(deadLetters.batches).toEqual([letter]);

    await pipeline.recordHubStatuses(statuses);
    expect(hubStatuses.batches).toEqual([statuses]);
    expect(applied).not.toHaveBeenCalled(); // recording is the group's job; the engines get the broadcast

    await pipeline.applyHubStatuses(statuses);
    expect(applied).toHaveBeenCalledWith([status]);
    expect(hubStatuses.batches).toHaveLength(1);
  });
});

describe('IngestPipeline: lifecycle and ticks', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('starts once the trips are loaded, then ticks every tickIntervalMs', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const { alarms, trips, pipeline } = setup();
    const ticks = jest.spyOn(alarms, 'tick');
    trips.hold = true;
    let started = false;
    const starting = pipeline.start().then(() => (started = true));
    await turn();
    expect(started).toBe(false);
    trips.loaded();
    await starting;

    jest.advanceTimersByTime(TICK_MS - 1);
    expect(ticks).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(ticks).toHaveBeenCalledTimes(1);
    await pipeline.stop();
  });

  it('runs one tick at a time, and logs a failed tick and lets the next one retry', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const { alarms, warnings, pipeline } = setup();
    let finish: (() => void) | undefined;
    const ticks = jest
      .spyOn(alarms, 'tick')
      .mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)))
      .mockRejectedValueOnce(new Error('bus away'))
      .mockResolvedValue(undefined);
    await pipeline.start();

    jest.advanceTimersByTime(3 * TICK_MS);
    expect(ticks).toHaveBeenCalledTimes(1); // the first is still running: the next two are skipped
    finish?.();
    await turn();
    jest.advanceTimersByTime(TICK_MS);
    await turn();
    expect(ticks).toHaveBeenCalledTimes(2);
    expect(warnings).toEqual(['alarm tick failed, next one retries: Error: bus away']);
    jest.advanceTimersByTime(TICK_MS);
    expect(ticks).toHaveBeenCalledTimes(3);
    await pipeline.stop();
  });

  it('stops the ticks and the trip refresh, and writes what the alarm engines hold', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const { bus, alarms, trips, pipeline } = setup();
    const ticks = jest.spyOn(alarms, 'tick');
    await pipeline.start();
    await pipeline.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await pipeline.handleTelemetry(batch(message(0, { [TAG_A]: [{ temperature: 5 }] })));
    expect(await changelog(bus)).toEqual([]);

    await pipeline.stop();
    expect(trips.stopped).toBe(1);
    expect(await changelog(bus)).toEqual([TAG_A]);
    jest.advanceTimersByTime(3 * TICK_MS);
    expect(ticks).not.toHaveBeenCalled();
  });
});
