import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hubTopic, validateTelemetryV1, type TelemetryPayloadV1 } from '@coldchain/contract';
import { InvalidScenarioError } from '../errors/invalid-scenario.error.js';
import { startTestBroker, type TestBroker } from '../testing/aedes-test-broker.js';
import { waitForBroker } from '../testing/wait-for.js';
import { loadScenarioFile, parseScenario } from './scenario.loader.js';
import { runScenario } from './scenario.runner.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

let broker: TestBroker | undefined;
let dir: string | undefined;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidScenarioError) return err.problems;
    throw err;
  }
  throw new Error('expected an InvalidScenarioError');
};

const minimal = { name: 'x', duration: '1h', hubs: [{ id: 'h' }], tags: [{ hub: 'h' }] };

describe('scenario files', () => {
  it.each(readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')))('ships %s, which validates', (file) => {
    const s = loadScenarioFile(join(SCENARIOS, file));
    expect(s.name).toBe(file.replace(/\.yaml$/, ''));
  });

  it('ships one scenario per situation a hub meets on the road', () => {
    const names = readdirSync(SCENARIOS).map((f) => f.replace(/\.yaml$/, ''));
    expect(names.sort()).toEqual([
      'clock-drift',
      'compressor-failure',
      'door-left-open',
      'dying-battery',
      'normal-trip',
      'offline-backfill',
      'tag-handover',
    ]);
  });

  it('fills defaults: seed 1, speed max, 1-minute sampling and publishing, a drop-oldest queue', () => {
    const s = parseScenario(minimal, 'inline');
    expect(s).toMatchObject({
      seed: 1,
      speed: 'max',
      sampling: 60_000,
      publish: 60_000,
      duration: 3_600_000,
      queue: { whenFull: 'drop-oldest' },
    });
  });

  it('names every bad field by its path, all at once', () => {
    const problems = problemsOf(() =>
      parseScenario(
        {
          ...minimal,
          duration: '5 minutes',
          tagz: [],
          hubs: [{ id: 'h', imei: '123456789012345' }],
          tags: [{ hub: 'nope', mac: 'zz' }],
          events: [
            { at: '10m', door: { hub: 'h', open: 'yes' } },
            { at: '2h', network: { hub: 'h', up: false } },
            { at: '1m', battery: { tag: 'ghost', pct: 5 }, clockSync: { hub: 'h' } },
          ],
        },
        'bad.yaml',
      ),
    ).join('\n');
    expect(problems).toMatch(/^duration: "5 minutes" is not a duration/m);
    expect(problems).toMatch(/tagz/);
    expect(problems).toMatch(/^hubs\.0\.imei: must be a 15-digit IMEI/m);
    expect(problems).toMatch(/^tags\.0\.mac: "zz" is not a BLE MAC address/m);
    expect(problems).toMatch(/^events\.0\.door\.open: /m);
    expect(problems).toMatch(/^events\.2: an event needs exactly one of/m);
  });

  it('checks references between hubs, tags and events', () => {
    const problems = problemsOf(() =>
      parseScenario(
        {
          ...minimal,
          tags: [{ hub: 'elsewhere' }],
          events: [
            { at: '2h', network: { hub: 'h', up: false } },
            { at: '1m', handover: { tag: 'ghost', to: 'nowhere' } },
          ],
        },
        'refs.yaml',
      ),
    ).join('\n');
    expect(problems).toContain('tags.0.hub: no hub with id "elsewhere"');
    expect(problems).toContain('events.0.at: is after the end of the scenario');
    expect(problems).toContain('events.1.handover.tag: no tag "ghost"');
    expect(problems).toContain('events.1.handover.to: no hub with id "nowhere"');
  });

  it('reports a YAML syntax error with its line, and a missing file plainly', () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-scn-'));
    const f = join(dir, 'broken.yaml');
    writeFileSync(f, 'name: x\nduration: 1h\nhubs: [ { id: h }\n');
    expect(problemsOf(() => loadScenarioFile(f))[0]).toMatch(/not valid YAML at line \d+/);
    expect(problemsOf(() => loadScenarioFile(join(dir!, 'missing.yaml')))[0]).toMatch(/cannot read the file/);
  });
});

const received = (b: TestBroker, imei: string) =>
  b.messages
    .filter((m) => m.topic === hubTopic(imei, 'telemetry'))
    .map((m) => JSON.parse(m.payload.toString()) as TelemetryPayloadV1);

describe('playing a scenario against a broker', () => {
  it('door-left-open: the load warms past 8 °C while the door reports open, and cools back after', async () => {
    broker = await startTestBroker();
    const scn = loadScenarioFile(join(SCENARIOS, 'door-left-open.yaml'));
    const report = await runScenario(scn, { brokerUrl: broker.url });
    expect(report).toMatchObject({ drained: true, aborted: false, totals: { buffered: 0, dropped: 0 } });
    const imei = report.hubs[0].imei;
    const b = broker;
    await waitForBroker(
      b,
      'every reading',
      () => received(b, imei).flatMap((p) => p.readings).length >= 2 * 181,
    ); // PUBACK may overtake the broker's publish event
    const payloads = received(broker, imei);
    for (const p of payloads) expect(validateTelemetryV1(p, imei)).toMatchObject({ ok: true, rejected: [] });
    const start = Date.parse(scn.start!);
    const readings = payloads.flatMap((p) => p.readings).filter((r) => r.seq !== undefined);
    const byPhase = (from: number, to: number) =>
      readings.filter((r) => (r.ts as number) >= start + from && (r.ts as number) < start + to);
    const MIN = 60_000;
    expect(byPhase(0, 60 * MIN).every((r) => r.temperature! < 5 && r.door === 'closed')).toBe(true);
    expect(byPhase(61 * MIN, 100 * MIN).every((r) => r.door === 'open')).toBe(true);
    const peak = Math.max(...byPhase(60 * MIN, 101 * MIN).map((r) => r.temperature!));
    expect(peak).toBeGreaterThan(8);
    // Pulled back down once shut: below 8 °C and well under the peak by the end (the load lags the air by ~30 min).
    expect(
      byPhase(170 * MIN, 181 * MIN).every(
        (r) => r.temperature! < 8 && r.temperature! < peak - 5 && r.door === 'closed',
      ),
    ).toBe(true);
    expect(report.totals.readingsAcked).toBe(2 * 181); // two tags, a round per minute over 3 h, both ends included
  });

  it('gives identical readings for the same seed, and different ones for another (--seed)', async () => {
    broker = await startTestBroker();
    const scn = parseScenario(
      { ...minimal, start: '2025-01-01T00:00:00Z', duration: '30m', tags: [{ hub: 'h' }, { hub: 'h' }] },
      'inline',
    );
    const runOnce = async (seed?: number) => {
      broker!.messages.length = 0;
      const r = await runScenario(scn, { brokerUrl: broker!.url, seed });
      await waitForBroker(
        broker!,
        'every reading',
        () => received(broker!, r.hubs[0].imei).flatMap((p) => p.readings).length >= 62,
      );
      return received(broker!, r.hubs[0].imei).flatMap((p) => p.readings);
    };
    const a = await runOnce();
    const b = await runOnce();
    const c = await runOnce(99);
    expect(a.length).toBe(62);
    expect(b).toEqual(a);
    expect(c.map((r) => r.temperature)).not.toEqual(a.map((r) => r.temperature));
  });
});

describe('the shipped scenarios tell their stories', () => {
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  type Heard = {
    hubId: string;
    tag: string;
    ts: number;
    seq: number;
    temperature?: number;
    battery?: number;
    door?: string;
  };

  /** Plays a shipped scenario against a fresh broker; every reading heard, with the id of the hub that sent it. */
  async function play(file: string): Promise<{
    start: number;
    readings: Heard[];
    tagMac: (id: string) => string;
    payloads: Map<string, TelemetryPayloadV1[]>;
  }> {
    broker = await startTestBroker();
    const b = broker;
    const scn = loadScenarioFile(join(SCENARIOS, file));
    let world: Parameters<NonNullable<Parameters<typeof runScenario>[1]['onWorld']>>[0] | undefined;
    const report = await runScenario(scn, { brokerUrl: b.url, onWorld: (w) => (world = w) });
    expect(report.drained).toBe(true);
    const expected = report.totals.readingsAcked;
    const all = () => report.hubs.flatMap((h) => received(b, h.imei).flatMap((p) => p.readings));
    await waitForBroker(b, 'every reading', () => all().length >= expected);
    const payloads = new Map(report.hubs.map((h) => [h.id, received(b, h.imei)]));
    const readings = report.hubs.flatMap((h) =>
      payloads.get(h.id)!.flatMap((p) => p.readings.map((r) => ({ ...r, hubId: h.id }) as Heard)),
    );
    return { start: Date.parse(scn.start!), readings, tagMac: (id) => world!.tags.get(id)!.mac, payloads };
  }

  it('normal-trip: the load stays within 2–8 °C through three short stops, and the truck moves and parks', async () => {
    const { readings, payloads } = await play('normal-trip.yaml');
    const temps = readings.map((r) => r.temperature!);
    expect(Math.min(...temps)).toBeGreaterThan(2);
    expect(Math.max(...temps)).toBeLessThan(8);
    expect(readings.some((r) => r.door === 'open')).toBe(true);
    const fixes = payloads.get('truck')!.map((p) => p.gps!);
    expect(fixes.some((g) => g.speed! > 50)).toBe(true);
    expect(fixes.some((g) => g.speed === 0)).toBe(true);
    for (const g of fixes) expect(g.hdop).toBeGreaterThan(0);
  });

  it('compressor-failure: the chilled load warms well past 8 °C and the frozen one past −10 °C, then both come back', async () => {
    const { start, readings, tagMac } = await play('compressor-failure.yaml');
    const of = (id: string, from: number, to: number) =>
      readings
        .filter((r) => r.tag === tagMac(id) && r.ts >= start + from && r.ts < start + to)
        .map((r) => r.temperature!);
    expect(Math.max(...of('pallet-1', 0, 2 * HOUR))).toBeLessThan(5);
    expect(Math.max(...of('pallet-1', 2 * HOUR, 5 * HOUR + MIN))).toBeGreaterThan(15);
    expect(Math.max(...of('frozen-1', 2 * HOUR, 5 * HOUR + MIN))).toBeGreaterThan(-10);
    const end = of('pallet-1', 7 * HOUR + 50 * MIN, 8 * HOUR + MIN);
    expect(Math.max(...end)).toBeLessThan(Math.max(...of('pallet-1', 2 * HOUR, 5 * HOUR + MIN)) - 8);
  });

  it('dying-battery: the dying tag’s battery runs down to nothing and it falls silent, the healthy one goes on', async () => {
    const { start, readings, tagMac } = await play('dying-battery.yaml');
    const dying = readings.filter((r) => r.tag === tagMac('dying'));
    const healthy = readings.filter((r) => r.tag === tagMac('healthy'));
    expect(dying[0].battery).toBe(6);
    expect(dying.at(-1)!.battery).toBeLessThanOrEqual(1);
    for (let i = 1; i < dying.length; i++)
      expect(dying[i].battery!).toBeLessThanOrEqual(dying[i - 1].battery!);
    expect(dying.at(-1)!.ts).toBeLessThan(start + 2.5 * HOUR);
    expect(healthy.at(-1)!.ts).toBe(start + 4 * HOUR);
  });

  it('clock-drift: measured times start 2 min slow, drift by +500 ppm, and snap back at the sync', async () => {
    const { start, readings } = await play('clock-drift.yaml');
    // Round k was measured at world time start + k × 5 min; the hub stamped it with its own clock.
    const errorMs = (r: Heard) => r.ts - (start + r.seq * 5 * MIN);
    const at = (h: number) => readings.find((r) => r.seq === (h * 60) / 5)!;
    expect(errorMs(at(0))).toBe(-120_000);
    expect(errorMs(readings.find((r) => r.seq === (12 * 60) / 5 - 1)!)).toBeCloseTo(
      -120_000 + (12 * HOUR - 5 * MIN) * 500e-6,
      -1,
    );
    expect(Math.abs(errorMs(readings.find((r) => r.seq === (12 * 60) / 5 + 1)!))).toBeLessThan(1_000);
    expect(errorMs(at(24))).toBeCloseTo(12 * HOUR * 500e-6, -1);
  });

  it('tag-handover: each pallet is heard by the Rotterdam warehouse, then the truck, then Lille, as one unbroken series', async () => {
    const { start, readings, tagMac } = await play('tag-handover.yaml');
    for (const id of ['pallet-1', 'pallet-2']) {
      const series = readings.filter((r) => r.tag === tagMac(id)).sort((a, b) => a.ts - b.ts);
      expect(series.map((r) => r.seq)).toEqual(series.map((_, i) => i)); // the tag's counter runs on across hubs
      const hubAt = (t: number) => series.find((r) => r.ts >= start + t)!.hubId;
      expect([hubAt(30 * MIN), hubAt(3 * HOUR), hubAt(5 * HOUR + 30 * MIN)]).toEqual([
        'warehouse-rotterdam',
        'truck',
        'warehouse-lille',
      ]);
    }
  });
});
