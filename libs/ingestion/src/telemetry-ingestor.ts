import type { ConsumedBatch } from '@coldchain/bus';
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
   * bench:influx-write, 2026-12-03, 2.6 CPU-s per 100,000 readings with one
   * 5,000-line write at a time, 4.1 with two, 7.3 with four), so a second
   * partition in flight would only split the same event loop.
   */
  partitionsConcurrently: 1,
  /**
   * Fetches gather up to this much (bytes, or wait ms) before a batch is
   * handed over (the bus's `fetch`). With the store write off the consumer's
   * path, a fetch answering at the first bundle gave batches of ~44 records
   * at 20,000 readings/s and a third more ingest CPU (npm run bench:notify,
   * 2026-12-03); 50 ms is a tenth of the alert latency budget (500 ms).
   */
  fetch: { minBytes: 256 * 1024, maxWaitMs: 50 },
};

/**
 * The hot path's consumer step, once per bus batch: hand the readings to the
 * store's write-behind and, alongside, run the threshold check and publish the
 * alert transitions. Neither waits for the InfluxDB write: an alert goes out
 * as soon as its batch is fetched, not after the writes of the batches before
 * it (which take hundreds of ms under load).
 *
 * Contract: `handleBatch` resolves once the bus accepted every alert event of
 * the batch and the write-behind took its readings; the readings are durable
 * only once `flush()` resolved, so the subscription must commit through a
 * checkpoint whose `beforeCommit` calls `flush()` (`SubscribeOptions.commit`).
 * On any failure it rejects and the bus redelivers the batch; the store is
 * idempotent, and alert events computed but not yet published are kept and
 * published first on the next call, since the evaluator has already moved past
 * those readings and would not produce them again.
 *
 * The threshold step is the {@link AlarmStage} (the alarm engine, one per
 * partition, its state in the changelog, unpublished events carried over per
 * partition).
 */
export class TelemetryIngestor {
  constructor(
    private readonly writer: StoreWriteBehind,
    private readonly alarms: AlarmStage,
    private readonly profiles: ProfileLookup,
    private readonly metrics: ColdchainMetrics,
  ) {}

  /** Resolves once every reading handed over so far is stored (the checkpoint's `beforeCommit`). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  async handleBatch(batch: ConsumedBatch<TelemetryRecord>): Promise<void> {
    const records = batch.values;
    this.metrics.ingestBatchRecords.observe(records.length);
    const readings: StoredReading[] = [];
    const positions: StoredPosition[] = [];
    let lastFix: StoredPosition | undefined;
    for (const rec of records) {
      const profileId = this.profiles.profileForTag(rec.tenantId, rec.tag)?.id;
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
      this.writer.enqueue(readings, positions, batch.partition),
      this.alarms.evaluate(batch.partition, records),
    ]);
    if (queued.status === 'rejected') throw queued.reason;
    if (evaluated.status === 'rejected') throw evaluated.reason;
  }
}

/**
 * One flat row per reading, the store's unit. Every row has the same shape
 * (every property, in this order, `undefined` for a metric the tag did not
 * report): the stores then read monomorphic objects. Spreading the measurement
 * gave each combination of metrics its own shape, and cost ingest about a
 * tenth of its CPU (V8 profile at 20,000 readings/s, 2026-12-03).
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
