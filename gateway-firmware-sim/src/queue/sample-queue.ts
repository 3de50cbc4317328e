import type { TelemetryPayloadV1 } from '@coldchain/contract';
import type { EpochMs } from '@coldchain/domain';

/** A GPS fix as it goes on the wire. */
export type WireGps = NonNullable<TelemetryPayloadV1['gps']>;
/** One reading as it goes on the wire. */
export type WireReading = TelemetryPayloadV1['readings'][number];

/**
 * One sampling round of a hub: what it heard from its tags at one instant
 * (hub clock) and where it was. The unit of store-and-forward.
 */
export interface Sample {
  /** Hub clock when the round was taken, epoch ms. */
  at: EpochMs;
  gps?: WireGps;
  readings: WireReading[];
}

/** A queued sample with its queue id: ids increase by one per append and are never reused, across restarts too. */
export interface QueuedSample {
  id: number;
  sample: Sample;
}

/**
 * What a full queue does with a new sample.
 * - `drop-oldest`: the oldest queued sample is discarded to make room (keeps the most recent history; a long outage loses its start).
 * - `keep-first`: the new sample is refused (keeps the start of the outage; loses its end).
 * Either way the loss is counted (`dropped` readings) and reported, never silent.
 */
export type QueueFullPolicy = 'drop-oldest' | 'keep-first';

export interface AppendOutcome {
  /** Id given to the new sample, or undefined when it was refused (`keep-first` and full). */
  id?: number;
  /** Readings discarded by this append (the refused sample's, or the evicted oldest ones'). */
  droppedReadings: number;
}

/**
 * A hub's bounded FIFO of samples not yet acknowledged by the broker.
 *
 * Contract: samples come out in append order (measured order); `read` does
 * not remove; only `ackThrough(id)`, called once the PUBACK of the message
 * carrying sample `id` (and every one before it) arrived, removes them.
 * Bounded by readings, not samples.
 */
export interface SampleQueue {
  /** Samples queued (in flight included). */
  readonly length: number;
  /** Readings queued (in flight included). */
  readonly readings: number;
  /** Readings discarded so far because the queue was full. */
  readonly droppedReadings: number;
  /** Id of the last acknowledged sample (0 when none yet). */
  readonly ackedThroughId: number;
  /** Id of the newest sample ever appended (0 when none yet). */
  readonly lastId: number;
  /**
   * Small hub state persisted with the queue, when the queue persists at all
   * (the disk queue writes it with each removal): `nextMessageSeq` lets a
   * restarted hub continue its message numbering.
   */
  meta?: { nextMessageSeq?: number } & Record<string, unknown>;
  append(sample: Sample): AppendOutcome;
  /** Up to `maxReadings` readings' worth of samples with id > afterId, oldest first; at least one sample if any. */
  read(afterId: number, maxReadings: number): QueuedSample[];
  /** Removes every sample with id ≤ `id`. Idempotent; ids already gone are ignored. */
  ackThrough(id: number): void;
  /** Releases files; the queue is unusable afterwards. */
  close(): void;
}

export interface QueueLimits {
  maxReadings: number;
  whenFull: QueueFullPolicy;
}
