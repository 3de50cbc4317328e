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
 * - `close` stops taking new records and drains what was accepted.
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
  /** True while the bus can take records (used by /health). */
  isHealthy(): boolean;
  close(): Promise<void>;
}

/** A topic and how its values travel as bytes (Kafka) or by reference (in-process). */
export interface TopicSpec<T> {
  readonly name: string;
  encode(value: T): Buffer;
  decode(bytes: Buffer): T;
}

export interface BusRecord<T> {
  /** Partitioning key: records with one key stay in order. */
  key: string;
  value: T;
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
  /** Called when a partition is assigned (Kafka rebalance) or revoked; lets stateful handlers load or drop state. */
  onAssignment?: (assigned: number[]) => void | Promise<void>;
}

export interface Subscription {
  close(): Promise<void>;
}
