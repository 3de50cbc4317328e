import type { TopicSpec } from '@coldchain/contract';

/**
 * The bus: where Kafka stands in production and an in-process queue in the
 * embedded default. Every app talks to this port only.
 *
 * Contract (both adapters, proven by test/contracts/bus.contract.ts):
 * - `publish` resolves only once the records are safe: Kafka acknowledged them
 *   from all in-sync replicas; the in-process bus saw every consumer group
 *   process them. Until then the caller must not acknowledge upstream (MQTT PUBACK).
 * - Records with the same key are delivered to a group in publish order.
 * - A handler receives a batch; the batch is committed when the handler
 *   resolves. When it rejects, the same records are delivered again, in the same
 *   order, after a backoff (at-least-once; handlers are idempotent).
 * - `close` stops taking new records and drains what was accepted; given a
 *   budget, it stops consuming first and gives up draining when the budget is
 *   spent, leaving what it did not finish uncommitted (Kafka redelivers it).
 */
export interface BusPort {
  readonly kind: 'inprocess' | 'kafka';
  start(): Promise<void>;
  publish<T>(topic: TopicSpec<T>, records: readonly BusRecord<T>[]): Promise<void>;
  subscribe<T>(
    topic: TopicSpec<T>,
    options: SubscribeOptions,
    handler: BatchHandler<T>,
  ): Promise<Subscription>;
  /**
   * Reads the given partitions of a topic from their beginning up to their end
   * as of the call (records published after it may or may not be included),
   * handing them over in offset order; resolves once every partition was read
   * to that end. For restoring state from a compacted changelog topic before
   * consuming the partitions it mirrors. A `null` value is a tombstone (the
   * key was deleted). Kafka: a throw-away reader, nothing committed;
   * in-process: the latest value per key kept in memory for topics declared
   * `compacted` (nothing for others), all in partition 0.
   */
  readToEnd<T>(
    topic: TopicSpec<T>,
    partitions: readonly number[],
    onBatch: (batch: ConsumedBatch<T | null>) => void,
  ): Promise<void>;
  /** True while the bus can take records. */
  isHealthy(): boolean;
  /**
   * What /health reports: `down` when the bus cannot take records or a
   * consumer stopped for good, `degraded` while a crashed consumer is being
   * restarted; `reason` says why when not `up`.
   */
  health(): BusHealth;
  /**
   * Stops the bus. `budgetMs`: how long the drain may take; past it, what is
   * in hand is left uncommitted (redelivered to the next owner) and the bus
   * disconnects. Resolves with whether the drain completed.
   */
  close(options?: { budgetMs?: number }): Promise<BusCloseOutcome>;
}

/** How `close` ended: `drained` false when the budget ran out before the last checkpoint or disconnect. */
export interface BusCloseOutcome {
  drained: boolean;
  /** What was cut short, for the log. */
  detail?: string;
}

/** Settles with `promise`'s outcome, or with `false` once `ms` passed (the promise runs on, unobserved). */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))),
  );
  try {
    return await Promise.race([promise.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export interface BusHealth {
  state: 'up' | 'degraded' | 'down';
  reason?: string;
}

export interface BusRecord<T> {
  /** Partitioning key: records with one key stay in order. */
  key: string;
  /** `null` only on compacted topics: a tombstone deleting the key. */
  value: T;
  /**
   * Partition to write to, overriding the key's (Kafka). For a changelog kept
   * co-partitioned with the input it mirrors whatever the partitioner; the
   * in-process bus has a single partition and ignores it.
   */
  partition?: number;
}

export interface ConsumedBatch<T> {
  topic: string;
  partition: number;
  values: T[];
  /** Keys of `values`, index for index. */
  keys: string[];
}

export type BatchHandler<T> = (batch: ConsumedBatch<T>) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group: instances in one group split the partitions; each group sees every record. */
  group: string;
  /** Largest batch handed to the handler, records. */
  maxBatchRecords?: number;
  /**
   * How long a fetch may gather records (Kafka's `fetch.min.bytes` and
   * `fetch.max.wait.ms`): the broker answers once `minBytes` are there or
   * `maxWaitMs` passed. Larger batches cost less per record (every batch is
   * a fetch, a handler call and its publishes) at the price of up to
   * `maxWaitMs` more latency. Default: answer as soon as anything is there
   * (waiting at most the adapter's default). In-process: ignored (batches
   * are whatever queued while the previous one was handled).
   */
  fetch?: { minBytes: number; maxWaitMs: number };
  /**
   * Partitions whose batches may be in the handler at the same time (Kafka;
   * default 1; in-process there is one partition). Order within a partition
   * is kept; the handler must keep per-partition state apart. Lets one
   * partition's slow write overlap another's work.
   */
  partitionsConcurrently?: number;
  /**
   * Called on every change of the partitions this subscriber consumes (Kafka
   * rebalance; once at subscribe in-process), so stateful handlers load or drop
   * state. Contract: batches of an `added` partition are handed over only after
   * the call resolved (a rejection is logged and does not block: the handler
   * must then cope, for example by loading lazily). Calls never overlap.
   */
  onAssignment?: (assignment: PartitionAssignment) => void | Promise<void>;
  /**
   * Every subscriber (every process) receives every record, from the beginning
   * of the topic; nothing is committed. For state every instance needs in full,
   * such as hub statuses. Kafka: a consumer group of its own per subscription.
   */
  broadcast?: boolean;
  /**
   * Where a subscriber without a committed position starts: `earliest`
   * (default: nothing published before is missed) or `latest` (only records
   * published from now on: a live view that needs no history, such as the
   * dashboard stream; with `broadcast`, every restart starts at the end).
   * In-process groups always start with the records published after they
   * subscribed.
   */
  startAt?: 'earliest' | 'latest';
  /**
   * Checkpointed commits (Kafka Streams' `commit.interval.ms`): a handled
   * batch's position is committed not at once but at its partition's next
   * checkpoint, and only after `beforeCommit(partitions)` resolved for it.
   * `beforeCommit` must make durable whatever state the handler built from
   * every batch of those partitions it has handled so far (a changelog
   * flush), so that the committed position never runs ahead of that state.
   * The partitions take turns (Kafka: a turn every `intervalMs / n`, each
   * partition about every `intervalMs`, and while checkpoints succeed never
   * more than twice that plus one turn apart, so a checkpoint's burst is one partition's state, not all
   * of them at once; see CheckpointCommitter); at close, every partition is
   * checkpointed in one call. A crash replays the batches handled since their
   * partition's last checkpoint (at-least-once, as always). For handlers whose
   * per-batch durable side effect is costly and coalesces over time, such as
   * per-tag state snapshots.
   * In-process: `beforeCommit([partition])` runs after every batch (there is
   * no log to replay from, so nothing may be left for later).
   */
  commit?: { intervalMs: number; beforeCommit(partitions: readonly number[]): Promise<void> };
}

export interface PartitionAssignment {
  /** Every partition now consumed, ascending. */
  partitions: number[];
  /**
   * Partitions to (re)load state for: newly assigned ones, or all of them when
   * this member may have missed a generation (Kafka: it rejoined under a new
   * member id), since another member may have consumed them meanwhile.
   */
  added: number[];
  /** Partitions no longer consumed, or to be reloaded (also in `added`): drop their state. */
  revoked: number[];
}

export interface Subscription {
  close(): Promise<void>;
}
