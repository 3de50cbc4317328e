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
  /** Attempts of a batch failing with a non-retriable error before the consumer is failed (not retried in place). */
  nonRetriableAttempts: 3,
  /**
   * A consumer kafkajs stopped for good (CRASH, restart false) is restarted
   * after this backoff, doubled up to `consumerRestartMaxMs`, at most
   * `consumerRestartAttempts` times in a row (a handled batch resets the
   * count); then it stays down, reported by /health.
   */
  consumerRestartInitialMs: 1_000,
  consumerRestartMaxMs: 30_000,
  consumerRestartAttempts: 10,
  /** A budgeted `close` gives the disconnect at least this long, even when the drain spent the budget, ms. */
  disconnectMinMs: 1_000,
  sessionTimeoutMs: 15_000, // 15 s: a killed instance's partitions move within this
  heartbeatIntervalMs: 3_000,
  /** Longest a fetch waits for data; bounds the end-to-end latency at low rates. */
  maxWaitTimeMs: 50,
  maxBytesPerPartition: 4 * 1024 * 1024, // 4 MiB
  /** `readToEnd` gives up (retriable error) when the partitions were not read within this time. */
  readToEndTimeoutMs: 60_000,
};
