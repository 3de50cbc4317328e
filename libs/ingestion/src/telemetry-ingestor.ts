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

/**
 * The hot path's consumer step, once per bus batch: store the readings, run the
 * threshold check, publish the alert transitions.
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
  private unpublished: AlertEvent[] = [];

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

    const stopTimer = this.metrics.storeWriteSeconds.startTimer();
    const { written } = await this.store.write(readings, positions);
    stopTimer();
    this.metrics.readingsIngested.inc(written);

    if (this.evaluator instanceof AlarmStage) return this.evaluator.evaluate(batch.partition, records);
    const events = this.evaluator.evaluate(records, this.profiles, this.clock.now());
    if (events.length > 0) this.unpublished.push(...events);
    if (this.unpublished.length > 0) {
      const out = this.unpublished;
      await this.bus.publish(
        ALERTS_TOPIC,
        out.map((e) => ({ key: e.tag, value: e })),
      );
      this.unpublished = this.unpublished.slice(out.length);
      for (const e of out) this.metrics.alertsEmitted.inc({ transition: e.transition });
    }
  }
}
