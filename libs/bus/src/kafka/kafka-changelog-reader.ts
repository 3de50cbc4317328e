import { randomUUID } from 'node:crypto';
import type { TopicSpec } from '@coldchain/contract';
import { EngineUnavailableError } from '@coldchain/errors';
import type { ConsumedBatch } from '../bus.port.js';
import { KAFKA_BUS_DEFAULTS } from './kafka-bus.defaults.js';
import { retryMetadataRace, type KafkaBusParts } from './kafka-client.js';

/**
 * `readToEnd` on Kafka: reads partitions of a (compacted) changelog from
 * their beginning up to their high watermark as of the call, with a
 * throw-away consumer that commits nothing. Gives up with a retriable
 * EngineUnavailableError after `readToEndTimeoutMs`.
 */
export class KafkaChangelogReader {
  constructor(private readonly parts: KafkaBusParts) {}

  async readToEnd<T>(
    topic: TopicSpec<T>,
    partitions: readonly number[],
    onBatch: (batch: ConsumedBatch<T | null>) => void,
  ): Promise<void> {
    if (partitions.length === 0) return;
    const { kafka, topics, log } = this.parts;
    await topics.ensure(topic);
    const name = topics.name(topic.name);
    // The end as of now: the high watermark of each partition that has records.
    const ends = new Map<number, bigint>();
    for (const o of await topics.fetchTopicOffsets(name)) {
      if (partitions.includes(o.partition) && BigInt(o.high) > BigInt(o.low))
        ends.set(o.partition, BigInt(o.high));
    }
    if (ends.size === 0) return;
    // kafkajs has no manual assignment: a throw-away group of one member gets every partition; the
    // others are paused and nothing is committed.
    const consumer = kafka.consumer({
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
        eachBatch: async ({ batch, resolveOffset }) => {
          const end = ends.get(batch.partition);
          if (end === undefined) return;
          const values: (T | null)[] = [];
          const keys: string[] = [];
          let reached = false;
          let lastRead: string | undefined;
          for (const m of batch.messages) {
            if (BigInt(m.offset) >= end) {
              reached = true;
              break;
            }
            if (BigInt(m.offset) + 1n >= end) reached = true;
            lastRead = m.offset;
            try {
              values.push(m.value === null ? null : topic.decode(m.value));
              keys.push(m.key?.toString() ?? '');
            } catch (err) {
              log.error(
                `bus: skipping undecodable record ${topic.name}/${batch.partition}@${m.offset}: ${String(err)}`,
              );
            }
          }
          if (values.length > 0) onBatch({ topic: topic.name, partition: batch.partition, values, keys });
          // The next fetch starts after what was read (nothing is committed): a partition larger than
          // one fetch (maxBytesPerPartition, or the fetch's total) is read in several, not the same
          // first part again and again until the timeout.
          if (lastRead !== undefined) resolveOffset(lastRead);
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
}
