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

  it('covers the seven situations issue 5 asks for', () => {
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
