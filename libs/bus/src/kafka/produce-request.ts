import { Partitioners, type Message } from 'kafkajs';
import type { BundleCodec, TopicSpec } from '@coldchain/contract';
import type { BusRecord } from '../bus.port.js';
import { KAFKA_BUS_DEFAULTS } from './kafka-bus.defaults.js';

/** Part of one publish call, sent within one produce request. */
export interface PublishPiece {
  /** Namespaced topic. */
  topic: string;
  /** Records taken, counted against `maxPendingRecords` and `maxRecordsPerRequest`. */
  count: number;
  /** Bytes of keys and values, counted against `maxBytesPerRequest`. */
  bytes: number;
  /** Encoded records (topics without a bundle codec). */
  messages: Message[];
  /** Records to bundle at flush time, grouped by partition with those of other publishes. */
  bundle?: { codec: BundleCodec<unknown>; keys: string[]; values: string[]; bytes: number[] };
}

/**
 * Encodes one publish call's records and cuts them into pieces of at most
 * `maxBytesPerRequest` bytes (at least one record each). Records of a
 * bundled topic stay as encoded values, to be joined into bundles at flush
 * time with the other publishes' records of the same partition (never on a
 * compacted topic). A `null` value on a compacted topic is a tombstone.
 */
export function cutPublish<T>(
  topic: TopicSpec<T>,
  name: string,
  records: readonly BusRecord<T>[],
): PublishPiece[] {
  const { maxBytesPerRequest } = KAFKA_BUS_DEFAULTS;
  const pieces: PublishPiece[] = [];
  const codec = topic.bundle;
  if (codec !== undefined && !topic.compacted) {
    let piece: PublishPiece | undefined;
    let bundle: NonNullable<PublishPiece['bundle']> | undefined;
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
    let piece: PublishPiece | undefined;
    for (const r of records) {
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
  return pieces;
}

/**
 * The partition Kafka's default partitioner (murmur2) gives a key, as keyed
 * records get it, remembered per topic: one hash per key, not per record.
 */
export class KeyPartitions {
  private readonly byTopic = new Map<string, Map<string, number>>();
  private readonly partitioner = Partitioners.DefaultPartitioner();

  /** `partitionCount`: a topic's partitions on the cluster, asked once per key not yet remembered. */
  constructor(private readonly partitionCount: (topic: string) => number) {}

  of(topic: string, key: string): number {
    let cache = this.byTopic.get(topic);
    if (cache === undefined) this.byTopic.set(topic, (cache = new Map<string, number>()));
    let p = cache.get(key);
    if (p === undefined) {
      const count = this.partitionCount(topic);
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
}

/**
 * The bundles of `topic` for one produce request: every bundled record of
 * `taken` for that topic, grouped by partition in publish order, at most
 * `maxRecordsPerBundle` records and `maxBytesPerRequest` bytes per bundle
 * (a request holds at most that many bytes anyway). A bundle's Kafka key is
 * its first record's.
 */
export function bundleMessages(
  topic: string,
  taken: readonly PublishPiece[],
  partitions: KeyPartitions,
): Message[] {
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
      const partition = partitions.of(topic, keys[i]);
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
