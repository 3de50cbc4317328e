import { describe, expect, it } from '@jest/globals';
import { meanKineticTemperature } from './mean-kinetic-temperature.js';

describe('mean kinetic temperature (ΔH/R = 10,000 K)', () => {
  it('equals the temperature when it is constant', () => {
    expect(meanKineticTemperature([5, 5, 5, 5])).toBeCloseTo(5, 10);
  });

  it('weights warm samples more than the arithmetic mean does (the worked example of docs/alarm-engine.md)', () => {
    // Four hours at 5 °C and one at 25 °C: mean 9 °C, MKT ≈ 13.85 °C.
    const mkt = meanKineticTemperature([5, 5, 5, 5, 25]);
    expect(mkt).toBeCloseTo(13.8509, 3);
  });

  it('is NaN without samples', () => {
    expect(meanKineticTemperature([])).toBeNaN();
  });
});
