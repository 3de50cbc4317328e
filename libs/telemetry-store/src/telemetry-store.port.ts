import type { EpochMs, Position, StoredReading } from '@coldchain/domain';

/** A hub's GPS fix as stored (positions expire after 60 days; readings are kept for years). */
export interface StoredPosition extends Position {
  tenantId: string;
  hub: string;
}

export interface ReadingQuery {
  tenantId: string;
  tag: string;
  /** Inclusive lower bound on measured time, epoch ms. */
  from: EpochMs;
  /** Exclusive upper bound on measured time, epoch ms. */
  to: EpochMs;
  /** Most readings returned (oldest first). */
  limit: number;
}

/**
 * A page of latest readings, keyset-paged on the tag MAC: pass the last MAC of
 * a page as `after` to get the next one. Stable whatever arrives meanwhile
 * (no offset to shift), one reading per tag.
 */
export interface LatestQuery {
  /** Only tags whose MAC sorts after this one (byte order, as stored: upper-case `AA:BB:…`). */
  after?: string;
  /** At most this many readings, an integer ≥ 1; absent = every tag. */
  limit?: number;
}

/** Metrics a downsampled series aggregates (the numeric ones an operator charts). */
export const SERIES_METRICS = ['temperature', 'humidity', 'co2', 'battery'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

/** Most buckets one series query may ask for: a chart never needs more, and the engine's work stays bounded. */
export const MAX_SERIES_BUCKETS = 10_000;

/** One tag's readings in [from, to), aggregated into buckets of `stepMs`. */
export interface SeriesQuery {
  tenantId: string;
  tag: string;
  /** Inclusive lower bound on measured time, epoch ms. */
  from: EpochMs;
  /** Exclusive upper bound on measured time, epoch ms. */
  to: EpochMs;
  /** Bucket width, ms: an integer ≥ 1000; (to − from) / stepMs ≤ MAX_SERIES_BUCKETS. */
  stepMs: number;
}

/** min / max / mean of one metric over the readings of a bucket that carry it, and how many did. */
export interface MetricAggregate {
  min: number;
  max: number;
  mean: number;
  count: number;
}

/**
 * One bucket of a downsampled series. Buckets are aligned to multiples of
 * `stepMs` since the epoch (InfluxQL `GROUP BY time` does so), so the first
 * one may start before `from` while holding only readings at or after it.
 * Buckets without any reading are omitted; a metric no reading of the bucket
 * carries is absent.
 */
export type SeriesBucket = { start: EpochMs } & Partial<Record<SeriesMetric, MetricAggregate>>;

/**
 * Where readings live: SQLite in the embedded default, InfluxDB in production.
 *
 * Contract (proven by test/contracts/telemetry-store.contract.ts):
 * - `write` resolves only once the readings are durable; a rejection means
 *   nothing may be acknowledged upstream (the batch will be redelivered).
 * - Idempotent on (tenantId, tag, ts): writing the same reading twice stores it once.
 * - Queries are scoped by tenant: another tenant's readings are never returned.
 * - `series` aggregates exactly the readings `readings` would return for the same window.
 */
export interface TelemetryStorePort {
  readonly kind: 'sqlite' | 'influxdb';
  start(): Promise<void>;
  /** Returns how many readings the store took (an adapter that can tell duplicates apart excludes them). */
  write(
    readings: readonly StoredReading[],
    positions: readonly StoredPosition[],
  ): Promise<{ written: number }>;
  readings(query: ReadingQuery): Promise<StoredReading[]>;
  /**
   * One tag's readings downsampled for long ranges, oldest bucket first (the
   * engine aggregates: InfluxQL `GROUP BY time`, SQL `GROUP BY ts / step`).
   * Rejects with InvalidInputError on a bad step or too many buckets.
   */
  series(query: SeriesQuery): Promise<SeriesBucket[]>;
  /**
   * The newest reading of each of the tenant's tags, ordered by tag MAC (byte
   * order), narrowed to a page by `query`: the first `limit` tags after
   * `after` that have a reading. Fewer than `limit` only when no more follow.
   */
  latest(tenantId: string, query?: LatestQuery): Promise<StoredReading[]>;
  /** Positions of the tenant's hubs in a time range, oldest first. */
  positions(
    tenantId: string,
    hub: string,
    from: EpochMs,
    to: EpochMs,
    limit: number,
  ): Promise<StoredPosition[]>;
  /**
   * Deletes readings measured before `readingsBefore` and positions fixed
   * before `positionsBefore` (either optional), of `tenantId` or of every
   * tenant; returns how many went. Deleting for one tenant is what a
   * tenant's shorter retention needs, and every adapter does it. For every
   * tenant at once, an engine that expires data itself (InfluxDB retention
   * policies) deletes nothing and says so with zeros.
   */
  purge(before: {
    readingsBefore?: EpochMs;
    positionsBefore?: EpochMs;
    tenantId?: string;
  }): Promise<{ readings: number; positions: number }>;
  /** The newest position of each of the tenant's hubs (the live map), ordered by hub. */
  latestPositions(tenantId: string): Promise<StoredPosition[]>;
  isHealthy(): boolean;
  close(): Promise<void>;
}
