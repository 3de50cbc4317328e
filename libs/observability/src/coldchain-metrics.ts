import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RejectReason } from '@coldchain/contract';

/**
 * The platform's Prometheus metrics, one registry per process. Hot-path code
 * increments counters once per batch (`inc(n)`), never once per reading.
 */
export class ColdchainMetrics {
  readonly registry = new Registry();

  /** Readings accepted by the store (after de-duplication by the store's key). */
  readonly readingsIngested = new Counter({
    name: 'coldchain_readings_ingested_total',
    help: 'Readings written to the telemetry store.',
    registers: [this.registry],
  });
  /** Readings refused at the edge; a refused message counts its readings (at least 1). */
  readonly readingsRejected = new Counter({
    name: 'coldchain_readings_rejected_total',
    help: 'Readings refused at the edge, by reason code.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly messagesReceived = new Counter({
    name: 'coldchain_mqtt_messages_received_total',
    help: 'Telemetry messages received from hubs.',
    registers: [this.registry],
  });
  readonly connectedHubs = new Gauge({
    name: 'coldchain_mqtt_connected_hubs',
    help: 'Hubs currently connected to the MQTT edge.',
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'coldchain_mqtt_auth_failures_total',
    help: 'MQTT connections refused for bad credentials.',
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'coldchain_dead_letters_total',
    help: 'Messages kept in the dead-letter store, by reason code.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  /** Dead letters over their hub's rate limit at the edge: counted here, not stored. */
  readonly deadLettersSuppressed = new Counter({
    name: 'coldchain_dead_letters_suppressed_total',
    help: "Dead letters dropped at the edge over their hub's rate limit, by reason code.",
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  /**
   * Status messages (`khub/{imei}/status`) of hubs the platform does not know,
   * typically retained on an external broker by retired or foreign hubs:
   * counted here, never dead-lettered, so they cannot use up the dead-letter
   * budget of unauthenticated senders.
   */
  readonly unknownHubStatuses = new Counter({
    name: 'coldchain_unknown_hub_statuses_total',
    help: 'Hub status messages of unregistered hubs, ignored at the edge.',
    labelNames: ['retained'] as const,
    registers: [this.registry],
  });
  readonly alertsEmitted = new Counter({
    name: 'coldchain_alert_events_total',
    help: 'Alert transitions produced by the threshold check.',
    labelNames: ['transition'] as const,
    registers: [this.registry],
  });
  /** The alarm engine's counters (`EngineCounters`: evaluated, too_late, redelivered, ...), added per batch. */
  readonly alarmEngineCounts = new Counter({
    name: 'coldchain_alarm_engine_total',
    help: 'Alarm engine counts by counter name (readings evaluated, set aside, clock skew, gaps).',
    labelNames: ['counter'] as const,
    registers: [this.registry],
  });
  /** Alarm state snapshots: written to the changelog, restored from it, refused on restore. */
  readonly alarmStateSnapshots = new Counter({
    name: 'coldchain_alarm_state_snapshots_total',
    help: 'Alarm state changelog snapshots by operation.',
    labelNames: ['op'] as const,
    registers: [this.registry],
  });
  readonly alarmEngineTags = new Gauge({
    name: 'coldchain_alarm_engine_tags',
    help: 'Tags with alarm state held by this process.',
    registers: [this.registry],
  });
  readonly notificationsSent = new Counter({
    name: 'coldchain_notifications_total',
    help: 'Notifications handed to a channel, by channel and outcome.',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly storeWriteSeconds = new Histogram({
    name: 'coldchain_store_write_seconds',
    help: 'Time of one telemetry store write (one or more ingest batches, joined by the write-behind).',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly writeBehindReadings = new Gauge({
    name: 'coldchain_ingest_write_behind_readings',
    help: 'Readings handed to the store write-behind and not yet written.',
    registers: [this.registry],
  });
  readonly storeRefusedReadings = new Counter({
    name: 'coldchain_store_refused_readings_total',
    help: 'Readings the telemetry store refused for good (content it cannot take), set aside by ingest, not stored.',
    registers: [this.registry],
  });
  readonly writeBehindWaitSeconds = new Histogram({
    name: 'coldchain_ingest_write_behind_wait_seconds',
    help: 'Time a consumed batch waited for room in the full store write-behind (backpressure; only waits are observed).',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  /** Kafka consumers kafkajs crashed, by group and by who restarts them (kafkajs, supervisor, none: left down). */
  readonly busConsumerCrashes = new Counter({
    name: 'coldchain_bus_consumer_crashes_total',
    help: 'Kafka consumer crashes, by consumer group and by what restarts the consumer.',
    labelNames: ['group', 'restart_by'] as const,
    registers: [this.registry],
  });
  readonly ingestBatchRecords = new Histogram({
    name: 'coldchain_ingest_batch_records',
    help: 'Records per ingest batch.',
    buckets: [1, 10, 50, 100, 500, 1000, 5000],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'coldchain_process_' });
  }

  rejected(reason: RejectReason, readings: number): void {
    this.readingsRejected.inc({ reason }, readings);
  }

  /** Prometheus text exposition format. */
  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
