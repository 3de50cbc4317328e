import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type BusPort, type Subscription, BUS } from '@coldchain/bus';
import { HUB_STATUS_TOPIC, TELEMETRY_DLQ_TOPIC, TELEMETRY_TOPIC } from '@coldchain/contract';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { AlarmStage } from './alarm-stage.js';
import { DeadLetterRecorder, HubStatusRecorder } from './side-recorders.js';
import { StoreWriteBehind } from './store-write-behind.js';
import { INGESTION_DEFAULTS, TelemetryIngestor } from './telemetry-ingestor.js';
import { TripDirectory } from './trip-directory.js';
import {
  type DeadLetterRepository,
  type HubStatusRepository,
  type MetadataCache,
  type MetadataDatabase,
  type TripRepository,
  DEAD_LETTER_REPOSITORY,
  HUB_STATUS_REPOSITORY,
  METADATA_CACHE,
  METADATA_DATABASE,
  TRIP_REPOSITORY,
} from '@coldchain/metadata-store';
import {
  type ColdchainMetrics,
  type ComponentState,
  type HealthRegistry,
  HEALTH,
  METRICS,
} from '@coldchain/observability';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';

/** Consumer groups of the ingest app. Instances of one group split the partitions. */
export const INGEST_GROUPS = {
  telemetry: 'coldchain-ingest',
  deadLetters: 'coldchain-dlq-recorder',
  hubStatus: 'coldchain-hub-status',
  /** Broadcast: every ingest instance feeds every hub's status to its alarm engines. */
  hubStatusToAlarms: 'coldchain-ingest-hub-alarms',
} as const;

/**
 * Subscribes the ingest use cases to the bus. The subscriptions stay open
 * through onModuleDestroy so that the bus can drain into them at shutdown;
 * CoreModule closes the bus after.
 */
@Injectable()
export class TelemetryConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Ingest');
  private subscriptions: Subscription[] = [];
  private state: ComponentState = 'starting';
  private readonly ingestor: TelemetryIngestor;
  private readonly alarms: AlarmStage;
  /** The trip lookup of the alarm engines (public for tests that create trips and must not wait for a refresh). */
  readonly trips: TripDirectory;
  private tickTimer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(TELEMETRY_STORE) store: TelemetryStorePort,
    @Inject(METADATA_DATABASE) database: MetadataDatabase,
    @Inject(TRIP_REPOSITORY) trips: TripRepository,
    @Inject(DEAD_LETTER_REPOSITORY) private readonly deadLetters: DeadLetterRepository,
    @Inject(HUB_STATUS_REPOSITORY) private readonly hubStatus: HubStatusRepository,
    @Inject(METADATA_CACHE) cache: MetadataCache,
    @Inject(METRICS) metrics: ColdchainMetrics,
    @Inject(CLOCK) clock: Clock,
    @Inject(HEALTH) health: HealthRegistry,
    @Inject(CONFIG) private readonly config: ColdchainConfig,
  ) {
    this.trips = new TripDirectory({ database, trips }, clock, config.METADATA_REFRESH_MS, this.logger);
    this.alarms = new AlarmStage({
      bus,
      profiles: cache,
      metrics,
      clock,
      log: this.logger,
      trips: this.trips,
    });
    this.ingestor = new TelemetryIngestor(
      new StoreWriteBehind(store, metrics, this.logger),
      this.alarms,
      cache,
      metrics,
    );
    health.register('ingest', () => this.state);
  }

  async onModuleInit(): Promise<void> {
    const deadLetters = new DeadLetterRecorder(this.deadLetters);
    const hubStatus = new HubStatusRecorder(this.hubStatus);
    await this.trips.start(); // trip-scoped rules and budgets need the trips before the first batch
    this.subscriptions = await Promise.all([
      this.bus.subscribe(
        TELEMETRY_TOPIC,
        {
          group: INGEST_GROUPS.telemetry,
          partitionsConcurrently: INGESTION_DEFAULTS.partitionsConcurrently,
          maxBatchRecords: INGESTION_DEFAULTS.maxBatchRecords,
          fetch: INGESTION_DEFAULTS.fetch,
          onAssignment: (a) => this.alarms.onAssignment(a),
          // The readings handed to the write-behind are stored, and the alarm state written, per
          // checkpoint, before the offsets they cover are committed. The bus checkpoints the
          // partitions in turn; the store flush waits for every partition's readings (it writes
          // continuously, so waiting costs no burst), the state write is the partition's own.
          commit: {
            intervalMs: this.config.INGEST_COMMIT_INTERVAL_MS,
            beforeCommit: async (partitions) => {
              const [stored, state] = await Promise.allSettled([
                this.ingestor.flush(),
                this.alarms.checkpoint(partitions),
              ]);
              if (stored.status === 'rejected') throw stored.reason;
              if (state.status === 'rejected') throw state.reason;
            },
          },
        },
        (b) => this.ingestor.handleBatch(b),
      ),
      this.bus.subscribe(TELEMETRY_DLQ_TOPIC, { group: INGEST_GROUPS.deadLetters }, (b) =>
        deadLetters.handleBatch(b),
      ),
      this.bus.subscribe(HUB_STATUS_TOPIC, { group: INGEST_GROUPS.hubStatus }, (b) =>
        hubStatus.handleBatch(b),
      ),
      this.bus.subscribe(HUB_STATUS_TOPIC, { group: INGEST_GROUPS.hubStatusToAlarms, broadcast: true }, (b) =>
        this.alarms.onHubStatus(b.values),
      ),
    ]);
    this.tickTimer = setInterval(() => void this.tick(), this.config.ALARM_TICK_INTERVAL_MS);
    this.state = 'up';
    this.logger.log(
      `consuming ${TELEMETRY_TOPIC.name}, ${TELEMETRY_DLQ_TOPIC.name}, ${HUB_STATUS_TOPIC.name}`,
    );
  }

  /** One alarm tick at a time; a failure (bus away) is retried by the next tick, which re-derives the same keys. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.alarms.tick();
    } catch (err) {
      this.logger.warn(`alarm tick failed, next one retries: ${String(err)}`);
    } finally {
      this.ticking = false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.state = 'stopping';
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.trips.stop();
    await this.alarms.flush();
  }
}
