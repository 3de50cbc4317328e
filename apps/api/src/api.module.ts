import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BasicAuthGuard } from './basic-auth.guard.js';
import { ColdchainErrorFilter } from './coldchain-error.filter.js';
import { OpsController } from './ops.controller.js';
import { ReadingsController } from './readings.controller.js';

/** The HTTP API: operations endpoints and the tenant-scoped read API. */
@Module({
  controllers: [OpsController, ReadingsController],
  providers: [BasicAuthGuard, { provide: APP_FILTER, useClass: ColdchainErrorFilter }],
})
export class ApiModule {}
