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
 * Where readings live: SQLite in the embedded default, InfluxDB in production.
 *
 * Contract (proven by test/contracts/telemetry-store.contract.ts):
 * - `write` resolves only once the readings are durable; a rejection means
 *   nothing may be acknowledged upstream (the batch will be redelivered).
 * - Idempotent on (tenantId, tag, ts): writing the same reading twice stores it once.
 * - Queries are scoped by tenant: another tenant's readings are never returned.
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
  /** The newest reading of each of the tenant's tags. */
  latest(tenantId: string): Promise<StoredReading[]>;
  /** Positions of the tenant's hubs in a time range, oldest first. */
  positions(
    tenantId: string,
    hub: string,
    from: EpochMs,
    to: EpochMs,
    limit: number,
  ): Promise<StoredPosition[]>;
  isHealthy(): boolean;
  close(): Promise<void>;
}
