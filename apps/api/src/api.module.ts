import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BasicAuthGuard } from './basic-auth.guard.js';
import { ColdchainErrorFilter } from './coldchain-error.filter.js';
import { ReadingsController } from './readings.controller.js';

/** The HTTP API: the tenant-scoped read API. */
@Module({
  controllers: [ReadingsController],
  providers: [BasicAuthGuard, { provide: APP_FILTER, useClass: ColdchainErrorFilter }],
})
export class ApiModule {}
