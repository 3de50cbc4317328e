import { Partitioners, type Message, type Producer } from 'kafkajs';
import type { TopicSpec } from '@coldchain/contract';
import { EngineUnavailableError, ShuttingDownError } from '@coldchain/errors';
import type { BusRecord } from '../bus.port.js';
import { leadingBatch } from '../leading-batch.js';
import { KAFKA_BUS_DEFAULTS } from './kafka-bus.defaults.js';
import { sleep, type KafkaBusParts } from './kafka-client.js';
import { bundleMessages, cutPublish, KeyPartitions, type PublishPiece } from './produce-request.js';

/** A piece queued in a lane, with the call it belongs to. */
interface PendingPublish extends PublishPiece {
  /** The publish call this piece belongs to; once it failed, its unsent pieces are dropped. */
  publication: { failed: boolean };
  /** Settles the caller's promise once: on Kafka's acknowledgement, a failure, or the publish timeout. */
  settle: (err?: Error) => void;
}

/** A producer and the publishes queued for it. */
interface ProduceLane {
  readonly producer: Producer;
  pending: PendingPublish[];
  flushing: boolean;
  flushTimer?: NodeJS.Timeout;
}

/**
 * The producing half of the Kafka bus.
 *
 * Idempotent producers (no duplicates from their own retries), `acks: -1`
 * (all in-sync replicas), keyed records with Kafka's default (murmur2)
 * partitioner so each key stays in one partition and in order. Concurrent
 * publishes coalesce into one produce request (`lingerMs`), one request in
 * flight at a time per lane, which keeps per-partition order across calls.
 *
 * Two lanes, each its own producer: records (telemetry, alerts, statuses)
 * and state (compacted changelogs). A checkpoint's changelog write
 * (megabytes, in many requests) never holds back an alert queued behind it;
 * order only matters within a topic, and a topic always uses one lane.
 */
export class KafkaProducer {
  private readonly recordLane: ProduceLane;
  private readonly stateLane: ProduceLane;
  private readonly partitions: KeyPartitions;
  private pendingRecords = 0;
  private closing = false;
  private healthy = false;

  constructor(private readonly parts: KafkaBusParts) {
    const lane = (): ProduceLane => ({
      producer: parts.kafka.producer({
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
    this.partitions = new KeyPartitions((topic) => parts.topics.partitionCount(topic));
  }

  async connect(): Promise<void> {
    await this.recordLane.producer.connect();
    await this.stateLane.producer.connect();
    this.healthy = true;
  }

  /** True once connected, while the last produce request succeeded and until `drain`. */
  isHealthy(): boolean {
    return this.healthy && !this.closing;
  }

  /**
   * Resolves once Kafka acknowledged every record; rejects (retriable) when
   * more than `maxPendingRecords` await acknowledgement, when a produce
   * request fails, or after `publishTimeoutMs`. After `drain`: ShuttingDownError.
   */
  async publish<T>(topic: TopicSpec<T>, records: readonly BusRecord<T>[]): Promise<void> {
    if (this.closing) throw new ShuttingDownError('kafka bus');
    if (records.length === 0) return;
    if (this.pendingRecords + records.length > KAFKA_BUS_DEFAULTS.maxPendingRecords) {
      throw new EngineUnavailableError(
        'kafka',
        `${this.pendingRecords} records awaiting acknowledgement: refusing more`,
      );
    }
    await this.parts.topics.ensure(topic);
    const pieces = cutPublish(topic, this.parts.topics.name(topic.name), records);
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

  /**
   * Refuses new records, sends what is queued and waits for it to settle, at
   * most `publishTimeoutMs` (Kafka away: the callers were already told).
   */
  async drain(): Promise<void> {
    this.closing = true;
    for (const lane of [this.recordLane, this.stateLane]) {
      if (lane.flushTimer) {
        clearTimeout(lane.flushTimer);
        lane.flushTimer = undefined;
        void this.flush(lane);
      }
    }
    const deadline = Date.now() + KAFKA_BUS_DEFAULTS.publishTimeoutMs;
    while (this.pendingRecords > 0 && Date.now() < deadline) await sleep(10);
  }

  async disconnect(): Promise<void> {
    await this.recordLane.producer.disconnect();
    await this.stateLane.producer.disconnect();
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
      try {
        await lane.producer.sendBatch({ acks: -1, topicMessages: this.topicMessages(taken) });
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

  /** One produce request's records per topic, in publish order; a topic's bundles where its first publish was. */
  private topicMessages(taken: readonly PendingPublish[]): { topic: string; messages: Message[] }[] {
    const byTopic = new Map<string, Message[][]>();
    const bundled = new Set<string>();
    for (const p of taken) {
      let messages = p.messages;
      if (p.bundle !== undefined) {
        if (bundled.has(p.topic)) continue;
        bundled.add(p.topic);
        messages = bundleMessages(p.topic, taken, this.partitions);
      }
      const lists = byTopic.get(p.topic);
      if (lists) lists.push(messages);
      else byTopic.set(p.topic, [messages]);
    }
    return [...byTopic].map(([topic, lists]) => ({
      topic,
      messages: lists.length === 1 ? lists[0] : lists.flat(),
    }));
  }
}
