import type { TopicSpec } from '@coldchain/contract';
import { EngineUnavailableError } from '@coldchain/errors';
import type {
  BatchHandler,
  BusCloseOutcome,
  BusHealth,
  BusPort,
  BusRecord,
  ConsumedBatch,
  SubscribeOptions,
  Subscription,
} from '../bus.port.js';
import { within } from '../bus.port.js';
import type { KafkaSecurity } from '../kafka-security.js';
import { KAFKA_BUS_DEFAULTS } from './kafka-bus.defaults.js';
import { createKafkaClient, type KafkaBusLog, type KafkaBusParts } from './kafka-client.js';
import { KafkaChangelogReader } from './kafka-changelog-reader.js';
import type { ConsumerCrash, ConsumerRestartPolicy } from './kafka-consumer-supervisor.js';
import { KafkaGroupConsumer } from './kafka-group-consumer.js';
import { KafkaProducer } from './kafka-producer.js';
import { KafkaTopicAdmin } from './kafka-topic-admin.js';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Partitions of the topics the bus creates (default `KAFKA_BUS_DEFAULTS.partitions`). */
  partitions?: number;
  /** Prefix of every topic and group name (namespacing on a shared cluster; unique per test run). */
  namespace?: string;
  /** TLS and SASL to the brokers (KAFKA_SSL*, KAFKA_SASL_*); unset = plaintext, no authentication. */
  security?: KafkaSecurity;
  log?: KafkaBusLog;
  /** How consumers kafkajs stopped for good are restarted (default from KAFKA_BUS_DEFAULTS.consumerRestart*). */
  consumerRestart?: Partial<ConsumerRestartPolicy>;
  /** Told of every consumer crash (a metric). */
  onConsumerCrash?: (crash: ConsumerCrash) => void;
}

/**
 * The production bus: Apache Kafka through kafkajs, one client shared by
 * four parts: the topic admin (creation, metadata), the producer (lanes and
 * bundling), the group consumer (subscriptions, checkpoints) and the
 * changelog reader (`readToEnd`). The contract is BusPort's.
 */
export class KafkaBus implements BusPort {
  readonly kind = 'kafka' as const;
  private readonly topics: KafkaTopicAdmin;
  private readonly producer: KafkaProducer;
  private readonly consumer: KafkaGroupConsumer;
  private readonly reader: KafkaChangelogReader;
  /** Set by `close`: the checkpointed subscriptions' last checkpoints, then the shutdown. */
  private closed?: Promise<BusCloseOutcome>;
  private readonly log: KafkaBusLog;

  constructor(private readonly options: KafkaBusOptions) {
    const log = options.log ?? { log: console.log, warn: console.warn, error: console.error };
    this.log = log;
    const kafka = createKafkaClient({ ...options, log });
    this.topics = new KafkaTopicAdmin(kafka, {
      namespace: options.namespace ?? '',
      partitions: options.partitions ?? KAFKA_BUS_DEFAULTS.partitions,
    });
    const parts: KafkaBusParts = { kafka, topics: this.topics, log };
    this.producer = new KafkaProducer(parts);
    this.consumer = new KafkaGroupConsumer(parts, {
      restart: {
        initialMs: KAFKA_BUS_DEFAULTS.consumerRestartInitialMs,
        maxMs: KAFKA_BUS_DEFAULTS.consumerRestartMaxMs,
        attempts: KAFKA_BUS_DEFAULTS.consumerRestartAttempts,
        ...options.consumerRestart,
      },
      onCrash: options.onConsumerCrash ?? (() => undefined),
    });
    this.reader = new KafkaChangelogReader(parts);
  }

  async start(): Promise<void> {
    try {
      await this.topics.connect();
      await this.producer.connect();
    } catch (err) {
      throw new EngineUnavailableError('kafka', `cannot connect to ${this.options.brokers.join(',')}`, err);
    }
  }

  isHealthy(): boolean {
    return this.producer.isHealthy();
  }

  health(): BusHealth {
    if (!this.producer.isHealthy()) return { state: 'down', reason: 'producer cannot take records' };
    return this.consumer.health();
  }

  publish<T>(topic: TopicSpec<T>, records: readonly BusRecord<T>[]): Promise<void> {
    return this.producer.publish(topic, records);
  }

  subscribe<T>(
    topic: TopicSpec<T>,
    options: SubscribeOptions,
    handler: BatchHandler<T>,
  ): Promise<Subscription> {
    return this.consumer.subscribe(topic, options, handler);
  }

  readToEnd<T>(
    topic: TopicSpec<T>,
    partitions: readonly number[],
    onBatch: (batch: ConsumedBatch<T | null>) => void,
  ): Promise<void> {
    return this.reader.readToEnd(topic, partitions, onBatch);
  }

  /**
   * Consumption stops first (every consumer paused: no new batch is fetched;
   * the batches in hand go on). Then the checkpointed subscriptions' last
   * checkpoints, while publishing is still allowed: their state (the
   * changelog, the store's write-behind) is written and the offsets it covers
   * committed. Then new records are refused, pending publishes settle, and
   * every client disconnects.
   *
   * With `budgetMs` (the process's shutdown budget), a last checkpoint not
   * done in time is given up: its offsets stay uncommitted, so the records in
   * hand are redelivered to the next owner of their partitions (at-least-once,
   * nothing acknowledged lost; stores are idempotent), and the disconnect is
   * bounded by what is left of the budget, at least
   * `KAFKA_BUS_DEFAULTS.disconnectMinMs`.
   */
  close(options: { budgetMs?: number } = {}): Promise<BusCloseOutcome> {
    this.closed ??= this.drain(options.budgetMs);
    return this.closed;
  }

  private async drain(budgetMs: number | undefined): Promise<BusCloseOutcome> {
    if (budgetMs === undefined) {
      this.consumer.pauseAll();
      await this.consumer.checkpointAll();
      await this.shutDown();
      return { drained: true };
    }
    const deadline = Date.now() + budgetMs;
    this.consumer.pauseAll();
    const cut: string[] = [];
    if (!(await within(this.consumer.checkpointAll(), deadline - Date.now())))
      cut.push(`last checkpoints not done within ${budgetMs} ms (their records are redelivered)`);
    const left = Math.max(deadline - Date.now(), KAFKA_BUS_DEFAULTS.disconnectMinMs);
    if (!(await within(this.shutDown(), left))) cut.push(`disconnect not done within ${left} ms`);
    if (cut.length === 0) return { drained: true };
    const detail = cut.join('; ');
    this.log.warn(`bus: drain cut short: ${detail}`);
    return { drained: false, detail };
  }

  private async shutDown(): Promise<void> {
    await this.producer.drain();
    await this.consumer.disconnectAll();
    await this.producer.disconnect();
    await this.topics.disconnect();
  }
}
