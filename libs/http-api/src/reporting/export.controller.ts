import { Controller, Get, Inject, Logger, Query, Req, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Clock } from '@coldchain/domain';
import { ADMINS } from '@coldchain/identity';
import {
  type UserRepository,
  USER_REPOSITORY,
  type HubRepository,
  HUB_REPOSITORY,
  type TagRepository,
  TAG_REPOSITORY,
  type ProfileRepository,
  PROFILE_REPOSITORY,
  type TripRepository,
  TRIP_REPOSITORY,
  type AlertLogRepository,
  ALERT_LOG_REPOSITORY,
  type AuditRepository,
  AUDIT_REPOSITORY,
} from '@coldchain/metadata-store';
import { tenantExport } from '@coldchain/reporting';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import { time } from '../query-params.js';
import { parse } from '../validation.js';
import { CLOCK } from '@coldchain/config';

const exportQuery = z.strictObject({ from: time });

/** Data portability: everything the caller's tenant owns, streamed as NDJSON (owner only). */
@ApiTags('export')
@Controller('api/v1/export')
@UseGuards(SessionAuthGuard)
export class ExportController {
  private readonly log = new Logger('Export');

  constructor(
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(HUB_REPOSITORY) private readonly hubs: HubRepository,
    @Inject(TAG_REPOSITORY) private readonly tags: TagRepository,
    @Inject(PROFILE_REPOSITORY) private readonly profiles: ProfileRepository,
    @Inject(TRIP_REPOSITORY) private readonly trips: TripRepository,
    @Inject(ALERT_LOG_REPOSITORY) private readonly alerts: AlertLogRepository,
    @Inject(AUDIT_REPOSITORY) private readonly audit: AuditRepository,
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStorePort,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...ADMINS)
  @Doc({
    summary: 'Export everything the tenant owns (owner)',
    description:
      'NDJSON, one object per line with `type` first: `export` (format version), `user`, `hub`, `tag`, `profile`, ' +
      '`trip`, `alert`, `audit`, then every `reading` and `position` (from `from`, default all history). Never ' +
      'password or secret hashes. Streamed: size is not a limit. Each export is in the audit trail ' +
      '(`tenant.export`). Still available, read only, for a while after the tenant is closed.',
    query: {
      from: { schema: z.string(), description: 'ISO-8601 with zone or epoch ms; default: all history' },
    },
    ok: { description: 'application/x-ndjson' },
    errors: [400, 401, 403],
  })
  async export(@Req() req: SessionRequest, @Query() query: unknown) {
    const principal = principalOf(req);
    const { from } = parse(exportQuery, query, 'query');
    const now = this.clock.now();
    this.log.log(`tenant ${principal.tenantId} exported by ${principal.email}`);
    // Data leaving the platform is in the tenant's trail (a closed tenant's last act is usually this).
    await this.audit.recordAudit({
      tenantId: principal.tenantId,
      actorId: principal.userId,
      actorEmail: principal.email,
      action: 'tenant.export',
      objectType: 'tenant',
      objectId: principal.tenantId,
      at: now,
      detail: from === undefined ? {} : { from },
    });
    const lines = tenantExport(
      {
        users: this.users,
        hubs: this.hubs,
        tags: this.tags,
        profiles: this.profiles,
        trips: this.trips,
        alerts: this.alerts,
        audit: this.audit,
      },
      this.telemetry,
      principal.tenantId,
      { now, from },
    );
    const day = new Date(now).toISOString().slice(0, 10);
    return new StreamableFile(Readable.from(lines), {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="coldchain-export-${principal.tenantId.replace(/[^A-Za-z0-9_.-]/g, '-')}-${day}.ndjson"`,
    });
  }
}
