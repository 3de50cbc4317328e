import type { Admin, Kafka } from 'kafkajs';
import type { TopicSpec } from '@coldchain/contract';
import { retryMetadataRace } from './kafka-client.js';

export interface KafkaTopicAdminOptions {
  /** Prefix of every topic and group name (namespacing on a shared cluster). */
  namespace: string;
  /** Partitions of the topics this admin creates. */
  partitions: number;
}

/**
 * Topic creation and metadata, through one kafkajs admin client. Callers use
 * logical topic names; `name` gives the namespaced name on the cluster.
 * The broker's auto-creation is off on purpose: every topic is created here,
 * once per process (concurrent callers share the same creation).
 */
export class KafkaTopicAdmin {
  private readonly admin: Admin;
  private readonly known = new Map<string, Promise<void>>();
  /** Partition count per namespaced topic, known once `ensure` resolved for it. */
  private readonly partitionCounts = new Map<string, number>();

  constructor(
    kafka: Kafka,
    private readonly options: KafkaTopicAdminOptions,
  ) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  /** The topic's name on the cluster. */
  name(logical: string): string {
    return this.options.namespace + logical;
  }

  /** A group id on the cluster. */
  group(logical: string): string {
    return this.options.namespace + logical;
  }

  /** Creates the topic of `topic` when missing: compacted when the spec says so. */
  ensure(topic: TopicSpec<unknown>): Promise<void> {
    return this.ensureTopic(topic.name, this.options.partitions, topic.compacted === true);
  }

  /** Creates the topic (logical name) when missing; a failed creation is tried again by the next call. */
  ensureTopic(logical: string, partitions = this.options.partitions, compacted = false): Promise<void> {
    const name = this.name(logical);
    let known = this.known.get(name);
    if (!known) {
      known = this.createTopic(name, partitions, compacted);
      known.catch(() => this.known.delete(name));
      this.known.set(name, known);
    }
    return known;
  }

  /** Partitions of a namespaced topic on the cluster; only after `ensure` resolved for it. */
  partitionCount(name: string): number {
    return this.partitionCounts.get(name)!;
  }

  /** Low and high watermark of each partition of a namespaced topic. */
  fetchTopicOffsets(name: string): ReturnType<Admin['fetchTopicOffsets']> {
    return this.admin.fetchTopicOffsets(name);
  }

  /**
   * A compacted topic (changelog) keeps the latest record per key. Tombstones
   * are kept too (`delete.retention.ms` ≈ 100 years): `readToEnd` knows it
   * reached the end when it read the record just before the high watermark,
   * which therefore must never vanish.
   */
  private createTopic(name: string, partitions: number, compacted: boolean): Promise<void> {
    const configEntries = compacted
      ? [
          { name: 'cleanup.policy', value: 'compact' },
          // Stored as sent (uncompressed): the broker recompressing every changelog burst to gzip
          // (the only codec kafkajs reads without a plugin) cost it 8 % of a core at 20,000
          // readings/s and stalled the telemetry and alerts produced meanwhile by up to a second
          // (npm run bench:notify). Disk is the cheaper resource here.
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
}
