import { Module } from '@nestjs/common';
import { RetentionJob } from './retention.job.js';
import { TelemetryConsumer } from './telemetry.consumer.js';

/** Bus in, store and alert events out: the hot path's consumer side. */
@Module({ providers: [TelemetryConsumer, RetentionJob] })
export class IngestModule {}
