import {
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type LogEntry,
  type Message,
  type Producer,
} from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { EngineUnavailableError, ShuttingDownError, isRetriable } from '@coldchain/errors';
import type {
  BatchHandler,
  BundleCodec,
  BusPort,
  BusRecord,
  ConsumedBatch,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './bus.port.js';
import { CheckpointCommitter } from './checkpoint-committer.js';
import { kafkaClientSecurity, type KafkaSecurity } from './kafka-security.js';
import { leadingBatch } from './leading-batch.js';
import { AssignmentGate, AssignmentTracker } from './partition-assignment.js';

/** Tunables of the Kafka adapter, units in the names. */
export const KAFKA_BUS_DEFAULTS = {
  /** Concurrent publishes within this window travel in one produce request. */
  lingerMs: 2,
  /** Records per produce request at most (a bundle counts the records it holds). */
  maxRecordsPerRequest: 20_000,
  /**
   * Bytes of keys and values per produce request at most; a larger publish
   * is cut. Kafka refuses a partition's record batch above the broker's
   * `message.max.bytes` (1 MiB by default): within this bound every request
   * is accepted by a broker on defaults, with a quarter left for the record
   * batch's own framing (≈ 10–20 bytes per record). A checkpoint's state
   * snapshots (≈ 1.6 KB per tag, thousands of tags) are the publishes that
   * need it.
   */
  maxBytesPerRequest: 768 * 1024, // 768 KiB
  /**
   * Records per bundle at most (topics with a `bundle` codec): ≈ 300 KiB of
   * telemetry JSON, well under the broker's `message.max.bytes` (1 MiB by
   * default, 16 MiB as infra/ configures it).
   */
  maxRecordsPerBundle: 1_000,
  /** Partitions of a key remembered for bundling (one murmur2 hash per key, not per record); cleared when full. */
  partitionCacheKeys: 500_000,
  /**
   * Records accepted but not yet acknowledged by Kafka, at most. Past it,
   * `publish` refuses at once (retriable): the edge stops acknowledging
   * instead of buffering without bound while Kafka is away.
   */
  maxPendingRecords: 100_000,
  /**
   * A publish not acknowledged within this time is reported as failed to its
   * caller (the send itself goes on; if it lands later, the hub's resend is a
   * harmless duplicate, since stores are idempotent).
   */
  publishTimeoutMs: 10_000, // 10 s
  /** Partitions of topics the adapter creates. */
  partitions: 6,
  /** How often a checkpointed subscription checks whether a partition's checkpoint turn is due, ms. */
  checkpointCheckMs: 250,
  /** Records handed to a handler at once, at most. */
  maxBatchRecords: 5_000,
  /** Attempts to create or subscribe to a topic the cluster does not know yet. */
  metadataAttempts: 10,
  /** Backoff between redeliveries of a failed batch. */
  retryInitialMs: 200,
  retryMaxMs: 10_000,
  sessionTimeoutMs: 15_000, // 15 s: a killed instance's partitions move within this
  heartbeatIntervalMs: 3_000,
  /** Longest a fetch waits for data; bounds the end-to-end latency at low rates. */
  maxWaitTimeMs: 50,
  maxBytesPerPartition: 4 * 1024 * 1024, // 4 MiB
  /** `readToEnd` gives up (retriable error) when the partitions were not read within this time. */
  readToEndTimeoutMs: 60_000,
};

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  partitions?: number;
  /** Prefix of every topic and group name (namespacing on a shared cluster; unique per test run). */
  namespace?: string;
  /** TLS and SASL to the brokers (KAFKA_SSL*, KAFKA_SASL_*); unset = plaintext, no authentication. */
  security?: KafkaSecurity;
  log?: { log(message: string): void; warn(message: string): void; error(message: string): void };
}

interface PendingPublish {
  topic: string;
  /** Records taken, counted against `maxPendingRecords` and `maxRecordsPerRequest`. */
  count: number;
  /** Bytes of keys and values, counted against `maxBytesPerRequest`. */
  bytes: number;
  /** Encoded records (topics without a bundle codec). */
  messages: Message[];
  /** The publish call this piece belongs to; once it failed, its unsent pieces are dropped. */
  publication: { failed: boolean };
  /** Records to bundle at flush time, grouped by partition with those of other publishes. */
  bundle?: { codec: BundleCodec<unknown>; keys: string[]; values: string[]; bytes: number[] };
  /** Settles the caller's promise once: on Kafka's acknowledgement, a failure, or the publish timeout. */
  settle: (err?: Error) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A broker that just (re)started, or a topic created a moment ago, may be
 * missing from some metadata for a short while (UNKNOWN_TOPIC_OR_PARTITION and
 * other errors kafkajs marks retriable): retry briefly, then give up.
 */
async function retryMetadataRace<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (!(err as { retriable?: boolean }).retriable || attempt >= KAFKA_BUS_DEFAULTS.metadataAttempts)
        throw err;
      await sleep(KAFKA_BUS_DEFAULTS.retryInitialMs * attempt);
    }
  }
}

/**
 * The production bus: Apache Kafka through kafkajs.
 *
 * Producer: idempotent (no duplicates from its own retries), `acks: -1` (all
 * in-sync replicas), keyed records with Kafka's default (murmur2) partitioner so
 * each key stays in one partition and in order. Concurrent publishes coalesce
 * into one produce request (`lingerMs`), one request in flight at a time per
 * lane, which keeps per-partition order across calls; compacted (state)
 * topics have a lane of their own, so bulk state writes never delay records.
 *
 * Consumer: one kafkajs consumer per subscription, `eachBatch`: a chunk's
 * offsets are resolved, and so committed, only once the handler resolved. A failed chunk is retried in place with backoff (heartbeating, so
 * the group does not evict a consumer that waits for InfluxDB); if the
 * partition moved meanwhile (rebalance), the new owner resumes from the last
 * commit. A record that cannot be decoded is skipped with an error log: no
 * retry can fix it.
 */
/** A producer and the publishes queued for it (see `KafkaBus.recordLane`). */
interface ProduceLane {
  readonly producer: Producer;
  pending: PendingPublish[];
  flushing: boolean;
  flushTimer?: NodeJS.Timeout;
}

export class KafkaBus implements BusPort {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  /**
   * Two produce lanes, each an idempotent producer with one request in
   * flight: records (telemetry, alerts, statuses) and state (compacted
   * changelogs). A checkpoint's changelog write (megabytes, in many requests)
   * never holds back an alert queued behind it; order only matters within a
   * topic, and a topic always uses one lane.
   */
  private readonly recordLane: ProduceLane;
  private readonly stateLane: ProduceLane;
  private readonly admin: Admin;
  /** Open consumers, each with what must happen before it disconnects (its last checkpoint). */
  private readonly consumers = new Map<Consumer, () => Promise<void>>();
  private readonly knownTopics = new Map<string, Promise<void>>();
  /** Partition count per (namespaced) topic, known once `ensureTopic` resolved. */
  private readonly partitionCounts = new Map<string, number>();
  /** Key → partition per topic, for bundling (kafkajs's murmur2 partitioner, same as keyed records get). */
  private readonly partitionOfKey = new Map<string, Map<string, number>>();
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly log: NonNullable<KafkaBusOptions['log']>;
  private pendingRecords = 0;
  private closing = false;
  /** Set by `close`: the checkpointed subscriptions' last checkpoints, then the shutdown. */
  private finalCheckpoints?: Promise<void>;
  private healthy = false;
  private readonly ns: string;

  constructor(private readonly options: KafkaBusOptions) {
    this.ns = options.namespace ?? '';
    this.log = options.log ?? { log: console.log, warn: console.warn, error: console.error };
    const log = this.log;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      ...kafkaClientSecurity(options.security),
      logLevel: KafkaLogLevel.WARN,
      logCreator:
        () =>
        ({ namespace, level, log: entry }: LogEntry) => {
          const { message, ...rest } = entry;
          const line = `kafka ${namespace}: ${message} ${JSON.stringify(rest).slice(0, 300)}`;
          if (level <= KafkaLogLevel.ERROR) log.error(line);
          else log.warn(line);
        },
      retry: { initialRetryTime: 100, retries: 8 },
    });
    const lane = (): ProduceLane => ({
      producer: this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      pending: [],
      flushing: false,
    });
    this.recordLane = lane();
    this.stateLane = lane();
    this.admin = this.kafka.admin();
  }

  async start(): Promise<void> {
    try {
      await this.admin.connect();
      await this.recordLane.producer.connect();
      await this.stateLane.producer.connect();
      this.healthy = true;
    } catch (err) {
      throw new EngineUnavailableError('kafka', `cannot connect to ${this.options.brokers.join(',')}`, err);
    }
  }

  isHealthy(): boolean {
    return this.healthy && !this.closing;
  }

  /** Creates the topic (logical name, namespaced here) when missing; the broker's auto-creation is off on purpose. */
  ensureTopic(
    name: string,
    partitions = this.options.partitions ?? KAFKA_BUS_DEFAULTS.partitions,
    compacted = false,
  ): Promise<void> {
    name = this.ns + name;
    let known = this.knownTopics.get(name);
    if (!known) {
      known = this.createTopic(name, partitions, compacted);
      known.catch(() => this.knownTopics.delete(name));
      this.knownTopics.set(name, known);
    }
    return known;
  }

  /**
   * A compacted topic (changelog) keeps the latest record per key, gzip-compressed on the broker.
   * Tombstones are kept too (`delete.retention.ms` ≈ 100 years): `readToEnd` knows it reached the end
   * when it read the record just before the high watermark, which therefore must never vanish.
   */
  private createTopic(name: string, partitions: number, compacted: boolean): Promise<void> {
    const configEntries = compacted
      ? [
          { name: 'cleanup.policy', value: 'compact' },
          // Stored as sent (uncompressed): with the broker recompressing every changelog burst to gzip
          // (the only codec kafkajs reads without a plugin), checkpoints cost the broker 8 % of a core at
          // 20,000 readings/s and stalled the telemetry and alerts produced meanwhile by up to a second
          // (npm run bench:notify, 2026-12-03). Disk is the cheaper resource here.
          { name: 'compression.type', value: 'producer' },
          { name: 'delete.retention.ms', value: String(100 * 365 * 24 * 3600 * 1000) },
        ]
      : undefined;
    return retryMetadataRace(async () => {
      await this.admin.createTopics({
        topics: [{ topic: name, numPartitions: partitions, replicationFactor: -1, configEntries }],
        waitForLeaders: true,
      });
      // The topic may have existed with another partition count: the cluster's count is the one keys hash to.
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [name] });
      this.partitionCounts.set(name, topics[0].partitions.length);
    });
  }

  /** The partition Kafka's default partitioner gives `key` (murmur2, as for keyed records). */
  private partitionOf(topic: string, key: string): number {
    let cache = this.partitionOfKey.get(topic);
    if (cache === undefined) this.partitionOfKey.set(topic, (cache = new Map<string, number>()));
    let p = cache.get(key);
    if (p === undefined) {
      const count = this.partitionCounts.get(topic)!;
      p = this.partitioner({
        topic,
        partitionMetadata: Array.from({ length: count }, (_, i) => ({
          partitionId: i,
          leader: 0,
          replicas: [0],
          isr: [0],
          partitionErrorCode: 0,
        })),
        message: { key, value: null },
      });
      if (cache.size >= KAFKA_BUS_DEFAULTS.partitionCacheKeys) cache.clear();
      cache.set(key, p);
    }
    return p;
  }

  async publish<T>(topic: TopicSpec<T>, records: readonly BusRecord<T>[]): Promise<void> {
    if (this.closing) throw new ShuttingDownError('kafka bus');
    if (records.length === 0) return;
    if (this.pendingRecords + records.length > KAFKA_BUS_DEFAULTS.maxPendingRecords) {
      throw new EngineUnavailableError(
        'kafka',
        `${this.pendingRecords} records awaiting acknowledgement: refusing more`,
      );
    }
    await this.ensureTopicOf(topic);
    const name = this.ns + topic.name;
    const { maxBytesPerRequest } = KAFKA_BUS_DEFAULTS;
    // Cut into pieces of at most maxBytesPerRequest (at least one record each), one pending entry per piece.
    const pieces: Omit<PendingPublish, 'settle' | 'publication'>[] = [];
    const codec = topic.bundle;
    if (codec !== undefined && !topic.compacted) {
      // Joined into bundles at flush time, with the other publishes' records of the same partition.
      let piece: Omit<PendingPublish, 'settle' | 'publication'> | undefined;
      let bundle: NonNullable<PendingPublish['bundle']> | undefined;
      for (const r of records) {
        const value = codec.encodeValue(r.value);
        const bytes = Buffer.byteLength(value) + r.key.length;
        if (
          piece === undefined ||
          bundle === undefined ||
          (piece.count > 0 && piece.bytes + bytes > maxBytesPerRequest)
        ) {
          bundle = { codec, keys: [], values: [], bytes: [] };
          pieces.push((piece = { topic: name, count: 0, bytes: 0, messages: [], bundle }));
        }
        bundle.keys.push(r.key);
        bundle.values.push(value);
        bundle.bytes.push(bytes);
        piece.count++;
        piece.bytes += bytes;
      }
    } else {
      let piece: Omit<PendingPublish, 'settle' | 'publication'> | undefined;
      for (const r of records) {
        // A null value on a compacted topic is a tombstone: no bytes at all.
        const value = r.value === null && topic.compacted ? null : topic.encode(r.value);
        const bytes = (value?.length ?? 0) + r.key.length;
        if (piece === undefined || (piece.count > 0 && piece.bytes + bytes > maxBytesPerRequest))
          pieces.push((piece = { topic: name, count: 0, bytes: 0, messages: [] }));
        piece.messages.push(
          r.partition === undefined ? { key: r.key, value } : { key: r.key, value, partition: r.partition },
        );
        piece.count++;
        piece.bytes += bytes;
      }
    }
    // Failed (a piece's request failed, or the timeout passed): its pieces not sent yet are dropped, so
    // that the caller's retry is not preceded in the log by a later part of the same call.
    const publication = { failed: false };
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          publication.failed = true;
          reject(err);
        } else resolve();
      };
      const timer = setTimeout(
        () =>
          settle(
            new EngineUnavailableError(
              'kafka',
              `not acknowledged within ${KAFKA_BUS_DEFAULTS.publishTimeoutMs} ms`,
            ),
          ),
        KAFKA_BUS_DEFAULTS.publishTimeoutMs,
      );
      timer.unref();
      // The call succeeds once every piece did; the first failure fails it.
      let unsettled = pieces.length;
      const settlePiece = (err?: Error): void => {
        if (err) settle(err);
        else if (--unsettled === 0) settle();
      };
      const lane = topic.compacted ? this.stateLane : this.recordLane;
      for (const piece of pieces) lane.pending.push({ ...piece, publication, settle: settlePiece });
      this.pendingRecords += records.length;
      this.scheduleFlush(lane);
    });
  }

  private scheduleFlush(lane: ProduceLane): void {
    if (lane.flushing || lane.flushTimer) return;
    lane.flushTimer = setTimeout(() => {
      lane.flushTimer = undefined;
      void this.flush(lane);
    }, KAFKA_BUS_DEFAULTS.lingerMs);
  }

  /** Sends a lane's pending publishes, one produce request at a time, until none is left. */
  private async flush(lane: ProduceLane): Promise<void> {
    lane.flushing = true;
    while (lane.pending.length > 0) {
      if (lane.pending.some((p) => p.publication.failed)) {
        for (const p of lane.pending) if (p.publication.failed) this.pendingRecords -= p.count;
        lane.pending = lane.pending.filter((p) => !p.publication.failed);
        if (lane.pending.length === 0) break;
      }
      const { items: n, records: count } = leadingBatch(
        lane.pending,
        (p) => p.count,
        KAFKA_BUS_DEFAULTS.maxRecordsPerRequest,
        (p) => p.bytes,
        KAFKA_BUS_DEFAULTS.maxBytesPerRequest,
      );
      const taken = lane.pending.splice(0, n);
      const byTopic = new Map<string, Message[][]>();
      try {
        const bundled = new Set<string>();
        for (const p of taken) {
          let messages = p.messages;
          if (p.bundle !== undefined) {
            // All of the topic's bundled records at its first publish, so they keep their place.
            if (bundled.has(p.topic)) continue;
            bundled.add(p.topic);
            messages = this.bundles(p.topic, taken);
          }
          const lists = byTopic.get(p.topic);
          if (lists) lists.push(messages);
          else byTopic.set(p.topic, [messages]);
        }
        await lane.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, lists]) => ({
            topic,
            messages: lists.length === 1 ? lists[0] : lists.flat(),
          })),
        });
        this.healthy = true;
        for (const p of taken) p.settle();
      } catch (err) {
        this.healthy = false;
        const failure = new EngineUnavailableError('kafka', (err as Error).message, err);
        for (const p of taken) p.settle(failure);
      } finally {
        this.pendingRecords -= count;
      }
    }
    lane.flushing = false;
  }

  /**
   * The bundles of `topic` for one produce request: every bundled record of
   * `taken` for that topic, grouped by partition in publish order, at most
   * `maxRecordsPerBundle` records and `maxBytesPerRequest` bytes per bundle
   * (a request holds at most that many bytes anyway). A bundle's Kafka key is
   * its first record's.
   */
  private bundles(topic: string, taken: readonly PendingPublish[]): Message[] {
    const { maxRecordsPerBundle, maxBytesPerRequest } = KAFKA_BUS_DEFAULTS;
    type Open = { keys: string[]; values: string[]; bytes: number };
    const open = new Map<number, Open>();
    const messages: Message[] = [];
    let codec: BundleCodec<unknown> | undefined;
    const seal = (partition: number, b: Open): void => {
      messages.push({ key: b.keys[0], value: codec!.join(b.keys, b.values), partition });
    };
    for (const p of taken) {
      if (p.topic !== topic || p.bundle === undefined) continue;
      const { keys, values, bytes } = p.bundle;
      codec = p.bundle.codec;
      for (let i = 0; i < keys.length; i++) {
        const partition = this.partitionOf(topic, keys[i]);
        let b = open.get(partition);
        if (
          b !== undefined &&
          (b.keys.length >= maxRecordsPerBundle || b.bytes + bytes[i] > maxBytesPerRequest)
        ) {
          seal(partition, b);
          b = undefined;
        }
        if (b === undefined) open.set(partition, (b = { keys: [], values: [], bytes: 0 }));
        b.keys.push(keys[i]);
        b.values.push(values[i]);
        b.bytes += bytes[i];
      }
    }
    for (const [partition, b] of open) seal(partition, b);
    return messages;
  }

  private ensureTopicOf(topic: TopicSpec<unknown>): Promise<void> {
    return this.ensureTopic(topic.name, undefined, topic.compacted === true);
  }

  async subscribe<T>(
    topic: TopicSpec<T>,
    options: SubscribeOptions,
    handler: BatchHandler<T>,
  ): Promise<Subscription> {
    await this.ensureTopicOf(topic);
    // A broadcast subscriber is alone in a group of its own (never committed): it sees every partition.
    const groupId = this.ns + options.group + (options.broadcast ? `.${randomUUID()}` : '');
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: KAFKA_BUS_DEFAULTS.sessionTimeoutMs,
      heartbeatInterval: KAFKA_BUS_DEFAULTS.heartbeatIntervalMs,
      minBytes: options.fetch?.minBytes ?? 1,
      maxWaitTimeInMs: options.fetch?.maxWaitMs ?? KAFKA_BUS_DEFAULTS.maxWaitTimeMs,
      maxBytesPerPartition: KAFKA_BUS_DEFAULTS.maxBytesPerPartition,
      allowAutoTopicCreation: false,
    });
    // Batches wait for the assignment callbacks enqueued before them (contract of onAssignment).
    const gate = new AssignmentGate((err) =>
      this.log.error(`bus: onAssignment of ${options.group} failed: ${String(err)}`),
    );
    // Checkpointed commits: kafkajs commits nothing by itself (not even at a rebalance or a stop, which
    // would commit positions the handler's state does not cover yet); the committer does.
    const name = this.ns + topic.name;
    const committer =
      options.commit && !options.broadcast
        ? new CheckpointCommitter(options.commit.intervalMs, options.commit.beforeCommit, (offsets) =>
            consumer.commitOffsets(offsets.map((o) => ({ topic: name, ...o }))),
          )
        : undefined;
    if (options.onAssignment || committer) {
      const onAssignment = options.onAssignment;
      const tracker = new AssignmentTracker();
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        const change = tracker.next(e.payload.memberAssignment[name] ?? [], e.payload.memberId);
        // Revoked includes partitions reloaded after a rejoin under a new member id: kafkajs fetches
        // them again from the group's commit, so offsets handled before must not be committed now.
        committer?.forget(change.revoked);
        if (onAssignment) gate.enqueue(() => onAssignment(change));
      });
    }
    let checkpointTimer: NodeJS.Timeout | undefined;
    const checkpoint = (all: boolean): Promise<void> =>
      (all ? committer!.checkpointAll() : committer!.checkpoint()).catch((err: unknown) =>
        this.log.warn(`bus: ${options.group} checkpoint failed, next one retries: ${String(err)}`),
      );
    if (committer) {
      // Checkpoints run from this timer only, never inside a batch: a batch keeps heartbeating while
      // the state is written. The partitions take turns (CheckpointCommitter), interval / n apart; a
      // check every 250 ms at most (an eighth of the interval when shorter; a due check is a scan of
      // the partitions held), so a turn is late by ≤ 250 ms; turns keep to their slots, so lateness
      // does not add up over a round.
      checkpointTimer = setInterval(
        () => {
          if (committer.due) void checkpoint(false);
        },
        Math.max(10, Math.min(options.commit!.intervalMs / 8, KAFKA_BUS_DEFAULTS.checkpointCheckMs)),
      );
      checkpointTimer.unref();
    }
    await consumer.connect();
    const fromBeginning = options.startAt !== 'latest';
    await retryMetadataRace(() => consumer.subscribe({ topic: this.ns + topic.name, fromBeginning }));
    const maxBatch = options.maxBatchRecords ?? KAFKA_BUS_DEFAULTS.maxBatchRecords;
    await consumer.run({
      // A broadcast subscriber keeps no position: it reads from the beginning each time.
      // Auto-commit commits only *resolved* offsets, and an offset is resolved only after the handler
      // resolved for it (eachBatchAutoResolve off); threshold 1 commits after every chunk, and kafkajs
      // commits what is resolved once more when the consumer stops.
      autoCommit: !options.broadcast && committer === undefined,
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachBatch: (payload) =>
        this.consumeBatch(topic, options.group, handler, maxBatch, gate, payload, committer),
    });
    const beforeDisconnect = async (): Promise<void> => {
      clearInterval(checkpointTimer);
      if (committer) await checkpoint(true);
    };
    this.consumers.set(consumer, beforeDisconnect);
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await beforeDisconnect();
        await consumer.disconnect();
      },
    };
  }

  private async consumeBatch<T>(
    topic: TopicSpec<T>,
    group: string,
    handler: BatchHandler<T>,
    maxBatch: number,
    gate: AssignmentGate,
    { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }: EachBatchPayload,
    committer?: CheckpointCommitter,
  ): Promise<void> {
    const { messages, partition } = batch;
    // A rejoin while this batch is handled revokes (or reloads) the partition: then what it handles is
    // not ours to commit (see CheckpointCommitter.forget).
    const generation = committer?.generationOf(partition);
    // Wait for the assignment callbacks (state restore), heartbeating so that the group keeps this member.
    let ready = false;
    const settled = gate.ready().then(() => (ready = true));
    while (!ready) {
      await Promise.race([settled, sleep(1000)]);
      if (!ready) await heartbeat().catch(() => undefined);
      if (!isRunning() || isStale()) return;
    }
    // Chunks of at most `maxBatch` records (a bundle's records count one by one; a bundle is never split,
    // since its Kafka offset is committed whole).
    for (let next = 0; next < messages.length;) {
      const first = messages[next].offset;
      const values: T[] = [];
      const keys: string[] = [];
      while (next < messages.length && values.length < maxBatch) {
        const m = messages[next++];
        try {
          const bundle = topic.bundle?.decode(m.value!);
          if (bundle !== undefined) {
            for (let i = 0; i < bundle.values.length; i++) {
              values.push(bundle.values[i]);
              keys.push(bundle.keys[i]);
            }
          } else {
            values.push(topic.decode(m.value!));
            keys.push(m.key?.toString() ?? '');
          }
        } catch (err) {
          this.log.error(
            `bus: skipping undecodable record ${topic.name}/${partition}@${m.offset}: ${String(err)}`,
          );
        }
      }
      const last = messages[next - 1].offset;
      for (let attempt = 1; ; attempt++) {
        if (!isRunning() || isStale()) return;
        try {
          if (values.length > 0) await handler({ topic: topic.name, partition, values, keys });
          break;
        } catch (err) {
          if (!isRetriable(err) && attempt >= 3) {
            // A programming error that keeps failing would block the partition forever: surface it loudly.
            this.log.error(
              `bus: ${group} keeps failing on ${topic.name}/${partition}@${first}: ${String(err)}`,
            );
          } else {
            this.log.warn(
              `bus: ${group} failed on ${topic.name}/${partition} (attempt ${attempt}), retrying: ${String(err)}`,
            );
          }
          const delay = Math.min(
            KAFKA_BUS_DEFAULTS.retryInitialMs * 2 ** (attempt - 1),
            KAFKA_BUS_DEFAULTS.retryMaxMs,
          );
          for (let waited = 0; waited < delay; waited += 1000) {
            await sleep(Math.min(1000, delay - waited));
            await heartbeat().catch(() => undefined);
          }
        }
      }
      // Resolved = fetched past; committed at once, or at the next checkpoint.
      resolveOffset(last);
      if (committer) committer.handledUpTo(partition, last, generation);
      else await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  async readToEnd<T>(
    topic: TopicSpec<T>,
    partitions: readonly number[],
    onBatch: (batch: ConsumedBatch<T | null>) => void,
  ): Promise<void> {
    if (partitions.length === 0) return;
    await this.ensureTopicOf(topic);
    const name = this.ns + topic.name;
    // The end as of now: the high watermark of each partition that has records.
    const ends = new Map<number, bigint>();
    for (const o of await this.admin.fetchTopicOffsets(name)) {
      if (partitions.includes(o.partition) && BigInt(o.high) > BigInt(o.low))
        ends.set(o.partition, BigInt(o.high));
    }
    if (ends.size === 0) return;
    // kafkajs has no manual assignment: a throw-away group of one member gets every partition; the
    // others are paused and nothing is committed.
    const consumer = this.kafka.consumer({
      groupId: `${name}.reader.${randomUUID()}`,
      sessionTimeout: KAFKA_BUS_DEFAULTS.sessionTimeoutMs,
      heartbeatInterval: KAFKA_BUS_DEFAULTS.heartbeatIntervalMs,
      maxWaitTimeInMs: KAFKA_BUS_DEFAULTS.maxWaitTimeMs,
      maxBytesPerPartition: KAFKA_BUS_DEFAULTS.maxBytesPerPartition,
      allowAutoTopicCreation: false,
    });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const others = (e.payload.memberAssignment[name] ?? []).filter((p) => !ends.has(p));
      if (others.length > 0) consumer.pause([{ topic: name, partitions: others }]);
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await retryMetadataRace(() => consumer.subscribe({ topic: name, fromBeginning: true }));
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch }) => {
          const end = ends.get(batch.partition);
          if (end === undefined) return;
          const values: (T | null)[] = [];
          const keys: string[] = [];
          let reached = false;
          for (const m of batch.messages) {
            if (BigInt(m.offset) >= end) {
              reached = true;
              break;
            }
            if (BigInt(m.offset) + 1n >= end) reached = true;
            try {
              values.push(m.value === null ? null : topic.decode(m.value));
              keys.push(m.key?.toString() ?? '');
            } catch (err) {
              this.log.error(
                `bus: skipping undecodable record ${topic.name}/${batch.partition}@${m.offset}: ${String(err)}`,
              );
            }
          }
          if (values.length > 0) onBatch({ topic: topic.name, partition: batch.partition, values, keys });
          if (reached) {
            ends.delete(batch.partition);
            consumer.pause([{ topic: name, partitions: [batch.partition] }]);
            if (ends.size === 0) finish();
          }
        },
      });
      await Promise.race([
        finished,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new EngineUnavailableError(
                  'kafka',
                  `${topic.name} partitions ${[...ends.keys()].join(',')} not read within ${KAFKA_BUS_DEFAULTS.readToEndTimeoutMs} ms`,
                ),
              ),
            KAFKA_BUS_DEFAULTS.readToEndTimeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      await consumer.disconnect();
    }
  }

  /** Refuses new records, waits for pending publishes to settle, then disconnects every client. */
  async close(): Promise<void> {
    if (this.closing || this.finalCheckpoints) return this.finalCheckpoints;
    // Checkpointed subscriptions first, while publishing is still allowed: their state (the
    // changelog) is written and the offsets it covers committed. Batches handled after that are
    // not committed and are replayed by the next owner (at-least-once).
    this.finalCheckpoints = Promise.all([...this.consumers.values()].map((last) => last())).then(() =>
      this.shutDown(),
    );
    return this.finalCheckpoints;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    for (const lane of [this.recordLane, this.stateLane]) {
      if (lane.flushTimer) {
        clearTimeout(lane.flushTimer);
        lane.flushTimer = undefined;
        void this.flush(lane);
      }
    }
    // Kafka away: give pending sends the publish timeout, then leave (their callers were already told).
    const deadline = Date.now() + KAFKA_BUS_DEFAULTS.publishTimeoutMs;
    while (this.pendingRecords > 0 && Date.now() < deadline) await sleep(10);
    await Promise.all([...this.consumers.keys()].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    await this.recordLane.producer.disconnect();
    await this.stateLane.producer.disconnect();
    await this.admin.disconnect();
  }
}
