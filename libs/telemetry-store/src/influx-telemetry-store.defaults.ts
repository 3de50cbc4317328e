/**
 * Every tunable of the InfluxDB telemetry store, with its unit in its name.
 * `InfluxTelemetryStoreOptions` overrides them per instance. The reasoning
 * behind each value, and the measurements that chose them, are in
 * docs/influxdb-schema.md ("Write path").
 */
export const INFLUX_DEFAULTS = {
  /** Measurement holding one point per reading (tags tenant, tag). */
  measurement: 'readings',
  /** Measurement holding one point per GPS fix (tags tenant, hub), in the positions bucket. */
  positionsMeasurement: 'positions',
  /**
   * Lines per HTTP write request. The adapter cuts every `write` call into
   * requests of at most this many lines itself and hands each to the
   * WriteApi with an explicit flush, so that the client never sends a batch
   * on its own (an automatic batch's failure is only logged, never reported:
   * the trap in INFRA_NOTES). Large on purpose: cutting a call into more,
   * smaller requests cost influxd more CPU per reading and lowered
   * throughput in every bench run (bench/influx-write.bench.ts); an ingest
   * batch of up to 20,000 readings (about 4 MB) goes out as one request.
   */
  maxLinesPerRequest: 20_000,
  /**
   * Upper bound on one request body, bytes. Below InfluxDB 1.x's default
   * `max-body-size` (25 MB; infra sets 100 MiB).
   */
  maxBytesPerRequest: 8 * 1024 * 1024, // 8 MiB
  /**
   * Write requests in flight at once, over all concurrent `write` calls
   * (the HTTP agent's socket pool; more calls queue in this process).
   * Bounded so that a burst never opens more connections than the proxy in
   * front of InfluxDB can hold (the ECONNRESET trap in INFRA_NOTES). 2: on
   * the 2-core test machine, 4 requests in flight gave no more readings/s
   * than 2 and doubled call latency (bench/influx-write.bench.ts).
   */
  maxConcurrentRequests: 2,
  /** Queries (and pings) in flight at once, on connections of their own. */
  maxConcurrentQueries: 4,
  /**
   * Tags one query of a latest-readings page names (`tag = $tag0 OR ...`); a
   * larger page takes several queries. Keeps a statement and its parameters
   * to a few tens of kB.
   */
  maxTagsPerLatestQuery: 1_000,
  /**
   * Bodies above this size are gzipped. Off by default (Infinity): on the
   * loopback and on a LAN the compression costs more CPU than it saves time
   * (measured, see docs/influxdb-schema.md). Set it (e.g. 64 KiB) when
   * InfluxDB is across a slow or metered link.
   */
  gzipThresholdBytes: Number.POSITIVE_INFINITY,
  /** Socket inactivity timeout of one HTTP request (write or query). */
  requestTimeoutMs: 10_000, // 10 s
} as const;

/**
 * Settings of the client's WriteApi that make `flush()` the only way lines
 * leave, and make its promise the fate of exactly those lines:
 * - `flushInterval: 0`: no timer sends a batch behind our back; we flush per call;
 * - `maxRetries: 0`: a failed request is not parked in the client's retry
 *   buffer (which drops the oldest lines when full and is only drained by
 *   later flushes); the bus redelivers the whole batch instead;
 * - `maxBufferLines: 0`: nothing could be parked anyway;
 * - `batchSize` / `maxBatchBytes` above what one request may carry, so that
 *   `writeRecords` never triggers an automatic send (see `chunkLines`).
 */
export const WRITE_API_FIXED = {
  flushInterval: 0,
  maxRetries: 0,
  maxBufferLines: 0,
} as const;
