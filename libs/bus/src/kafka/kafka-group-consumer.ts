import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { TopicSpec } from '@coldchain/contract';
import type { BatchHandler, BusHealth, SubscribeOptions, Subscription } from '../bus.port.js';
import { CheckpointCommitter } from '../checkpoint-committer.js';
import { AssignmentGate, AssignmentTracker } from '../partition-assignment.js';
import { KAFKA_BUS_DEFAULTS } from './kafka-bus.defaults.js';
import { retryMetadataRace, type KafkaBusParts } from './kafka-client.js';
import { runBatch } from './kafka-batch-runner.js';
import {
  KafkaConsumerSupervisor,
  type ConsumerCrash,
  type ConsumerRestartPolicy,
} from './kafka-consumer-supervisor.js';

/** How the group consumer restarts crashed consumers, and whom it tells. */
export interface ConsumerSupervision {
  restart: ConsumerRestartPolicy;
  onCrash: (crash: ConsumerCrash) => void;
}

/**
 * The consuming half of the Kafka bus: one kafkajs consumer per
 * subscription, `eachBatch` (see `runBatch`), and the checkpointed commits of
 * `SubscribeOptions.commit` (see CheckpointCommitter); each consumer is
 * watched by a {@link KafkaConsumerSupervisor} (CRASH: health, restart).
 */
export class KafkaGroupConsumer {
  /** Open consumers, each with what must happen before it disconnects (its last checkpoint). */
  private readonly consumers = new Map<Consumer, () => Promise<void>>();
  private readonly supervisors = new Map<Consumer, KafkaConsumerSupervisor>();
  /** The (namespaced) topic each open consumer reads, for `pauseAll`. */
  private readonly topicOf = new Map<Consumer, string>();

  constructor(
    private readonly parts: KafkaBusParts,
    private readonly supervision: ConsumerSupervision,
  ) {}

  /** The worst state of the open consumers, with its reason. */
  health(): BusHealth {
    let worst: BusHealth = { state: 'up' };
    for (const supervisor of this.supervisors.values()) {
      const h = supervisor.health();
      if (h.state === 'down' || (h.state === 'degraded' && worst.state === 'up')) worst = h;
    }
    return worst;
  }

  async subscribe<T>(
    topic: TopicSpec<T>,
    options: SubscribeOptions,
    handler: BatchHandler<T>,
  ): Promise<Subscription> {
    const { kafka, topics, log } = this.parts;
    await topics.ensure(topic);
    // A broadcast subscriber is alone in a group of its own (never committed): it sees every partition.
    const groupId = topics.group(options.group) + (options.broadcast ? `.${randomUUID()}` : '');
    const consumer = kafka.consumer({
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
      log.error(`bus: onAssignment of ${options.group} failed: ${String(err)}`),
    );
    // Checkpointed commits: kafkajs commits nothing by itself (not even at a rebalance or a stop, which
    // would commit positions the handler's state does not cover yet); the committer does.
    const name = topics.name(topic.name);
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
        log.warn(`bus: ${options.group} checkpoint failed, next one retries: ${String(err)}`),
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
    await retryMetadataRace(() => consumer.subscribe({ topic: name, fromBeginning }));
    const supervisor = new KafkaConsumerSupervisor(
      consumer,
      options.group,
      async () => {
        // kafkajs disconnected it when it crashed; the subscription is kept, the position is the group's commit.
        await consumer.connect();
        await consumer.run(runConfig);
      },
      this.supervision.restart,
      log,
      this.supervision.onCrash,
    );
    const run = {
      topic,
      group: options.group,
      handler,
      maxBatch: options.maxBatchRecords ?? KAFKA_BUS_DEFAULTS.maxBatchRecords,
      gate,
      committer,
      log,
      onHandled: () => supervisor.progressed(),
    };
    const runConfig: ConsumerRunConfig = {
      // A broadcast subscriber keeps no position: it reads from the beginning each time.
      // Auto-commit commits only *resolved* offsets, and an offset is resolved only after the handler
      // resolved for it (eachBatchAutoResolve off); threshold 1 commits after every chunk, and kafkajs
      // commits what is resolved once more when the consumer stops.
      autoCommit: !options.broadcast && committer === undefined,
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => runBatch(run, payload),
    };
    await consumer.run(runConfig);
    this.supervisors.set(consumer, supervisor);
    this.topicOf.set(consumer, name);
    const beforeDisconnect = async (): Promise<void> => {
      supervisor.stop();
      clearInterval(checkpointTimer);
      if (committer) await checkpoint(true);
    };
    this.consumers.set(consumer, beforeDisconnect);
    return {
      close: async () => {
        this.consumers.delete(consumer);
        this.supervisors.delete(consumer);
        this.topicOf.delete(consumer);
        await beforeDisconnect();
        await consumer.disconnect();
      },
    };
  }

  /**
   * Stops fetching on every open consumer (shutdown): no new batch is handed
   * over; a batch in hand goes on. The consumers stay in their groups (their
   * partitions are not moved) until they disconnect.
   */
  pauseAll(): void {
    for (const [consumer, topic] of this.topicOf) {
      try {
        consumer.pause([{ topic }]);
      } catch (err) {
        // Not running (crashed and not restarted): nothing to pause.
        this.parts.log.warn(`bus: could not pause ${topic}: ${String(err)}`);
      }
    }
  }

  /**
   * The last checkpoint of every open checkpointed subscription (their state
   * written, the offsets it covers committed); the consumers keep running.
   */
  async checkpointAll(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((last) => last()));
  }

  /** Disconnects every open consumer (kafkajs commits what is resolved on auto-commit subscriptions). */
  async disconnectAll(): Promise<void> {
    for (const supervisor of this.supervisors.values()) supervisor.stop();
    await Promise.all([...this.consumers.keys()].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    this.supervisors.clear();
    this.topicOf.clear();
  }
}
