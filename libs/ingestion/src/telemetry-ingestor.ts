import { ALERTS_TOPIC, type BusPort, type ConsumedBatch } from '@coldchain/bus';
import type {
  AlertEvent,
  Clock,
  ProfileLookup,
  StoredReading,
  TelemetryRecord,
  ThresholdEvaluator,
} from '@coldchain/domain';
import type { ColdchainMetrics } from '@coldchain/observability';
import type { StoredPosition, TelemetryStorePort } from '@coldchain/telemetry-store';
import { AlarmStage } from './alarm-stage.js';

/** Tunables of the ingest use case, units in the names. */
export const INGESTION_DEFAULTS = {
  /**
   * Telemetry records per ingest batch at most (the bus's `maxBatchRecords`;
   * Kafka also bounds a batch by one partition's fetch, 4 MiB ≈ 13,000
   * readings). Each batch is one InfluxDB write, and under load a write's
   * time is mostly its WAL fsync, not its size (2026-12-03 bench: 4,000-line
   * writes took 0.5–0.8 s on the shared machine): larger batches store more
   * readings per fsync once a backlog forms. At low rates batches stay small.
   */
  maxBatchRecords: 20_000,
  /**
   * Telemetry partitions one ingest instance handles at once (the bus's
   * `partitionsConcurrently`; per-partition state is kept apart, so more is
   * safe). 1 on purpose: InfluxDB 1.6 spends more CPU per point the more
   * writes it takes at once (bench:influx-write, 2026-12-03: 2.6 CPU-s per
   * 100,000 readings with one 5,000-line write at a time, 4.1 with two, 7.3
   * with four, and fewer readings/s), and every instance already has one in
   * flight. Raise it for a store that scales with concurrent writes. Tried
   * at 2 end to end (npm run bench, 2026-12-03): alert p99 at 20,000
   * readings/s 2.6 → 1.8 s (40 probes), but 20,700 instead of 24,500
   * readings/s stored at 30,000 offered.
   */
  partitionsConcurrently: 1,
};

/**
 * The hot path's consumer step, once per bus batch: store the readings and,
 * alongside the write, run the threshold check and publish the alert
 * transitions (an alert does not wait for the store).
 *
 * Contract: resolves (and so lets the bus commit the batch) only after the
 * store accepted every reading and the bus accepted every alert event. On any
 * failure it rejects and the bus redelivers the batch; the store is
 * idempotent, and alert events computed but not yet published are kept and
 * published first on the next call, since the evaluator has already moved past
 * those readings and would not produce them again.
 *
 * The threshold step is either an {@link AlarmStage} (the alarm engine, one
 * per partition, state in the changelog, carry-over per partition) or a plain
 * {@link ThresholdEvaluator} (carry-over here), whose state lives only in
 * memory.
 */
export class TelemetryIngestor {
  /** Per partition: the bus may hand over several partitions' batches at once (`partitionsConcurrently`). */
  private readonly unpublished = new Map<number, AlertEvent[]>();

  constructor(
    private readonly store: TelemetryStorePort,
    private readonly bus: BusPort,
    private readonly evaluator: ThresholdEvaluator | AlarmStage,
    private readonly profiles: ProfileLookup,
    private readonly metrics: ColdchainMetrics,
    private readonly clock: Clock,
  ) {}

  async handleBatch(batch: ConsumedBatch<TelemetryRecord>): Promise<void> {
    const records = batch.values;
    this.metrics.ingestBatchRecords.observe(records.length);
    const readings: StoredReading[] = [];
    const positions: StoredPosition[] = [];
    let lastFix: StoredPosition | undefined;
    for (const rec of records) {
      const profileId = this.profiles.profileForTag(rec.tenantId, rec.tag)?.id;
      for (const m of rec.readings) {
        // One flat row per reading: the store's unit. Spread copies only the few metric fields present.
        readings.push({
          ...m,
          tenantId: rec.tenantId,
          tag: rec.tag,
          hub: rec.hub,
          profileId,
          receivedAt: rec.receivedAt,
        });
      }
      // Every tag record of one hub message carries the same fix: keep it once.
      if (rec.gps && (lastFix === undefined || lastFix.hub !== rec.hub || lastFix.fixAt !== rec.gps.fixAt)) {
        lastFix = { ...rec.gps, tenantId: rec.tenantId, hub: rec.hub };
        positions.push(lastFix);
      }
    }

    // The threshold check runs alongside the store write, so an alert does not wait for the write of
    // its own batch (hundreds of ms under load; during an outage, the first failing batch's alerts
    // still go out). Both settle before the call does: a retry of the batch races nothing in flight.
    const stopTimer = this.metrics.storeWriteSeconds.startTimer();
    const [stored, evaluated] = await Promise.allSettled([
      this.store.write(readings, positions).then(({ written }) => {
        stopTimer();
        this.metrics.readingsIngested.inc(written);
      }),
      this.evaluate(batch.partition, records),
    ]);
    if (stored.status === 'rejected') throw stored.reason;
    if (evaluated.status === 'rejected') throw evaluated.reason;
  }

  /** The threshold step of one batch: evaluate and publish the alert transitions (carry-over on failure). */
  private async evaluate(partition: number, records: readonly TelemetryRecord[]): Promise<void> {
    if (this.evaluator instanceof AlarmStage) return this.evaluator.evaluate(partition, records);
    const events = this.evaluator.evaluate(records, this.profiles, this.clock.now());
    const out = [...(this.unpublished.get(partition) ?? []), ...events];
    if (out.length > 0) {
      this.unpublished.set(partition, out);
      await this.bus.publish(
        ALERTS_TOPIC,
        out.map((e) => ({ key: e.tag, value: e })),
      );
      this.unpublished.delete(partition);
      for (const e of out) this.metrics.alertsEmitted.inc({ transition: e.transition });
    }
  }
}
