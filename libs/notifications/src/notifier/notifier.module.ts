import { Module } from '@nestjs/common';
import { AlertsConsumer } from './alerts.consumer.js';
import { NotificationsStoreModule } from './notifications-store.module.js';
import { TwilioWebhooksController } from './twilio-webhooks.controller.js';

/** Alert events in, notifications out; Twilio's webhooks in on the same process's HTTP port. */
@Module({
  imports: [NotificationsStoreModule],
  controllers: [TwilioWebhooksController],
  providers: [AlertsConsumer],
})
export class NotifierModule {}
