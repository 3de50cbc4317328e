import { describe, expect, it } from '@jest/globals';
import { InProcessBus, type BusPort } from '@coldchain/bus';
import { ALARM_STATE_TOPIC, ALERTS_TOPIC } from '@coldchain/contract';
import {
  ManualClock,
  type AlertEvent,
  type Measurement,
  type Profile,
  type ProfileLookup,
  type TelemetryRecord,
} from '@coldchain/domain';
import { EngineUnavailableError } from '@coldchain/errors';
import { ColdchainMetrics } from '@coldchain/observability';
import { AlarmStage } from './alarm-stage.js';

// Times relative to T0 (fixed clock): minutes → epoch ms.
const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const MIN = 60_000;
const at = (minutes: number): number => T0 + minutes * MIN;
const TENANT = 'tenant-a';
const TAG = 'AA:BB:CC:00:00:01';
const HUB = '356938035643809';

/** 2–8 °C, warning above 8 after 5 min, 0.5 °C deadband; silence after 30 min. */
const PROFILE: Profile = {
  id: 'vaccines',
  tenantId: TENANT,
  name: 'Vaccines 2–8 °C',
  version: 3,
  temperature: { min: 2, max: 8 },
  rules: {
    temperature: { high: { warning: { bound: 8, delayMs: 5 * MIN }, hysteresis: 0.5 } },
    tag: { silent: { warning: { afterMs: 30 * MIN } } },
  },
};
const profiles: ProfileLookup = { profileForTag: () => PROFILE };

let seq = 0;
/** One record per reading, received when measured (a live hub). */
function live(fromMinute: number, celsius: number[]): TelemetryRecord[] {
  return celsius.map((c, i) => {
    const ts = at(fromMinute + i);
    const reading: Measurement = { ts, temperature: c };
    return {
      v: 1,
      tenantId: TENANT,
      hub: HUB,
      tag: TAG,
      hubSeq: ++seq,
      sentAt: ts,
      receivedAt: ts,
      readings: [reading],
    };
  });
}

const quiet = { log: () => undefined, warn: () => undefined };

function setup(bus: BusPort = new InProcessBus({ warn: () => undefined })) {
  const clock = new ManualClock(at(0));
  const metrics = new ColdchainMetrics({ defaultMetrics: false });
  const stage = new AlarmStage({ bus, profiles, metrics, clock, log: quiet });
  return { bus, clock, metrics, stage };
}

/** Subscribes a collector to the alerts topic (in-process: publish resolves once it has them). */
async function collectAlerts(bus: BusPort): Promise<AlertEvent[]> {
  const seen: AlertEvent[] = [];
  await bus.subscribe(ALERTS_TOPIC, { group: `alerts-${++seq}` }, async (b) => {
    seen.push(...b.values);
  });
  return seen;
}

const brief = (events: AlertEvent[]) => events.map((e) => `${e.rule} ${e.transition} ${e.severity}`);

async function changelog(bus: BusPort): Promise<Map<string, unknown>> {
  const table = new Map<string, unknown>();
  await bus.readToEnd(ALARM_STATE_TOPIC, [0], (b) =>
    b.values.forEach((v, i) => (v === null ? table.delete(b.keys[i]) : table.set(b.keys[i], v))),
  );
  return table;
}

describe('AlarmStage (alarm engine wired into ingest)', () => {
  it('publishes the transitions of a batch at once, with the profile version; the tag snapshot waits for the checkpoint', async () => {
    const { bus, stage } = setup();
    const alerts = await collectAlerts(bus);
    await stage.onAssignment({ partitions: [0], added: [0], revoked: [] });
    // 10 min at 9 °C (raised after the 5 min delay), back to 7 °C (past the deadband), then time moves on.
    await stage.evaluate(0, live(0, [5, ...Array<number>(10).fill(9), ...Array<number>(10).fill(7)]));
    expect(brief(alerts)).toEqual(['temperature.high raised warning', 'temperature.high cleared warning']);
    expect(alerts[0]).toMatchObject({ profileId: 'vaccines', profileVersion: 3, startedAt: at(1), tag: TAG });
    expect(alerts[1]).toMatchObject({ endedAt: at(11) });
    expect((await changelog(bus)).size).toBe(0);
    await stage.checkpoint();
    const table = await changelog(bus);
    expect([...table.keys()]).toEqual([TAG]);
  });

  it('writes a changed tag once per checkpoint however many batches changed it, and nothing when nothing changed', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const written: string[] = [];
    const counting: BusPort = Object.create(bus) as BusPort;
    counting.publish = (topic, records) => {
      if (topic.name === ALARM_STATE_TOPIC.name) written.push(...records.map((r) => r.key));
      return bus.publish(topic, records);
    };
    const { stage } = setup(counting);
    await stage.onAssignment({ partitions: [0], added: [0], revoked: [] });
    for (let batch = 0; batch < 5; batch++) await stage.evaluate(0, live(batch * 2, [5, 5]));
    expect(written).toEqual([]);
    await stage.checkpoint();
    expect(written).toEqual([TAG]);
    await stage.checkpoint();
    expect(written).toEqual([TAG]);
  });

  it('writes only the named partitions at a partition checkpoint; the others keep their changes for their turn', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const written: string[] = [];
    const counting: BusPort = Object.create(bus) as BusPort;
    counting.publish = (topic, records) => {
      if (topic.name === ALARM_STATE_TOPIC.name)
        written.push(...records.map((r) => `${r.partition ?? '?'} ${r.key}`));
      return bus.publish(topic, records);
    };
    const { stage } = setup(counting);
    const OTHER = 'AA:BB:CC:00:00:02';
    await stage.onAssignment({ partitions: [0, 1], added: [0, 1], revoked: [] });
    await stage.evaluate(0, live(0, [5, 5]));
    await stage.evaluate(
      1,
      live(0, [5, 5]).map((r) => ({ ...r, tag: OTHER })),
    );
    await stage.checkpoint([1]);
    expect(written).toEqual([`1 ${OTHER}`]);
    await stage.checkpoint([1, 7]); // 7: not held here (revoked meanwhile), nothing to write
    expect(written).toEqual([`1 ${OTHER}`]);
    await stage.checkpoint([0]);
    expect(written).toEqual([`1 ${OTHER}`, `0 ${TAG}`]);
  });

  it("evaluates and publishes the partition's next batch while a checkpoint's changelog write is in flight", async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const alerts = await collectAlerts(bus);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slowState: BusPort = Object.create(bus) as BusPort;
    slowState.publish = async (topic, records) => {
      if (topic.name === ALARM_STATE_TOPIC.name) await held;
      return bus.publish(topic, records);
    };
    const { stage } = setup(slowState);
    await stage.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await stage.evaluate(0, live(0, [5, 5]));
    let checkpointed = false;
    const checkpoint = stage.checkpoint().then(() => (checkpointed = true));
    // The write is held: the next batch still goes through, and its transition is published.
    await stage.evaluate(0, live(2, Array<number>(10).fill(9)));
    expect(brief(alerts)).toEqual(['temperature.high raised warning']);
    expect(checkpointed).toBe(false);
    expect((await changelog(bus)).size).toBe(0);
    release();
    await checkpoint;
    expect([...(await changelog(bus)).keys()]).toEqual([TAG]);
  });

  it('keeps the snapshots of a failed checkpoint write for the next checkpoint', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    let failState = 1;
    const written: string[] = [];
    const flaky: BusPort = Object.create(bus) as BusPort;
    flaky.publish = (topic, records) => {
      if (topic.name === ALARM_STATE_TOPIC.name) {
        if (failState-- > 0) return Promise.reject(new EngineUnavailableError('kafka', 'down on purpose'));
        written.push(...records.map((r) => r.key));
      }
      return bus.publish(topic, records);
    };
    const { stage } = setup(flaky);
    await stage.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await stage.evaluate(0, live(0, [5, 5]));
    await expect(stage.checkpoint()).rejects.toBeInstanceOf(EngineUnavailableError);
    // Nothing changed since: the next checkpoint writes the snapshot kept from the failed one.
    await stage.checkpoint();
    expect(written).toEqual([TAG]);
    expect((await changelog(bus)).has(TAG)).toBe(true);
  });

  it('restores from the changelog on assignment: a second owner ignores redelivered readings and only clears', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const alerts = await collectAlerts(bus);
    const first = setup(bus).stage;
    await first.onAssignment({ partitions: [0], added: [0], revoked: [] });
    const excursion = live(0, [5, ...Array<number>(10).fill(9)]);
    await first.evaluate(0, excursion);
    await first.checkpoint();
    expect(brief(alerts)).toEqual(['temperature.high raised warning']);

    // The partition moves (the first owner crashed after its checkpoint wrote the state, before the
    // offsets were committed).
    const second = setup(bus).stage;
    await second.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await second.evaluate(0, excursion); // redelivery: recognised, no second `raised`
    await second.evaluate(0, live(11, Array<number>(10).fill(7)));
    expect(brief(alerts)).toEqual(['temperature.high raised warning', 'temperature.high cleared warning']);
    // The clear belongs to the episode the first owner raised.
    expect(alerts[1].startedAt).toBe(alerts[0].startedAt);
  });

  it('restores state that went through the changelog codec (packed snapshots, as on Kafka)', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const alerts = await collectAlerts(bus);
    const first = setup(bus).stage;
    await first.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await first.evaluate(0, live(0, [5, ...Array<number>(10).fill(9)]));
    await first.checkpoint();
    // Re-encode the changelog as KafkaBus would carry it.
    const encoded = new Map<string, unknown>();
    for (const [tag, snap] of await changelog(bus))
      encoded.set(tag, ALARM_STATE_TOPIC.decode(ALARM_STATE_TOPIC.encode(snap as never)));
    const viaKafka: BusPort = Object.create(bus) as BusPort;
    viaKafka.readToEnd = async (topic, partitions, onBatch) =>
      onBatch({
        topic: topic.name,
        partition: 0,
        keys: [...encoded.keys()],
        values: [...encoded.values()] as never[],
      });
    const second = setup(viaKafka).stage;
    await second.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await second.evaluate(0, live(11, Array<number>(10).fill(7)));
    expect(brief(alerts)).toEqual(['temperature.high raised warning', 'temperature.high cleared warning']);
    expect(alerts[1].startedAt).toBe(alerts[0].startedAt);
  });

  it('a replay from an older snapshot re-emits the same keys (the notifier de-duplicates on them)', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const alerts = await collectAlerts(bus);
    const first = setup(bus).stage;
    await first.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await first.evaluate(0, live(0, [5, 5]));
    await first.checkpoint();
    // The first owner publishes its events, then dies before its next checkpoint: simulated by a
    // second owner that restores before the excursion batch and replays it.
    const second = setup(bus).stage;
    await second.onAssignment({ partitions: [0], added: [0], revoked: [] });
    const excursion = live(2, Array<number>(10).fill(9));
    await first.evaluate(0, excursion);
    await second.evaluate(0, excursion);
    expect(brief(alerts)).toEqual(['temperature.high raised warning', 'temperature.high raised warning']);
    expect(alerts[1].key).toBe(alerts[0].key);
  });

  it('keeps events the bus refused and publishes them first on the next call, once', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const alerts = await collectAlerts(bus);
    let failAlerts = 1;
    const flaky: BusPort = Object.create(bus) as BusPort;
    flaky.publish = (topic, records) => {
      if (topic.name === ALERTS_TOPIC.name && failAlerts-- > 0)
        return Promise.reject(new EngineUnavailableError('kafka', 'down on purpose'));
      return bus.publish(topic, records);
    };
    const { stage } = setup(flaky);
    await stage.onAssignment({ partitions: [0], added: [0], revoked: [] });
    const excursion = live(0, [5, ...Array<number>(10).fill(9)]);
    await expect(stage.evaluate(0, excursion)).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(alerts).toEqual([]);
    await stage.evaluate(0, excursion); // the bus redelivers the batch
    expect(brief(alerts)).toEqual(['temperature.high raised warning']);
    await stage.checkpoint();
    expect((await changelog(bus)).has(TAG)).toBe(true);
  });

  it('tick raises time-driven rules on the fixed clock and writes the state', async () => {
    const { bus, clock, stage } = setup();
    const alerts = await collectAlerts(bus);
    await stage.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await stage.evaluate(0, live(0, [5, 5, 5]));
    clock.set(at(20));
    await stage.tick();
    expect(alerts).toEqual([]);
    clock.set(at(40));
    await stage.tick();
    expect(brief(alerts)).toEqual(['tag.silent raised warning']);
    expect(alerts[0].startedAt).toBe(at(2));
  });

  it('a tick whose publish fails on one partition still ticks the others; the failed output goes out next time', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const alerts = await collectAlerts(bus);
    let failAlerts = 1;
    const flaky: BusPort = Object.create(bus) as BusPort;
    flaky.publish = (topic, records) => {
      if (topic.name === ALERTS_TOPIC.name && failAlerts-- > 0)
        return Promise.reject(new EngineUnavailableError('kafka', 'down on purpose'));
      return bus.publish(topic, records);
    };
    const { clock, stage } = setup(flaky);
    await stage.onAssignment({ partitions: [0, 1], added: [0, 1], revoked: [] });
    await stage.evaluate(0, live(0, [5, 5, 5]));
    await stage.evaluate(
      1,
      live(0, [5, 5, 5]).map((r) => ({ ...r, tag: 'AA:BB:CC:00:00:02' })),
    );
    clock.set(at(40));
    await expect(stage.tick()).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(alerts.map((e) => e.tag)).toEqual(['AA:BB:CC:00:00:02']);
    await stage.tick();
    expect(alerts.map((e) => `${e.tag} ${e.rule} ${e.transition}`).sort()).toEqual([
      `${TAG} tag.silent raised`,
      'AA:BB:CC:00:00:02 tag.silent raised',
    ]);
  });

  it('feeds each hub status once to every engine, skipping a replayed (not newer) status', async () => {
    const { stage } = setup();
    await stage.onAssignment({ partitions: [0, 1], added: [0, 1], revoked: [] });
    const engines = [await stage.engineOf(0), await stage.engineOf(1)];
    const calls: string[] = [];
    for (const [i, engine] of engines.entries()) {
      const original = engine!.onHubStatus.bind(engine);
      engine!.onHubStatus = (hub, status, when, now) => {
        calls.push(`${i} ${status}`);
        return original(hub, status, when, now);
      };
    }
    const offline = { v: 1 as const, hub: HUB, tenantId: TENANT, status: 'offline' as const, at: at(5) };
    await stage.onHubStatus([offline]);
    await stage.onHubStatus([offline]); // history replayed by a broadcast subscription
    await stage.onHubStatus([{ ...offline, status: 'online', at: at(6) }]);
    expect(calls).toEqual(['0 offline', '1 offline', '0 online', '1 online']);
  });

  it('counts set-aside readings in metrics, not in logs, and drops revoked partitions', async () => {
    const { metrics, stage } = setup();
    const lines: string[] = [];
    const logged = new AlarmStage({
      bus: new InProcessBus({ warn: () => undefined }),
      profiles,
      metrics,
      clock: new ManualClock(at(0)),
      log: { log: () => undefined, warn: (m) => lines.push(m) },
    });
    await logged.onAssignment({ partitions: [0], added: [0], revoked: [] });
    await logged.evaluate(0, live(0, Array<number>(10).fill(5)));
    // Measured 8 min behind what was already evaluated: too late (stored, not evaluated).
    const late = live(0, [5])[0];
    await logged.evaluate(0, [{ ...late, receivedAt: at(11), sentAt: at(11) }]);
    const counts = await metrics.alarmEngineCounts.get();
    const byName = Object.fromEntries(counts.values.map((v) => [v.labels.counter, v.value]));
    expect(byName.tooLate).toBe(1);
    expect(byName.readings).toBe(11);
    expect(lines).toEqual([]);

    await stage.onAssignment({ partitions: [0, 1], added: [0, 1], revoked: [] });
    await stage.onAssignment({ partitions: [1], added: [], revoked: [0] });
    expect(stage.loadedPartitions).toEqual([1]);
  });
});
