import { Logger, Module } from '@nestjs/common';
import { type BusPort, BUS } from '@coldchain/bus';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import {
  AlarmStage,
  DeadLetterRecorder,
  HubStatusRecorder,
  IngestPipeline,
  StoreWriteBehind,
  TripDirectory,
} from '@coldchain/ingestion';
import {
  type MetadataCache,
  type MetadataStorePort,
  METADATA_CACHE,
  METADATA_STORE,
} from '@coldchain/metadata-store';
import { type ColdchainMetrics, METRICS } from '@coldchain/observability';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { RetentionJob } from './retention.job.js';
import { TelemetryConsumer } from './telemetry.consumer.js';

/** The log context of every ingest piece. */
const INGEST_LOG = 'Ingest';

/**
 * Bus in, store and alert events out: the hot path's consumer side. The
 * {@link IngestPipeline} and its parts are built here, one factory each; the
 * {@link TelemetryConsumer} only adapts the bus to the pipeline.
 */
@Module({
  providers: [
    {
      provide: TripDirectory,
      useFactory: (metadata: MetadataStorePort, clock: Clock, config: ColdchainConfig) =>
        new TripDirectory(metadata, clock, config.METADATA_REFRESH_MS, new Logger(INGEST_LOG)),
      inject: [METADATA_STORE, CLOCK, CONFIG],
    },
    {
      provide: AlarmStage,
      useFactory: (
        bus: BusPort,
        profiles: MetadataCache,
        metrics: ColdchainMetrics,
        clock: Clock,
        trips: TripDirectory,
      ) => new AlarmStage({ bus, profiles, metrics, clock, log: new Logger(INGEST_LOG), trips }),
      inject: [BUS, METADATA_CACHE, METRICS, CLOCK, TripDirectory],
    },
    {
      provide: StoreWriteBehind,
      useFactory: (store: TelemetryStorePort, metrics: ColdchainMetrics) =>
        new StoreWriteBehind(store, metrics, new Logger(INGEST_LOG)),
      inject: [TELEMETRY_STORE, METRICS],
    },
    {
      provide: DeadLetterRecorder,
      useFactory: (metadata: MetadataStorePort) => new DeadLetterRecorder(metadata),
      inject: [METADATA_STORE],
    },
    {
      provide: HubStatusRecorder,
      useFactory: (metadata: MetadataStorePort) => new HubStatusRecorder(metadata),
      inject: [METADATA_STORE],
    },
    {
      provide: IngestPipeline,
      useFactory: (
        writer: StoreWriteBehind,
        alarms: AlarmStage,
        trips: TripDirectory,
        deadLetters: DeadLetterRecorder,
        hubStatuses: HubStatusRecorder,
        profiles: MetadataCache,
        metrics: ColdchainMetrics,
        config: ColdchainConfig,
      ) =>
        new IngestPipeline(
          { writer, alarms, trips, deadLetters, hubStatuses, profiles, metrics, log: new Logger(INGEST_LOG) },
          { tickIntervalMs: config.ALARM_TICK_INTERVAL_MS },
        ),
      inject: [
        StoreWriteBehind,
        AlarmStage,
        TripDirectory,
        DeadLetterRecorder,
        HubStatusRecorder,
        METADATA_CACHE,
        METRICS,
        CONFIG,
      ],
    },
    TelemetryConsumer,
    RetentionJob,
  ],
})
export class IngestModule {}
