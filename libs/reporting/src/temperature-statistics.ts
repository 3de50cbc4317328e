import { mktFromSum, mktTerm } from '@coldchain/alarm-engine';
import type { EpochMs } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';

/** ΔH/R of the MKT unless told otherwise, kelvin: 10,000 K is 83.144 kJ/mol over R, the usual default for MKT. */
export const MKT_ACTIVATION_ENERGY_OVER_R_K = 10_000;

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
  const acc = new TemperatureStatisticsAccumulator(band, options);
  for (const r of readings) acc.add(r);
  return acc.result();
}

/**
 * The same statistics fed page by page (a year of readings never sits in
 * memory at once): `add` each reading in measured order, then `result`.
 * Constant memory apart from the excursions list.
 */
export class TemperatureStatisticsAccumulator {
  private readonly stats: TemperatureStatistics = {
    samples: 0,
    coveredMs: 0,
    inRangeMs: 0,
    aboveMs: 0,
    belowMs: 0,
    gaps: 0,
    gapMs: 0,
    excursions: [],
  };
  private readonly k: number;
  private sum = 0;
  private mktSum = 0;
  private prevTs: EpochMs | undefined;
  private prevC = 0;
  private open: Excursion | undefined;

  constructor(
    private readonly band: TemperatureBand,
    private readonly options: StatisticsOptions,
  ) {
    if (!(options.maxGapMs > 0)) throw new InvalidInputError('maxGapMs must be a positive number of ms');
    this.k = options.activationEnergyOverRK ?? MKT_ACTIVATION_ENERGY_OVER_R_K;
  }

  add({ ts, temperature: c }: { ts: EpochMs; temperature?: number }): void {
    if (c === undefined) return;
    const stats = this.stats;
    if (this.prevTs !== undefined) {
      if (ts < this.prevTs)
        throw new InvalidInputError(`readings must be sorted by measured time (sample ${stats.samples})`);
      const dt = ts - this.prevTs;
      if (dt > this.options.maxGapMs) {
        stats.gaps++;
        stats.gapMs += dt;
      } else {
        stats.coveredMs += dt;
        const side = sideOf(this.prevC, this.band);
        if (side === 'above') stats.aboveMs += dt;
        else if (side === 'below') stats.belowMs += dt;
        else stats.inRangeMs += dt;
        if (this.open) this.open.durationMs += dt;
      }
    }
    const side = sideOf(c, this.band);
    if (this.open && this.open.side !== side) {
      this.open.endedAt = ts;
      this.open = undefined;
    }
    if (side !== undefined) {
      if (!this.open) {
        const bound = side === 'above' ? this.band.high! : this.band.low!;
        this.open = { side, bound, startedAt: ts, durationMs: 0, peakC: c };
        stats.excursions.push(this.open);
      } else if (side === 'above' ? c > this.open.peakC : c < this.open.peakC) this.open.peakC = c;
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
    this.sum += c;
    this.mktSum += mktTerm(c, this.k);
    this.prevTs = ts;
    this.prevC = c;
  }

  result(): TemperatureStatistics {
    const out = { ...this.stats, excursions: this.stats.excursions.map((e) => ({ ...e })) };
    if (out.samples > 0) {
      out.meanC = this.sum / out.samples;
      out.mktC = mktFromSum(this.mktSum, out.samples, this.k);
    }
    return out;
  }
}

/** Which side of the band a value is on; undefined inside (bounds inclusive). */
function sideOf(c: number, band: TemperatureBand): 'above' | 'below' | undefined {
  if (band.high !== undefined && c > band.high) return 'above';
  if (band.low !== undefined && c < band.low) return 'below';
  return undefined;
}
