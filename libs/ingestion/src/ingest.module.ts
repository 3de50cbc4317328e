import { Logger, Module } from '@nestjs/common';
import { type BusPort, BUS } from '@coldchain/bus';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
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
import { type ColdchainMetrics, METRICS } from '@coldchain/observability';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { AlarmStage } from './alarm-stage.js';
import { IngestPipeline } from './ingest-pipeline.js';
import { RetentionJob } from './retention.job.js';
import { DeadLetterRecorder, HubStatusRecorder } from './side-recorders.js';
import { StoreWriteBehind } from './store-write-behind.js';
import { TripDirectory } from './trip-directory.js';
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
      useFactory: (
        database: MetadataDatabase,
        trips: TripRepository,
        clock: Clock,
        config: ColdchainConfig,
      ) => new TripDirectory({ database, trips }, clock, config.METADATA_REFRESH_MS, new Logger(INGEST_LOG)),
      inject: [METADATA_DATABASE, TRIP_REPOSITORY, CLOCK, CONFIG],
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
      useFactory: (deadLetters: DeadLetterRepository) => new DeadLetterRecorder(deadLetters),
      inject: [DEAD_LETTER_REPOSITORY],
    },
    {
      provide: HubStatusRecorder,
      useFactory: (hubStatus: HubStatusRepository) => new HubStatusRecorder(hubStatus),
      inject: [HUB_STATUS_REPOSITORY],
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
