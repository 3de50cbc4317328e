import { describe, expect, it } from '@jest/globals';
import { chooseSeriesStep } from './series-step.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('chooseSeriesStep', () => {
  it('keeps raw readings when they fit in the chart', () => {
    expect(chooseSeriesStep(0, DAY, 2000, MIN)).toBeUndefined(); // 1,440 readings
  });

  it('picks the smallest round step that fits', () => {
    expect(chooseSeriesStep(0, DAY, 1000, MIN)).toBe(5 * MIN); // 1 min would give 1,440; 5 min gives 288
    expect(chooseSeriesStep(0, 30 * DAY, 1000, MIN)).toBe(60 * MIN); // 30 min gives 1,440; 1 h gives 720
  });

  it('goes past a day in whole days for very long ranges', () => {
    expect(chooseSeriesStep(0, 3650 * DAY, 1000, MIN)).toBe(4 * DAY); // 3,650 days → 913 buckets
  });

  it('refuses an empty window or non-positive limits', () => {
    expect(() => chooseSeriesStep(5, 5, 100, MIN)).toThrow(/must be after/);
    expect(() => chooseSeriesStep(0, DAY, 0, MIN)).toThrow(/positive/);
  });
});
