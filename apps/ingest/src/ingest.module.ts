import { Module } from '@nestjs/common';
import { TelemetryConsumer } from './telemetry.consumer.js';

/** Bus in, store and alert events out: the hot path's consumer side. */
@Module({ providers: [TelemetryConsumer] })
export class IngestModule {}
