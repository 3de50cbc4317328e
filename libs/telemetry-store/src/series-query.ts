import { InvalidInputError } from '@coldchain/errors';
import {
  MAX_SERIES_BUCKETS,
  SERIES_METRICS,
  type SeriesBucket,
  type SeriesQuery,
} from './telemetry-store.port.js';

/**
 * Refuses a series query no adapter should run: a step that is not a whole
 * number of milliseconds ≥ 1 s, an empty or reversed window, or more than
 * MAX_SERIES_BUCKETS buckets. Every problem is named in one InvalidInputError.
 */
export function assertSeriesQuery(q: SeriesQuery): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(q.stepMs) || q.stepMs < 1000)
    problems.push(`stepMs must be an integer ≥ 1000 (got ${q.stepMs})`);
  if (!Number.isSafeInteger(q.from) || !Number.isSafeInteger(q.to))
    problems.push('from and to must be integer epoch-ms times');
  else if (q.to <= q.from) problems.push(`to (${q.to}) must be after from (${q.from})`);
  if (problems.length === 0) {
    const buckets = Math.ceil((q.to - q.from) / q.stepMs) + 1;
    if (buckets > MAX_SERIES_BUCKETS)
      problems.push(`${buckets} buckets requested, at most ${MAX_SERIES_BUCKETS}: widen stepMs`);
  }
  if (problems.length > 0) throw new InvalidInputError(`series query refused: ${problems.join('; ')}`);
}

/**
 * A bucket from an aggregate row with columns `<metric>_min|_max|_mean|_count`
 * (both adapters name them so); a metric with count 0 or null was absent.
 */
export function bucketFromAggregates(start: number, row: Record<string, unknown>): SeriesBucket {
  const bucket: SeriesBucket = { start };
  for (const m of SERIES_METRICS) {
    const count = Number(row[`${m}_count`] ?? 0);
    if (count > 0)
      bucket[m] = {
        min: row[`${m}_min`] as number,
        max: row[`${m}_max`] as number,
        mean: row[`${m}_mean`] as number,
        count,
      };
  }
  return bucket;
}
