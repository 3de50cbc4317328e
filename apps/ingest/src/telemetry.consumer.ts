import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  HUB_STATUS_TOPIC,
  TELEMETRY_DLQ_TOPIC,
  TELEMETRY_TOPIC,
  type BusPort,
  type Subscription,
} from '@coldchain/bus';
import { SimpleRangeEvaluator, type Clock } from '@coldchain/domain';
import { DeadLetterRecorder, HubStatusRecorder, TelemetryIngestor } from '@coldchain/ingestion';
import type { MetadataCache, MetadataStorePort } from '@coldchain/metadata-store';
import type { ColdchainMetrics, ComponentState, HealthRegistry } from '@coldchain/observability';
import {
  BUS,
  CLOCK,
  HEALTH,
  METADATA_CACHE,
  METADATA_STORE,
  METRICS,
  TELEMETRY_STORE,
} from '@coldchain/runtime';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';

/** Consumer groups of the ingest app. Instances of one group split the partitions. */
export const INGEST_GROUPS = {
  telemetry: 'coldchain-ingest',
  deadLetters: 'coldchain-dlq-recorder',
  hubStatus: 'coldchain-hub-status',
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

  constructor(
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(TELEMETRY_STORE) store: TelemetryStorePort,
    @Inject(METADATA_STORE) private readonly metadata: MetadataStorePort,
    @Inject(METADATA_CACHE) cache: MetadataCache,
    @Inject(METRICS) metrics: ColdchainMetrics,
    @Inject(CLOCK) clock: Clock,
    @Inject(HEALTH) health: HealthRegistry,
  ) {
    this.ingestor = new TelemetryIngestor(store, bus, new SimpleRangeEvaluator(), cache, metrics, clock);
    health.register('ingest', () => this.state);
  }

  async onModuleInit(): Promise<void> {
    const deadLetters = new DeadLetterRecorder(this.metadata);
    const hubStatus = new HubStatusRecorder(this.metadata);
    this.subscriptions = await Promise.all([
      this.bus.subscribe(TELEMETRY_TOPIC, { group: INGEST_GROUPS.telemetry }, (b) =>
        this.ingestor.handleBatch(b),
      ),
      this.bus.subscribe(TELEMETRY_DLQ_TOPIC, { group: INGEST_GROUPS.deadLetters }, (b) =>
        deadLetters.handleBatch(b),
      ),
      this.bus.subscribe(HUB_STATUS_TOPIC, { group: INGEST_GROUPS.hubStatus }, (b) =>
        hubStatus.handleBatch(b),
      ),
    ]);
    this.state = 'up';
    this.logger.log(
      `consuming ${TELEMETRY_TOPIC.name}, ${TELEMETRY_DLQ_TOPIC.name}, ${HUB_STATUS_TOPIC.name}`,
    );
  }

  onModuleDestroy(): void {
    this.state = 'stopping';
  }
}
