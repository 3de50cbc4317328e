import type { TopicSpec } from '@coldchain/contract';
import { EngineUnavailableError } from '@coldchain/errors';
import type {
  BatchHandler,
  BusHealth,
  BusPort,
  BusRecord,
  ConsumedBatch,
  SubscribeOptions,
  Subscription,
} from '../bus.port.js';
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
  private closed?: Promise<void>;

  constructor(private readonly options: KafkaBusOptions) {
    const log = options.log ?? { log: console.log, warn: console.warn, error: console.error };
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
   * Checkpointed subscriptions first, while publishing is still allowed: their
   * state (the changelog) is written and the offsets it covers committed.
   * Batches handled after that are not committed and are replayed by the next
   * owner (at-least-once). Then new records are refused, pending publishes
   * settle, and every client disconnects.
   */
  close(): Promise<void> {
    this.closed ??= this.consumer.checkpointAll().then(() => this.shutDown());
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    await this.producer.drain();
    await this.consumer.disconnectAll();
    await this.producer.disconnect();
    await this.topics.disconnect();
  }
}
