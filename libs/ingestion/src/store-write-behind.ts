import type { StoredReading } from '@coldchain/domain';
import { ColdchainError, EngineUnavailableError, ShuttingDownError } from '@coldchain/errors';
import type { ColdchainMetrics } from '@coldchain/observability';
import type { StoredPosition, TelemetryStorePort } from '@coldchain/telemetry-store';

/** Tunables of the write-behind, units in the names. */
export const WRITE_BEHIND_DEFAULTS = {
  /**
   * Readings one store write takes at most: the queued batches are joined up
   * to this (a larger batch goes alone). Matches the InfluxDB adapter's
   * request size: under load a write costs mostly its fsync, not its lines.
   */
  maxWriteReadings: 20_000,
  /**
   * Readings queued and not yet written above which `enqueue` waits for room:
   * the memory bound (a queued reading is one small object whose strings are
   * shared with its record: ~150 B, so ~30 MB) and the backpressure that
   * slows consumption to the store's pace. Seconds of input on purpose: a
   * consumer held back stops evaluating, and InfluxDB 1.6 on a loaded machine
   * has write stalls of several seconds (at 40,000, batches waited 0.6 s twice
   * in 50 s at 20,000 readings/s, npm run bench:notify).
   */
  maxQueuedReadings: 200_000,
  /**
   * How long `enqueue` waits for room before it rejects (retriable), ms.
   * Below the bus's session timeout, so that a consumer held back by a
   * stalled store hands the batch back to the bus, which heartbeats while it
   * backs off, instead of being evicted from its group.
   */
  roomWaitMs: 5_000,
  /** First retry of a failed write, ms; doubled per failure up to `retryMaxMs`, with ±20 % jitter. */
  retryInitialMs: 200,
  retryMaxMs: 5_000,
};

export type WriteBehindOptions = typeof WRITE_BEHIND_DEFAULTS;

export interface WriteBehindLog {
  warn(message: string): void;
  error(message: string): void;
}

interface QueuedWrite {
  readings: readonly StoredReading[];
  positions: readonly StoredPosition[];
  /** Position of this write in the order of `enqueue` calls, from 1. */
  seq: number;
  /** Batches of one group (a partition) are written together; see `enqueue`. */
  group: number;
}

interface FlushWaiter {
  upTo: number;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * The telemetry store write taken off the consumer's path (a write-behind
 * buffer, as Kafka Streams' state stores flushed before each commit): the
 * consumer hands a batch's readings over and goes on to its next batch while
 * the previous ones are written, so the threshold check and the alert of a
 * reading never wait for the InfluxDB write of the readings fetched before it.
 * Under load, the batches of one group (ingest: one partition) that queued
 * while a write was in flight go out together as the next write.
 *
 * Contracts:
 * - One write at a time, each covering one or more whole batches of one
 *   group: the oldest batch queued and the later ones of its group, in
 *   `enqueue` order. Groups matter to InfluxDB 1.6: a write joining batches
 *   of several partitions spreads its points over three times the series, and
 *   at 30,000 readings/s offered the pipeline stored 12,200–12,500/s with
 *   2 s writes that way, 18,000/s with 0.26 s writes per partition (npm run
 *   bench). A failed write is retried (the same readings, before
 *   anything queued after them in its group) with exponential backoff,
 *   indefinitely, like a bus redelivery: the store's points are idempotent.
 * - Except content the store refuses for good (a non-retriable ColdchainError:
 *   InfluxRejectedError, InvalidInputError): a refused write of several
 *   batches is redone one batch at a time, at once, and the batch refused
 *   alone is set aside (error log, `coldchain_store_refused_readings_total`),
 *   so that one bad batch does not hold back every partition and every
 *   commit behind it. Kafka keeps it (the offset is committed past it, the
 *   record stays in the log for its retention).
 * - `flush()` resolves once everything enqueued before the call is written;
 *   it rejects as soon as a write fails (or at once while the last write has
 *   failed and is waiting for its retry), so that a checkpoint fails and
 *   commits nothing instead of hanging. Offsets may be committed only after a
 *   `flush()` that started after their batches were enqueued resolved: wire it
 *   into the bus's `beforeCommit`.
 * - `enqueue` accepts at once while fewer than `maxQueuedReadings` wait;
 *   otherwise it waits for room up to `roomWaitMs` and then rejects with a
 *   retriable EngineUnavailableError, having taken nothing (the caller's
 *   batch is redelivered).
 * - A crash loses only what was not flushed, which was not committed either:
 *   the bus replays it.
 * - A `ShuttingDownError` from the store ends the retries: the process is
 *   stopping and what is left was not committed.
 */
export class StoreWriteBehind {
  private readonly queue: QueuedWrite[] = [];
  private queuedReadings = 0;
  private enqueued = 0;
  private written = 0;
  private writing = false;
  private failures = 0;
  private lastFailure?: Error;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  /**
   * After the store refused (non-retriable) a write of several batches: batches up to this `seq` go
   * one at a time, so that the refused one is found and set aside alone.
   */
  private isolateUpTo = 0;
  private readonly flushes: FlushWaiter[] = [];
  private readonly roomWaiters = new Set<() => void>();

  constructor(
    private readonly store: TelemetryStorePort,
    private readonly metrics: ColdchainMetrics,
    private readonly log: WriteBehindLog,
    private readonly options: WriteBehindOptions = WRITE_BEHIND_DEFAULTS,
  ) {}

  /** Readings queued and not yet written (inspection, metrics). */
  get pendingReadings(): number {
    return this.queuedReadings;
  }

  /**
   * Queues one batch's rows for writing, in `group` (ingest passes the
   * partition). The arrays are kept, not copied: the caller must not change
   * them afterwards.
   */
  async enqueue(
    readings: readonly StoredReading[],
    positions: readonly StoredPosition[],
    group = 0,
  ): Promise<void> {
    if (this.stopped) throw new ShuttingDownError('telemetry store write-behind');
    if (readings.length === 0 && positions.length === 0) return;
    if (this.queuedReadings >= this.options.maxQueuedReadings) {
      const stopTimer = this.metrics.writeBehindWaitSeconds.startTimer();
      try {
        await this.room();
      } finally {
        stopTimer();
      }
      if (this.stopped) throw new ShuttingDownError('telemetry store write-behind');
    }
    this.queue.push({ readings, positions, seq: ++this.enqueued, group });
    this.queuedReadings += readings.length;
    this.metrics.writeBehindReadings.set(this.queuedReadings);
    this.pump();
  }

  /** Resolves once everything enqueued so far is written; rejects on the first failed write meanwhile. */
  flush(): Promise<void> {
    if (this.written >= this.enqueued) return Promise.resolve();
    // Failed and waiting for the retry (or stopped for good): fail the checkpoint now rather than hang it.
    if (this.lastFailure !== undefined && (this.retryTimer !== undefined || this.stopped))
      return Promise.reject(this.lastFailure);
    const waiting = new Promise<void>((resolve, reject) =>
      this.flushes.push({ upTo: this.enqueued, resolve, reject }),
    );
    this.pump();
    return waiting;
  }

  private room(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.roomWaiters.delete(wake);
        reject(
          new EngineUnavailableError(
            this.store.kind,
            `${this.queuedReadings} readings still wait to be written after ${this.options.roomWaitMs} ms` +
              (this.lastFailure ? ` (last write failed: ${this.lastFailure.message})` : ''),
          ),
        );
      }, this.options.roomWaitMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.roomWaiters.add(wake);
    });
  }

  /** Starts the next write unless one is in flight or waiting for its retry. */
  private pump(): void {
    if (this.writing || this.retryTimer !== undefined || this.stopped || this.queue.length === 0) return;
    // No gathering below a minimum size: the next write starts as soon as the last one completed, whatever
    // is queued. Smaller sequential requests cost InfluxDB 1.6 less CPU per point than gathered ones
    // (bench:influx-write), and under load the batches that queued meanwhile join anyway.
    this.writing = true;
    const { maxWriteReadings } = this.options;
    // The oldest batch and the later ones of its group, in order, up to maxWriteReadings.
    const group = this.queue[0].group;
    const taken: QueuedWrite[] = [this.queue[0]];
    let count = this.queue[0].readings.length;
    const isolating = this.queue[0].seq <= this.isolateUpTo;
    for (let i = 1; i < this.queue.length && !isolating; i++) {
      const w = this.queue[i];
      if (w.group !== group) continue;
      if (count + w.readings.length > maxWriteReadings) break;
      taken.push(w);
      count += w.readings.length;
    }
    const n = taken.length;
    // One batch goes as it is; several are joined (one copy of the references, once per write).
    const readings = n === 1 ? taken[0].readings : taken.flatMap((w) => w.readings);
    const positions = n === 1 ? taken[0].positions : taken.flatMap((w) => w.positions);
    const stopTimer = this.metrics.storeWriteSeconds.startTimer();
    // Through a promise, so that even a port that throws synchronously settles the write.
    Promise.resolve()
      .then(() => this.store.write(readings, positions))
      .then(
        ({ written }) => {
          stopTimer();
          this.metrics.readingsIngested.inc(written);
          this.settleWritten(taken, count);
        },
        (err: unknown) => this.failed(err instanceof Error ? err : new Error(String(err)), taken, count),
      )
      .catch((err: unknown) => this.log.error(`store write-behind: ${String(err)}`))
      .finally(() => {
        this.writing = false;
        this.pump();
      });
  }

  /** `taken` is done with (written, or set aside as refused): out of the queue, flushes and room updated. */
  private settleWritten(taken: readonly QueuedWrite[], count: number): void {
    const done = new Set(taken);
    let kept = 0;
    for (const w of this.queue) if (!done.has(w)) this.queue[kept++] = w;
    this.queue.length = kept;
    this.queuedReadings -= count;
    this.metrics.writeBehindReadings.set(this.queuedReadings);
    // Everything before the oldest batch still queued is written (the queue is in enqueue order).
    this.written = kept > 0 ? this.queue[0].seq - 1 : this.enqueued;
    this.failures = 0;
    this.lastFailure = undefined;
    this.settleFlushes();
    if (this.queuedReadings < this.options.maxQueuedReadings) this.wakeRoomWaiters();
  }

  private failed(err: Error, taken: readonly QueuedWrite[], readings: number): void {
    if (err instanceof ColdchainError && !err.retriable) {
      // Content the store refuses (InfluxDB 400 or 413, a value the line protocol cannot carry): no retry
      // can store it. (Anything else, a programming error included, is retried and logged: stuck and
      // loud rather than dropping readings.) Find the batch at fault by writing one batch at a time, then set that one aside, so
      // that it does not hold back every other batch and every commit behind it.
      if (taken.length > 1) {
        this.isolateUpTo = taken[taken.length - 1].seq;
        this.log.warn(
          `store refused a write of ${taken.length} batches; writing them one by one: ${err.message}`,
        );
        return;
      }
      this.metrics.storeRefusedReadings.inc(readings);
      this.log.error(
        `store refused a batch of ${readings} readings for good; set aside (not stored): ${err.message}`,
      );
      this.settleWritten(taken, readings);
      return;
    }
    this.failures++;
    this.lastFailure = err;
    for (const f of this.flushes.splice(0)) f.reject(err);
    if (err instanceof ShuttingDownError) {
      this.stopped = true;
      // Batches waiting for room are refused now rather than after roomWaitMs.
      this.wakeRoomWaiters();
      return;
    }
    const base = Math.min(this.options.retryInitialMs * 2 ** (this.failures - 1), this.options.retryMaxMs);
    const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
    // One line per failed attempt (backoff-spaced), never per reading.
    this.log.warn(
      `store write of ${readings} readings failed (attempt ${this.failures}), retrying in ${delay} ms: ${err.message}`,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
    this.retryTimer.unref();
  }

  private settleFlushes(): void {
    let kept = 0;
    for (const f of this.flushes) {
      if (f.upTo <= this.written) f.resolve();
      else this.flushes[kept++] = f;
    }
    this.flushes.length = kept;
  }

  private wakeRoomWaiters(): void {
    for (const wake of [...this.roomWaiters]) {
      this.roomWaiters.delete(wake);
      wake();
    }
  }
}
