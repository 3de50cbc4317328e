/**
 * Every tunable of the firmware simulator, in one place, with its unit in its
 * name. Options and scenario files override these; code never carries a bare
 * literal for them.
 */
export const DEFAULTS = {
  // --- MQTT session (what a K-HUB's firmware does) ---
  /** MQTT keepalive, seconds (MQTT 3.1.1 §3.1.2.10). Cellular NATs drop idle flows after ~2–5 min. */
  keepaliveS: 60,
  /** How long one connection attempt may take before it counts as failed, ms. */
  connectTimeoutMs: 10_000, // 10 s
  /** First reconnect delay after a lost or failed connection, ms. */
  reconnectInitialDelayMs: 1_000, // 1 s
  /** Reconnect delays grow by this factor per failed attempt. */
  reconnectBackoffFactor: 2,
  /** Ceiling of the reconnect delay, ms. */
  reconnectMaxDelayMs: 60_000, // 1 min
  /** Each reconnect delay is scaled by a seeded random factor in [1 − j, 1 + j] so a fleet does not reconnect in lockstep. */
  reconnectJitterRatio: 0.2,
  /** Hubs of a fleet open their first connections at most this many at a time (a burst of 1000 TCP+CONNECTs is a thundering herd). */
  fleetConnectConcurrency: 50,
  /** How long `stop()` waits for the retained `offline` status to be acknowledged before closing anyway, ms. */
  stopStatusAckTimeoutMs: 2_000, // 2 s
  /**
   * How long `stop()` waits for a clean DISCONNECT before dropping the socket, ms. A clean end waits
   * for the PUBACKs of in-flight publishes, which a broker withholding them (a gateway whose Kafka is
   * away, or overloaded) may never send; those readings stay in the hub's queue either way.
   */
  stopCloseTimeoutMs: 2_000, // 2 s

  // --- Publishing ---
  /** Telemetry messages a hub keeps in flight (published, PUBACK pending) at once. */
  maxInFlightMessages: 4,
  /**
   * Most readings packed into one telemetry message when replaying a backlog.
   * Below CONTRACT_LIMITS.maxReadingsPerMessage (1000) and, at ~170 bytes per
   * reading, well below CONTRACT_LIMITS.maxPayloadBytes (256 KiB).
   */
  maxReadingsPerMessage: 500,
  /** Default sampling and publishing period of a hub, ms, when neither options nor config say. */
  publishIntervalMs: 60_000, // 1 min

  // --- Store-and-forward ---
  /** Bound of a hub's queue, readings (not messages). 1 h at 20 tags sampled every 5 s is 14 400. */
  queueMaxReadings: 100_000,
  /** Size at which a disk queue starts a new segment file, bytes. */
  queueSegmentBytes: 4 * 1024 * 1024, // 4 MiB

  // --- Scenarios ---
  /** After a scenario's last simulated instant, how long to wait for the broker to acknowledge every buffered reading, ms (real time). */
  scenarioDrainTimeoutMs: 60_000, // 1 min

  // --- CLI ---
  /** How often the progress line is redrawn on a terminal, ms. */
  progressTtyRefreshMs: 1_000,
  /** How often a plain progress line is printed when stdout is not a terminal (CI logs), ms. */
  progressPlainEveryMs: 10_000,
  /** Width of the progress bar, characters. */
  progressBarWidth: 24,

  /**
   * At scenario speed "max", how long simulated time waits (real time) for a
   * hub's PUBACKs before moving on, ms. Past it, time moves on anyway (a
   * stalled broker must not freeze the scenario; the queue takes the rest).
   */
  maxSpeedAckWaitMs: 5_000,

  // --- Sensors ---
  /** Ambient temperature outside the reefer, °C. */
  ambientC: 20,
  /** Default reefer set point of a tag, °C. */
  setpointC: 4,
  /** Standard deviation of a tag's temperature sensor noise, °C. */
  temperatureNoiseC: 0.05,
  /** Received signal strength around which simulated tags are heard, dBm. */
  rssiMeanDbm: -70,
} as const;

export type SimDefaults = typeof DEFAULTS;
