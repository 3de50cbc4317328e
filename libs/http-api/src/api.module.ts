import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_FILTER } from '@nestjs/core';
import { NotificationsStoreModule } from '@coldchain/notifications';
import { AlertAckController } from './alert-ack.controller.js';
import { ColdchainErrorFilter } from './coldchain-error.filter.js';
import { ReadingsController } from './readings.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { OPERATOR_API_PROVIDERS } from './auth/auth.providers.js';
import { SessionAuthGuard } from './auth/session-auth.guard.js';
import { UsersController } from './auth/users.controller.js';
import { AuditController } from './fleet/audit.controller.js';
import { HubsController } from './fleet/hubs.controller.js';
import { ProfilesController } from './fleet/profiles.controller.js';
import { TagsController } from './fleet/tags.controller.js';
import { mountOpenApi } from './openapi.js';
import { LiveFeedHost, LiveStreamController } from './reporting/live-stream.controller.js';
import { ReportingController } from './reporting/reporting.controller.js';
import { ReportService } from './reporting/report.service.js';
import { ExportController } from './reporting/export.controller.js';
import { registerReportUpload, ReportVerifyController } from './reporting/report-verify.controller.js';
import { REPORT_SIGNER_PROVIDER } from './reporting/report-signer.provider.js';
import { AuditVerifyController } from './audit-verify.controller.js';
import { PlatformTenantsController } from './platform/platform-tenants.controller.js';
import { TenantController } from './tenant.controller.js';
import { TripsController } from './trips/trips.controller.js';
import { DashboardModule } from './dashboard/dashboard.module.js';

/** The HTTP API: the tenant-scoped operator API, acknowledgement (API, emailed link), and the platform's tenant administration. */
@Module({
  imports: [NotificationsStoreModule],
  controllers: [
    AuthController,
    UsersController,
    HubsController,
    TagsController,
    ProfilesController,
    AuditController,
    AuditVerifyController,
    ReadingsController,
    AlertAckController,
    ReportingController,
    LiveStreamController,
    TripsController,
    ExportController,
    ReportVerifyController,
    TenantController,
    PlatformTenantsController,
  ],
  providers: [
    SessionAuthGuard,
    LiveFeedHost,
    ReportService,
    REPORT_SIGNER_PROVIDER,
    ...OPERATOR_API_PROVIDERS,
    { provide: APP_FILTER, useClass: ColdchainErrorFilter },
  ],
})
export class ApiModule {
  /**
   * OpenAPI at /docs (UI) and /docs/json, built from the routes' decorators (see bootstrapApp);
   * the dashboard at / (DashboardModule).
   */
  static async configureApp(app: NestFastifyApplication): Promise<void> {
    registerReportUpload(app);
    mountOpenApi(app);
    await DashboardModule.configureApp(app);
  }
}
