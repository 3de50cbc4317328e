import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '@coldchain/errors';
import { TemperatureStatisticsAccumulator, temperatureStatistics } from './temperature-statistics.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const MIN = 60_000;
/** One reading per minute from T0 with the given temperatures. */
const perMinute = (celsius: number[]) => celsius.map((c, i) => ({ ts: T0 + i * MIN, temperature: c }));
const band = { low: 2, high: 8 };
const opts = { maxGapMs: 5 * MIN };

/** The MKT formula written out independently: T = (ΔH/R) / −ln(Σ e^(−ΔH/(R·Tᵢ)) / n), kelvin. */
const mktByHand = (c: number[]) =>
  10_000 / -Math.log(c.reduce((s, x) => s + Math.exp(-10_000 / (x + 273.15)), 0) / c.length) - 273.15;

describe('temperatureStatistics (from stored readings)', () => {
  it('worked example: min, max, mean, MKT, time in and out of range, excursions with peaks', () => {
    const c = [5, 5, 9, 10, 7, 1, 5];
    const s = temperatureStatistics(perMinute(c), band, opts);
    expect(s).toMatchObject({
      samples: 7,
      firstAt: T0,
      lastAt: T0 + 6 * MIN,
      minC: 1,
      maxC: 10,
      meanC: 6,
      coveredMs: 6 * MIN,
      inRangeMs: 3 * MIN,
      aboveMs: 2 * MIN,
      belowMs: 1 * MIN,
      gaps: 0,
      gapMs: 0,
    });
    expect(s.mktC).toBeCloseTo(mktByHand(c), 10);
    expect(s.mktC!).toBeGreaterThan(s.meanC!); // MKT weighs warm periods more than the mean does
    expect(s.excursions).toEqual([
      {
        side: 'above',
        bound: 8,
        startedAt: T0 + 2 * MIN,
        endedAt: T0 + 4 * MIN,
        durationMs: 2 * MIN,
        peakC: 10,
      },
      {
        side: 'below',
        bound: 2,
        startedAt: T0 + 5 * MIN,
        endedAt: T0 + 6 * MIN,
        durationMs: 1 * MIN,
        peakC: 1,
      },
    ]);
  });

  it('counts an interval longer than maxGapMs as a gap, neither in nor out of range, also inside an excursion', () => {
    const readings = [
      { ts: T0, temperature: 9 },
      { ts: T0 + MIN, temperature: 9 },
      { ts: T0 + 21 * MIN, temperature: 9 }, // 20 min without data
      { ts: T0 + 22 * MIN, temperature: 5 },
    ];
    const s = temperatureStatistics(readings, band, opts);
    expect(s).toMatchObject({ gaps: 1, gapMs: 20 * MIN, coveredMs: 2 * MIN, aboveMs: 2 * MIN, inRangeMs: 0 });
    expect(s.excursions).toEqual([
      { side: 'above', bound: 8, startedAt: T0, endedAt: T0 + 22 * MIN, durationMs: 2 * MIN, peakC: 9 },
    ]);
  });

  it('leaves an excursion still beyond the bound at the last reading open (no end time)', () => {
    const s = temperatureStatistics(perMinute([5, 9, 11]), band, opts);
    expect(s.excursions).toEqual([
      { side: 'above', bound: 8, startedAt: T0 + MIN, durationMs: MIN, peakC: 11 },
    ]);
  });

  it('goes straight from above to below as two excursions', () => {
    const s = temperatureStatistics(perMinute([9, 1, 5]), band, opts);
    expect(s.excursions.map((e) => [e.side, e.startedAt, e.endedAt])).toEqual([
      ['above', T0, T0 + MIN],
      ['below', T0 + MIN, T0 + 2 * MIN],
    ]);
  });

  it('treats the bounds as inside the band, and a one-sided band as open on the other side', () => {
    expect(temperatureStatistics(perMinute([2, 8, 2]), band, opts).excursions).toEqual([]);
    const frozen = temperatureStatistics(perMinute([-30, -10, -25]), { high: -15 }, opts);
    expect(frozen.excursions.map((e) => e.peakC)).toEqual([-10]);
  });

  it('skips readings without temperature and answers an empty window with zero samples', () => {
    const s = temperatureStatistics(
      [{ ts: T0 }, { ts: T0 + MIN, temperature: 4 }, { ts: T0 + 2 * MIN }],
      band,
      opts,
    );
    expect(s).toMatchObject({ samples: 1, minC: 4, maxC: 4, meanC: 4, coveredMs: 0 });
    const empty = temperatureStatistics([], band, opts);
    expect(empty).toMatchObject({ samples: 0, coveredMs: 0, excursions: [] });
    expect(empty.meanC).toBeUndefined();
    expect(empty.mktC).toBeUndefined();
  });

  it('gives the same result fed page by page as all at once', () => {
    const readings = perMinute([5, 9, 9, 1, 5, 12, 12, 3, 8.5, 2]);
    const acc = new TemperatureStatisticsAccumulator(band, opts);
    for (const page of [readings.slice(0, 3), readings.slice(3, 4), readings.slice(4)])
      for (const r of page) acc.add(r);
    expect(acc.result()).toEqual(temperatureStatistics(readings, band, opts));
    expect(acc.result().excursions.map((e) => e.side)).toEqual(['above', 'below', 'above', 'above']);
  });

  it('refuses unsorted readings and a non-positive gap limit, with InvalidInputError', () => {
    const unsorted = [
      { ts: T0 + MIN, temperature: 4 },
      { ts: T0, temperature: 4 },
    ];
    expect(() => temperatureStatistics(unsorted, band, opts)).toThrow(InvalidInputError);
    expect(() => temperatureStatistics(unsorted, band, opts)).toThrow(/sorted by measured time \(sample 1\)/);
    expect(() => temperatureStatistics([], band, { maxGapMs: 0 })).toThrow(/maxGapMs/);
  });
});
