import { describe, expect, it } from '@jest/globals';
import { THERMAL_DEFAULTS, ThermalModel } from './thermal.model.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const reefer = (setpointC = 4, ambientC = 25) =>
  new ThermalModel({ ...THERMAL_DEFAULTS, setpointC, ambientC }, T0);

/** Probe readings every minute from `from` to `to` (ms after T0). */
function trace(m: ThermalModel, from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += MIN) {
    m.advanceTo(T0 + t);
    out.push(m.probeC);
  }
  return out;
}

describe('reefer thermal model', () => {
  it('holds the set point for a day with the door shut and the compressor running', () => {
    for (const sp of [4, -18, 15]) {
      const m = reefer(sp);
      const temps = trace(m, 0, 24 * HOUR);
      expect(Math.max(...temps.map((t) => Math.abs(t - sp)))).toBeLessThan(0.01);
    }
  });

  it('a one-minute door opening barely moves the load, and the reefer recovers', () => {
    const m = reefer();
    m.advanceTo(T0 + HOUR);
    m.doorOpen = true;
    m.advanceTo(T0 + HOUR + MIN);
    m.doorOpen = false;
    const after = trace(m, HOUR + MIN, 4 * HOUR);
    expect(Math.max(...after)).toBeLessThan(4 + 1); // under a degree: no false excursion from a delivery stop
    expect(after.at(-1)!).toBeCloseTo(4, 1);
  });

  it('a door left open for 30 minutes warms the load well past a 2–8 °C band, then it cools back once shut', () => {
    const m = reefer();
    m.advanceTo(T0 + HOUR);
    m.doorOpen = true;
    const open = trace(m, HOUR, HOUR + 30 * MIN);
    expect(open.at(-1)!).toBeGreaterThan(8);
    // Warming while open is monotonic (no oscillation from the controller).
    for (let i = 1; i < open.length; i++) expect(open[i]).toBeGreaterThanOrEqual(open[i - 1] - 1e-9);
    // The air cannot pass the door-open equilibrium: Tamb − coolMax / (kWall + kDoor).
    const k = THERMAL_DEFAULTS.wallConductancePerH + THERMAL_DEFAULTS.doorConductancePerH;
    expect(m.state.airC).toBeLessThanOrEqual(25 - THERMAL_DEFAULTS.coolingMaxCPerH / k + 1e-6);
    m.doorOpen = false;
    const shut = trace(m, HOUR + 30 * MIN, 6 * HOUR);
    expect(shut.at(-1)!).toBeLessThan(4.2);
  });

  it('after a compressor failure the load warms toward ambient with the wall time constant and never passes it', () => {
    const m = reefer(4, 25);
    m.advanceTo(T0 + HOUR);
    m.compressorOk = false;
    const temps = trace(m, HOUR, 13 * HOUR);
    for (let i = 1; i < temps.length; i++) expect(temps[i]).toBeGreaterThanOrEqual(temps[i - 1] - 1e-9);
    expect(temps[2 * 60]).toBeGreaterThan(4 + 0.4 * 21); // ~1 time constant (2 h) later, well over a third of the way
    expect(temps.at(-1)!).toBeLessThanOrEqual(25);
    expect(temps.at(-1)!).toBeGreaterThan(24);
  });

  it('gives the same temperatures whether advanced in one long step or many short ones', () => {
    const a = reefer();
    const b = reefer();
    a.compressorOk = false;
    b.compressorOk = false;
    a.advanceTo(T0 + 3 * HOUR);
    trace(b, 0, 3 * HOUR);
    expect(a.probeC).toBeCloseTo(b.probeC, 6);
  });

  it('ignores a time in the past (time never runs back)', () => {
    const m = reefer();
    m.compressorOk = false;
    m.advanceTo(T0 + HOUR);
    const t = m.probeC;
    m.advanceTo(T0);
    expect(m.probeC).toBe(t);
  });
});
