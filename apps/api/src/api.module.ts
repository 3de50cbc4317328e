import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { NotificationsStoreModule } from '../../notifier/src/notifications-store.module.js';
import { AlertAckController } from './alert-ack.controller.js';
import { BasicAuthGuard } from './basic-auth.guard.js';
import { ColdchainErrorFilter } from './coldchain-error.filter.js';
import { ReadingsController } from './readings.controller.js';

/** The HTTP API: the tenant-scoped read API, and acknowledgement (API, emailed link). */
@Module({
  imports: [NotificationsStoreModule],
  controllers: [ReadingsController, AlertAckController],
  providers: [BasicAuthGuard, { provide: APP_FILTER, useClass: ColdchainErrorFilter }],
})
export class ApiModule {}
