import type { DeadLetter, HubStatusEvent } from '@coldchain/contract';
import type { ConsumedBatch, PartitionAssignment } from '@coldchain/bus';
import type { Measurement, ProfileLookup, StoredReading, TelemetryRecord } from '@coldchain/domain';
import type { ColdchainMetrics } from '@coldchain/observability';
import type { StoredPosition } from '@coldchain/telemetry-store';
import type { AlarmStage } from './alarm-stage.js';
import type { StoreWriteBehind } from './store-write-behind.js';

/** Tunables of the ingest use case, units in the names. */
export const INGESTION_DEFAULTS = {
  /**
   * Telemetry records per ingest batch at most (the bus's `maxBatchRecords`;
   * Kafka also bounds a batch by one partition's fetch, 4 MiB ≈ 13,000
   * readings). A batch is one threshold pass and one alert publish; the
   * store writes are joined across batches by the write-behind
   * (`WRITE_BEHIND_DEFAULTS`). Large so that a backlog (a restart, an outage
   * just over) is worked off in few passes; at live rates batches stay small.
   */
  maxBatchRecords: 20_000,
  /**
   * Telemetry partitions one ingest instance handles at once (the bus's
   * `partitionsConcurrently`; per-partition state is kept apart, so more is
   * safe). 1: the store writes are already off the consumer's path (the
   * write-behind, one write in flight per instance, since InfluxDB 1.6
   * spends more CPU per point the more writes it takes at once:
   * bench:influx-write: 2.6 CPU-s per 100,000 readings with one
   * 5,000-line write at a time, 4.1 with two, 7.3 with four), so a second
   * partition in flight would only split the same event loop.
   */
  partitionsConcurrently: 1,
  /**
   * Fetches gather up to this much (bytes, or wait ms) before a batch is
   * handed over (the bus's `fetch`). With the store write off the consumer's
   * path, a fetch answering at the first bundle gave batches of ~44 records
   * at 20,000 readings/s and a third more ingest CPU (npm run bench:notify);
   * 50 ms is a tenth of the alert latency budget (500 ms).
   */
  fetch: { minBytes: 256 * 1024, maxWaitMs: 50 },
};

/** A side use case fed by one bus topic: records each batch it is handed (dead letters, hub statuses). */
export interface BatchRecorder<T> {
  handleBatch(batch: ConsumedBatch<T>): Promise<void>;
}

/** The background refresh of the trips the alarm engines read (the {@link TripDirectory}). */
export interface TripSource {
  /** Resolves once the trips are loaded; refreshes them in the background until `stop`. */
  start(): Promise<void>;
  stop(): void;
}

export interface IngestPipelineLog {
  warn(message: string): void;
}

/** The pieces the pipeline drives; built by the module's factories (or a test). */
export interface IngestPipelineParts {
  /** The telemetry store write, off the consumer's path. */
  writer: StoreWriteBehind;
  /** The alarm engines, one per consumed partition, their state in the changelog. */
  alarms: AlarmStage;
  trips: TripSource;
  deadLetters: BatchRecorder<DeadLetter>;
  hubStatuses: BatchRecorder<HubStatusEvent>;
  /** Gives each stored reading its tag's profile id. */
  profiles: ProfileLookup;
  metrics: ColdchainMetrics;
  log: IngestPipelineLog;
}

export interface IngestPipelineOptions {
  /** Period of the alarm engines' time-driven rules (silence, hub offline, quiet door, trip ends), ms. */
  tickIntervalMs: number;
}

/**
 * The ingest use case, its one owner: telemetry into the store and through
 * the alarm engines, the checkpoint that makes both durable before offsets
 * are committed, the engines' ticks, partition assignment, hub statuses and
 * dead letters. Framework-free and transport-free: the bus consumer hands it
 * batches and assignments and calls `start`/`stop`; everything else happens here.
 *
 * Contracts:
 * - `start` resolves once the trips are loaded (trip-scoped rules and budgets
 *   need them before the first batch) and starts the ticks; `stop` stops both
 *   and writes what the alarm engines hold (best effort, never throws).
 * - `handleTelemetry`, once per bus batch: hands the readings to the store's
 *   write-behind and, alongside, runs the threshold check and publishes the
 *   alert transitions. Neither waits for the InfluxDB write: an alert goes out
 *   as soon as its batch is fetched, not after the writes of the batches
 *   before it (hundreds of ms under load). It resolves once the bus accepted
 *   every alert event of the batch and the write-behind took its readings; on
 *   any failure it rejects and the bus redelivers the batch (the store is
 *   idempotent; alert events computed but not yet published are kept and
 *   published first on the next call, since the engine has moved past those
 *   readings and would not produce them again).
 * - `checkpoint(partitions)` is the subscription's `beforeCommit`: it resolves
 *   once every reading handed over so far is stored and those partitions'
 *   alarm state is written to the changelog, and rejects (nothing committed)
 *   if either failed. The readings are durable only then.
 * - `onAssignment` is the subscription's assignment callback: engines of
 *   added partitions are restored before their batches are evaluated, those
 *   of revoked partitions dropped.
 * - One tick runs at a time; a failed one (bus away) is logged and the next
 *   retries, re-deriving the same event keys.
 */
export class IngestPipeline {
  private tickTimer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    private readonly parts: IngestPipelineParts,
    private readonly options: IngestPipelineOptions,
  ) {}

  async start(): Promise<void> {
    await this.parts.trips.start();
    this.tickTimer ??= setInterval(() => void this.tick(), this.options.tickIntervalMs);
  }

  /** Stops the ticks and the trip refresh, then publishes and writes what the alarm engines hold. */
  async stop(): Promise<void> {
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.parts.trips.stop();
    await this.parts.alarms.flush();
  }

  async handleTelemetry(batch: ConsumedBatch<TelemetryRecord>): Promise<void> {
    const { writer, alarms, profiles, metrics } = this.parts;
    const records = batch.values;
    metrics.ingestBatchRecords.observe(records.length);
    const readings: StoredReading[] = [];
    const positions: StoredPosition[] = [];
    let lastFix: StoredPosition | undefined;
    for (const rec of records) {
      const profileId = profiles.profileForTag(rec.tenantId, rec.tag)?.id;
      for (const m of rec.readings) readings.push(storedReading(m, rec, profileId));
      // Every tag record of one hub message carries the same fix: keep it once.
      if (rec.gps && (lastFix === undefined || lastFix.hub !== rec.hub || lastFix.fixAt !== rec.gps.fixAt)) {
        lastFix = { ...rec.gps, tenantId: rec.tenantId, hub: rec.hub };
        positions.push(lastFix);
      }
    }

    // Both settle before the call does. When the write-behind is full (a slow or absent store) the
    // alerts still go out, and the batch is handed back to the bus; its redelivery is not evaluated twice
    // (the engine skips readings it has applied).
    const [queued, evaluated] = await Promise.allSettled([
      writer.enqueue(readings, positions, batch.partition),
      alarms.evaluate(batch.partition, records),
    ]);
    if (queued.status === 'rejected') throw queued.reason;
    if (evaluated.status === 'rejected') throw evaluated.reason;
  }

  /**
   * The store flush waits for every partition's readings (the write-behind writes continuously, so
   * waiting costs no burst); the state write is the given partitions' own (default: every one loaded).
   */
  async checkpoint(partitions?: readonly number[]): Promise<void> {
    const [stored, state] = await Promise.allSettled([
      this.parts.writer.flush(),
      this.parts.alarms.checkpoint(partitions),
    ]);
    if (stored.status === 'rejected') throw stored.reason;
    if (state.status === 'rejected') throw state.reason;
  }

  onAssignment(change: PartitionAssignment): Promise<void> {
    return this.parts.alarms.onAssignment(change);
  }

  /** Into the dead-letter store. */
  recordDeadLetters(batch: ConsumedBatch<DeadLetter>): Promise<void> {
    return this.parts.deadLetters.handleBatch(batch);
  }

  /** Into the hubs' last known status (once per status across the instances: a consumer group). */
  recordHubStatuses(batch: ConsumedBatch<HubStatusEvent>): Promise<void> {
    return this.parts.hubStatuses.handleBatch(batch);
  }

  /** To every alarm engine of this instance (every hub's statuses: a broadcast). */
  applyHubStatuses(batch: ConsumedBatch<HubStatusEvent>): Promise<void> {
    return this.parts.alarms.onHubStatus(batch.values);
  }

  /** One alarm tick; skipped while the last one runs. Resolves when it is over (a failure is logged, never thrown). */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.parts.alarms.tick();
    } catch (err) {
      this.parts.log.warn(`alarm tick failed, next one retries: ${String(err)}`);
    } finally {
      this.ticking = false;
    }
  }
}

/**
 * One flat row per reading, the store's unit. Every row has the same shape
 * (every property, in this order, `undefined` for a metric the tag did not
 * report): the stores then read monomorphic objects. Spreading the measurement
 * gave each combination of metrics its own shape, and cost ingest about a
 * tenth of its CPU (V8 profile at 20,000 readings/s).
 */
function storedReading(m: Measurement, rec: TelemetryRecord, profileId: string | undefined): StoredReading {
  return {
    ts: m.ts,
    seq: m.seq,
    temperature: m.temperature,
    humidity: m.humidity,
    co2: m.co2,
    door: m.door,
    battery: m.battery,
    rssi: m.rssi,
    tenantId: rec.tenantId,
    tag: rec.tag,
    hub: rec.hub,
    profileId,
    receivedAt: rec.receivedAt,
  };
}
