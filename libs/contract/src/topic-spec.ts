/**
 * A bus topic: its name and how its values travel as bytes (Kafka) or by
 * reference (in-process). The domain's topics are declared in `topics.ts`;
 * the bus adapters (`@coldchain/bus`) carry them.
 */
export interface TopicSpec<T> {
  readonly name: string;
  encode(value: T): Buffer;
  decode(bytes: Buffer): T;
  /**
   * Only the latest value per key matters (a changelog): Kafka creates the
   * topic with `cleanup.policy=compact`; the in-process bus keeps the latest
   * value per key in memory for `readToEnd` and does not hold records back
   * waiting for a consumer group.
   */
  readonly compacted?: boolean;
  /**
   * Set on high-volume topics: the Kafka adapter then carries all the records
   * of one produce request bound for one partition as a single Kafka record
   * (a bundle), and hands them to handlers one by one again. Keys, per-key
   * order and partitions are exactly as without it; only the Kafka record
   * count changes (per-record cost in kafkajs and the broker is most of the
   * hot path's). Offsets then count bundles, not records. Never on a
   * compacted topic: compaction needs one key per Kafka record.
   */
  readonly bundle?: BundleCodec<T>;
}

/**
 * Many keyed values as one byte string, and back. Values are encoded one by
 * one when published (so that requests and bundles are cut by their real
 * size) and joined into a bundle when sent.
 */
export interface BundleCodec<T> {
  /** One value's text; `join` puts many of them in one bundle. */
  encodeValue(value: T): string;
  join(keys: readonly string[], encodedValues: readonly string[]): Buffer;
  /** `undefined` when `bytes` is a single value (written without bundling), not a bundle. */
  decode(bytes: Buffer): { keys: string[]; values: T[] } | undefined;
}
