import { Module, type DynamicModule } from '@nestjs/common';
import { AlertEventsController, AlertsConsumer } from './alerts.consumer.js';
import { NotificationsStoreModule } from './notifications-store.module.js';
import { notifierProviders, type NotifierModuleOptions } from './notifier.providers.js';
import { TwilioWebhooksController } from './twilio-webhooks.controller.js';

/**
 * Alert events in, notifications out; Twilio's webhooks in on the same
 * process's HTTP port. Needs the bus and the metadata store (their modules
 * imported by the app's composition).
 */
@Module({})
export class NotifierModule {
  static forRoot(options: NotifierModuleOptions = {}): DynamicModule {
    return {
      module: NotifierModule,
      imports: [NotificationsStoreModule],
      controllers: [TwilioWebhooksController, AlertEventsController],
      providers: [...notifierProviders(options), AlertsConsumer],
    };
  }
}
