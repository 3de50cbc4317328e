import { Module } from '@nestjs/common';
import { AlertsConsumer } from './alerts.consumer.js';

/** Alert events in, notifications out. */
@Module({ providers: [AlertsConsumer] })
export class NotifierModule {}
