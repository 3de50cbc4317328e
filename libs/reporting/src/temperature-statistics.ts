import { meanKineticTemperature } from '@coldchain/alarm-engine';
import type { EpochMs } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';

/** The band a load must stay in, °C; either side may be open. */
export interface TemperatureBand {
  low?: number;
  high?: number;
}

export interface StatisticsOptions {
  /**
   * Longest interval between two readings still counted as covered, ms. A
   * longer one is a data gap: its time counts neither in nor out of range
   * (a hub offline is unknown, not fine).
   */
  maxGapMs: number;
  /** ΔH/R for the MKT, kelvin; 10,000 K unless told otherwise. */
  activationEnergyOverRK?: number;
}

/** One stretch of consecutive readings beyond a bound, in measured time. */
export interface Excursion {
  side: 'above' | 'below';
  /** The bound crossed, °C. */
  bound: number;
  /** Measured time of the first reading beyond the bound, epoch ms. */
  startedAt: EpochMs;
  /** Measured time of the first reading back within the band; absent while still beyond at the last reading. */
  endedAt?: EpochMs;
  /** Covered time beyond the bound within this excursion, ms (gaps excluded). */
  durationMs: number;
  /** The furthest value beyond the bound, °C. */
  peakC: number;
}

/**
 * Statistics of one tag's temperature over a window, from its stored
 * readings (the record a report stands on, whatever instance or restart the
 * live engine went through).
 */
export interface TemperatureStatistics {
  samples: number;
  firstAt?: EpochMs;
  lastAt?: EpochMs;
  minC?: number;
  maxC?: number;
  meanC?: number;
  /** Mean kinetic temperature, °C, over the samples (equal weights, as in USP <1079>). */
  mktC?: number;
  /** Covered time (intervals ≤ maxGapMs), and its split by band, ms. Each interval counts with its opening reading's value. */
  coveredMs: number;
  inRangeMs: number;
  aboveMs: number;
  belowMs: number;
  /** Intervals longer than maxGapMs, and their total length, ms. */
  gaps: number;
  gapMs: number;
  excursions: Excursion[];
}

/**
 * Temperature statistics of readings sorted by measured time (the store's
 * order; an unsorted input is refused rather than silently misread).
 * Readings without temperature are skipped. Sample-and-hold: the value of a
 * reading stands until the next one, unless the interval is a gap.
 */
export function temperatureStatistics(
  readings: ReadonlyArray<{ ts: EpochMs; temperature?: number }>,
  band: TemperatureBand,
  options: StatisticsOptions,
): TemperatureStatistics {
  if (!(options.maxGapMs > 0)) throw new InvalidInputError('maxGapMs must be a positive number of ms');
  const stats: TemperatureStatistics = {
    samples: 0,
    coveredMs: 0,
    inRangeMs: 0,
    aboveMs: 0,
    belowMs: 0,
    gaps: 0,
    gapMs: 0,
    excursions: [],
  };
  const values: number[] = [];
  let sum = 0;
  let prevTs: EpochMs | undefined;
  let prevC = 0;
  let open: Excursion | undefined;
  for (let i = 0; i < readings.length; i++) {
    const { ts, temperature: c } = readings[i];
    if (c === undefined) continue;
    if (prevTs !== undefined) {
      if (ts < prevTs) throw new InvalidInputError(`readings must be sorted by measured time (index ${i})`);
      const dt = ts - prevTs;
      if (dt > options.maxGapMs) {
        stats.gaps++;
        stats.gapMs += dt;
      } else {
        stats.coveredMs += dt;
        const side = sideOf(prevC, band);
        if (side === 'above') stats.aboveMs += dt;
        else if (side === 'below') stats.belowMs += dt;
        else stats.inRangeMs += dt;
        if (open) open.durationMs += dt;
      }
    }
    const side = sideOf(c, band);
    if (open && open.side !== side) {
      open.endedAt = ts;
      open = undefined;
    }
    if (side !== undefined) {
      if (!open) {
        open = {
          side,
          bound: side === 'above' ? band.high! : band.low!,
          startedAt: ts,
          durationMs: 0,
          peakC: c,
        };
        stats.excursions.push(open);
      } else if (side === 'above' ? c > open.peakC : c < open.peakC) open.peakC = c;
    }
    if (stats.samples === 0) {
      stats.firstAt = ts;
      stats.minC = c;
      stats.maxC = c;
    } else {
      if (c < stats.minC!) stats.minC = c;
      if (c > stats.maxC!) stats.maxC = c;
    }
    stats.samples++;
    stats.lastAt = ts;
    sum += c;
    values.push(c);
    prevTs = ts;
    prevC = c;
  }
  if (stats.samples > 0) {
    stats.meanC = sum / stats.samples;
    stats.mktC = meanKineticTemperature(values, options.activationEnergyOverRK);
  }
  return stats;
}

/** Which side of the band a value is on; undefined inside (bounds inclusive). */
function sideOf(c: number, band: TemperatureBand): 'above' | 'below' | undefined {
  if (band.high !== undefined && c > band.high) return 'above';
  if (band.low !== undefined && c < band.low) return 'below';
  return undefined;
}
