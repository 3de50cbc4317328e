import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../random/seeded-random.js';
import { VirtualTag } from './virtual-tag.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const tag = (over: Partial<ConstructorParameters<typeof VirtualTag>[0]> = {}, seed = 1) =>
  new VirtualTag({ mac: 'AA:BB:CC:DD:EE:01', ...over }, T0, new SeededRandom(seed));

describe('virtual K-TAG', () => {
  it('numbers its measurements with a rolling counter and stamps them with the hub’s time', () => {
    const t = tag({ firstSeq: 7 });
    const a = t.measure(T0, 111)!;
    const b = t.measure(T0 + MIN, 222)!;
    expect([a.seq, b.seq]).toEqual([7, 8]);
    expect([a.ts, b.ts]).toEqual([111, 222]);
  });

  it('gives the same readings for the same seed, and different ones for another seed', () => {
    const run = (seed: number) => {
      const t = tag({}, seed);
      return Array.from({ length: 20 }, (_, i) => t.measure(T0 + i * MIN, T0 + i * MIN));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('reports the door and lets outside air in while it is open: humidity toward ambient, CO2 vented', () => {
    const t = tag({ humidityPct: 90, ambientHumidityPct: 40, co2RespirationPpmPerH: 200 });
    const closed = t.measure(T0 + 60 * MIN, 0)!;
    t.setDoor(true, T0 + 60 * MIN);
    const open = t.measure(T0 + 75 * MIN, 0)!;
    expect(closed.door).toBe('closed');
    expect(open.door).toBe('open');
    expect(open.humidity!).toBeLessThan(closed.humidity! - 20);
    expect(open.co2!).toBeLessThan(closed.co2! - 200);
    expect(open.temperature!).toBeGreaterThan(closed.temperature! + 1);
  });

  it('drains its battery per measurement and falls silent when flat', () => {
    const t = tag({ batteryStartPct: 1, batteryPerMeasurementPct: 0.25 });
    const readings = Array.from({ length: 6 }, (_, i) => t.measure(T0 + i * MIN, T0 + i * MIN));
    expect(readings.slice(0, 4).every((r) => r !== undefined)).toBe(true);
    expect(readings.slice(4)).toEqual([undefined, undefined]);
    expect(t.alive).toBe(false);
  });

  it('stays within the contract’s physical ranges whatever the model does', () => {
    const t = tag({ setpointC: -95, ambientC: 99 });
    t.setCompressor(false, T0);
    for (let i = 0; i < 200; i++) {
      const r = t.measure(T0 + i * 10 * MIN, 0)!;
      expect(r.temperature!).toBeGreaterThanOrEqual(-100);
      expect(r.temperature!).toBeLessThanOrEqual(100);
      expect(r.humidity!).toBeGreaterThanOrEqual(0);
      expect(r.humidity!).toBeLessThanOrEqual(100);
    }
  });
});
