import { describe, expect, it } from '@jest/globals';
import { InProcessBus, type ConsumedBatch } from '@coldchain/bus';
import { ALERTS_TOPIC } from '@coldchain/contract';
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
import { StoreWriteBehind, WRITE_BEHIND_DEFAULTS } from './store-write-behind.js';
import { TelemetryIngestor } from './telemetry-ingestor.js';

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
  write(readings: readonly StoredReading[], positions: readonly StoredPosition[]) {
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

function setup(writeBehind: Partial<typeof WRITE_BEHIND_DEFAULTS> = {}) {
  const bus = new InProcessBus({ warn: () => undefined });
  const metrics = new ColdchainMetrics({ defaultMetrics: false });
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const store = new RecordingStore();
  const alarms = new AlarmStage({
    bus,
    profiles,
    metrics,
    clock: new ManualClock(T0 + 20 * MIN),
    log: quiet,
  });
  const writer = new StoreWriteBehind(store as unknown as TelemetryStorePort, metrics, quiet, {
    ...WRITE_BEHIND_DEFAULTS,
    minWriteReadings: 0,
    ...writeBehind,
  });
  const ingestor = new TelemetryIngestor(writer, alarms, profiles, metrics);
  return { bus, store, alarms, ingestor };
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

describe('TelemetryIngestor (the consumer step: store write-behind and threshold check)', () => {
  it('stores one row per reading with its tenant, tag, hub, profile and receive time, and one position per hub message', async () => {
    const { store, alarms, ingestor } = setup();
    await alarms.onAssignment({ partitions: [0], added: [0], revoked: [] });
    const records = message(0, {
      [TAG_A]: [
        { temperature: 5.5, humidity: 40, seq: 7 },
        { temperature: 5.6, door: 'open' },
      ],
      [TAG_B]: [{ battery: 80, rssi: -70 }],
    });
    await ingestor.handleBatch(batch(records));
    await ingestor.flush();

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
    const { store, alarms, ingestor } = setup();
    await alarms.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await ingestor.handleBatch(
      batch(message(0, { [TAG_A]: [{ temperature: 5 }, { co2: 600, door: 'closed' }], [TAG_B]: [{}] })),
    );
    await ingestor.flush();
    const shapes = new Set(store.written.map((r) => Object.keys(r).join(',')));
    expect(store.written).toHaveLength(3);
    expect(shapes.size).toBe(1);
  });

  it('publishes the alert before the store has written the batch, and flush waits for the write', async () => {
    const { bus, store, alarms, ingestor } = setup();
    const alerts = await collectAlerts(bus);
    await alarms.onAssignment({ partitions: [0], added: [0], revoked: [] });
    store.hold = true;
    // The engine judges a reading once it leaves the 2-minute reorder window: the second one pushes it out.
    await ingestor.handleBatch(
      batch(message(0, { [TAG_A]: [{ temperature: 15 }, { ts: T0 + 3 * MIN, temperature: 15 }] })),
    );
    expect(alerts.map((a) => `${a.tag} ${a.rule} ${a.transition} ${a.severity}`)).toEqual([
      `${TAG_A} temperature.high raised critical`,
    ]);
    expect(store.written).toEqual([]);

    let flushed = false;
    const flushing = ingestor.flush().then(() => (flushed = true));
    await new Promise((r) => setImmediate(r));
    expect(flushed).toBe(false);
    store.release();
    await flushing;
    expect(store.written.map((r) => r.temperature)).toEqual([15, 15]);
  });

  it('rejects the batch (retriable) when the write-behind has no room, after its alerts went out', async () => {
    const { bus, store, alarms, ingestor } = setup({ maxQueuedReadings: 2, roomWaitMs: 20 });
    const alerts = await collectAlerts(bus);
    await alarms.onAssignment({ partitions: [0], added: [0], revoked: [] });
    store.hold = true; // the store does not answer: the queue stays full
    await ingestor.handleBatch(batch(message(0, { [TAG_A]: [{ temperature: 5 }, { temperature: 5 }] })));
    const hot = message(1, { [TAG_A]: [{ temperature: 15 }, { ts: T0 + 4 * MIN, temperature: 15 }] });
    const refused = await ingestor.handleBatch(batch(hot)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(isRetriable(refused)).toBe(true);
    expect(alerts.map((a) => a.transition)).toEqual(['raised']);

    // The bus redelivers the refused batch once there is room: its readings are stored, its alert not raised twice.
    store.release();
    await ingestor.flush();
    await ingestor.handleBatch(batch(hot));
    await ingestor.flush();
    expect(store.written.map((r) => r.temperature)).toEqual([5, 5, 15, 15]);
    expect(alerts.map((a) => a.transition)).toEqual(['raised']);
  });
});
