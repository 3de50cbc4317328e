import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type BusPort, type Subscription, BUS } from '@coldchain/bus';
import { HUB_STATUS_TOPIC, TELEMETRY_DLQ_TOPIC, TELEMETRY_TOPIC } from '@coldchain/contract';
import { type ColdchainConfig, CONFIG } from '@coldchain/config';
import { type ComponentState, type HealthRegistry, HEALTH } from '@coldchain/observability';
import { INGESTION_DEFAULTS, IngestPipeline } from './ingest-pipeline.js';
import { TripDirectory } from './trip-directory.js';

/** Consumer groups of the ingest app. Instances of one group split the partitions. */
export const INGEST_GROUPS = {
  telemetry: 'coldchain-ingest',
  deadLetters: 'coldchain-dlq-recorder',
  /**
   * The hub-status topic is consumed twice, on purpose, with two deliveries one subscription cannot
   * give both of: `hubStatus` records each status once across the instances (a group, committed:
   * a failed write is redelivered), while `hubStatusToAlarms` is a broadcast (every instance, from
   * the beginning, nothing committed), since every instance's alarm engines need every hub's
   * status. Recording from the broadcast would write every status once per instance and replay the
   * topic's whole history into the store at each start.
   */
  hubStatus: 'coldchain-hub-status',
  /** Broadcast: every ingest instance feeds every hub's status to its alarm engines. */
  hubStatusToAlarms: 'coldchain-ingest-hub-alarms',
} as const;

/**
 * Adapts the bus to the {@link IngestPipeline}: subscribes it to the
 * telemetry, dead-letter and hub-status topics, hands it batches, partition
 * assignments and checkpoints, and starts and stops it with the module. The
 * subscriptions stay open through onModuleDestroy so that the bus can drain
 * into them at shutdown; the bus is closed after (engine shutdown).
 */
@Injectable()
export class TelemetryConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Ingest');
  private subscriptions: Subscription[] = [];
  private state: ComponentState = 'starting';

  constructor(
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(IngestPipeline) private readonly pipeline: IngestPipeline,
    /** The trip lookup of the alarm engines (public for tests that create trips and must not wait for a refresh). */
    @Inject(TripDirectory) readonly trips: TripDirectory,
    @Inject(HEALTH) health: HealthRegistry,
    @Inject(CONFIG) private readonly config: ColdchainConfig,
  ) {
    health.register('ingest', () => this.state);
  }

  async onModuleInit(): Promise<void> {
    const { pipeline } = this;
    await pipeline.start(); // trip-scoped rules and budgets need the trips before the first batch
    try {
      this.subscriptions = await Promise.all([
        this.bus.subscribe(
          TELEMETRY_TOPIC,
          {
            group: INGEST_GROUPS.telemetry,
            partitionsConcurrently: INGESTION_DEFAULTS.partitionsConcurrently,
            maxBatchRecords: INGESTION_DEFAULTS.maxBatchRecords,
            fetch: INGESTION_DEFAULTS.fetch,
            onAssignment: (a) => pipeline.onAssignment(a),
            // The bus checkpoints the partitions in turn and commits a partition's offsets only once the
            // pipeline stored the readings and wrote the alarm state they cover.
            commit: {
              intervalMs: this.config.INGEST_COMMIT_INTERVAL_MS,
              beforeCommit: (partitions) => pipeline.checkpoint(partitions),
            },
          },
          (b) => pipeline.handleTelemetry(b),
        ),
        this.bus.subscribe(TELEMETRY_DLQ_TOPIC, { group: INGEST_GROUPS.deadLetters }, (b) =>
          pipeline.recordDeadLetters(b),
        ),
        this.bus.subscribe(HUB_STATUS_TOPIC, { group: INGEST_GROUPS.hubStatus }, (b) =>
          pipeline.recordHubStatuses(b),
        ),
        this.bus.subscribe(
          HUB_STATUS_TOPIC,
          { group: INGEST_GROUPS.hubStatusToAlarms, broadcast: true },
          (b) => pipeline.applyHubStatuses(b),
        ),
      ]);
    } catch (err) {
      await pipeline.stop();
      throw err;
    }
    this.state = 'up';
    this.logger.log(
      `consuming ${TELEMETRY_TOPIC.name}, ${TELEMETRY_DLQ_TOPIC.name}, ${HUB_STATUS_TOPIC.name}`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.state = 'stopping';
    await this.pipeline.stop();
  }
}
