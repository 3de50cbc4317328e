import type { EpochMs } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
/** Bucket widths a chart may use, ms: round numbers an operator reads at a glance. */
export const SERIES_STEPS_MS = [
  S,
  5 * S,
  10 * S,
  30 * S,
  M,
  5 * M,
  10 * M,
  15 * M,
  30 * M,
  H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  24 * H,
] as const;

/**
 * Raw readings or buckets for a chart of [from, to) at most `maxPoints` wide:
 * `undefined` when the raw readings fit (expected count from the sampling
 * interval), else the smallest round step giving at most `maxPoints` buckets.
 */
export function chooseSeriesStep(
  from: EpochMs,
  to: EpochMs,
  maxPoints: number,
  samplingIntervalMs: number,
): number | undefined {
  if (!(to > from)) throw new InvalidInputError(`to (${to}) must be after from (${from})`);
  if (!(maxPoints >= 1) || !(samplingIntervalMs > 0))
    throw new InvalidInputError('maxPoints and samplingIntervalMs must be positive');
  const span = to - from;
  if (span / samplingIntervalMs <= maxPoints) return undefined;
  for (const step of SERIES_STEPS_MS) if (span / step <= maxPoints) return step;
  return Math.ceil(span / maxPoints / SERIES_STEPS_MS.at(-1)!) * SERIES_STEPS_MS.at(-1)!;
}
