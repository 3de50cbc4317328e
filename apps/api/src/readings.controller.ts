import { Controller, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { normalizeMac } from '@coldchain/contract';
import { InvalidInputError } from '@coldchain/errors';
import type { MetadataStorePort } from '@coldchain/metadata-store';
import { METADATA_STORE, TELEMETRY_STORE } from '@coldchain/runtime';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';
import { SessionAuthGuard, principalOf, type SessionRequest } from './auth/session-auth.guard.js';
import { Doc } from './openapi.js';
import { READ_API_DEFAULTS, time } from './query-params.js';
import { ReportService } from './reporting/report.service.js';
import { parse } from './validation.js';

const readingsQuery = z.object({
  from: time,
  to: time,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(READ_API_DEFAULTS.maxLimit)
    .default(READ_API_DEFAULTS.defaultLimit),
});

const alertsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  tag: z.string().max(32).optional(),
  rule: z.string().max(64).optional(),
  transition: z.enum(['raised', 'escalated', 'downgraded', 'reminder', 'cleared']).optional(),
  from: time,
  to: time,
});

/** Read access to a tenant's telemetry: every query is scoped by the caller's tenant. */
@ApiTags('readings')
@Controller('api/v1')
@UseGuards(SessionAuthGuard)
export class ReadingsController {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStorePort,
    @Inject(METADATA_STORE) private readonly metadata: MetadataStorePort,
    @Inject(ReportService) private readonly reports: ReportService,
  ) {}

  /** Readings of one tag, oldest first. `from`/`to`: ISO-8601 or epoch ms (default: the last 24 h). */
  @Get('tags/:mac/readings')
  @Doc({
    summary: 'Readings of one tag, oldest first',
    query: {
      from: { schema: z.string(), description: 'ISO-8601 with zone or epoch ms; default: `to` − 24 h' },
      to: { schema: z.string(), description: 'ISO-8601 with zone or epoch ms; default: now' },
      limit: { schema: readingsQuery.shape.limit, description: `1–${READ_API_DEFAULTS.maxLimit}` },
    },
    ok: { description: 'readings' },
    errors: [400, 401, 403, 404],
  })
  async readings(@Req() req: SessionRequest, @Param('mac') rawMac: string, @Query() query: unknown) {
    const tenantId = principalOf(req).tenantId;
    // Another tenant's tag is "not found", not "forbidden": no enumeration.
    const { mac } = await this.reports.tag(tenantId, rawMac);
    const q = parse(readingsQuery, query, 'query');
    const { from, to } = this.reports.window(q);
    const readings = await this.telemetry.readings({ tenantId, tag: mac, from, to, limit: q.limit });
    return { tag: mac, from, to, count: readings.length, readings };
  }

  /** The newest reading of every tag of the caller's tenant. */
  @Get('readings/latest')
  @Doc({
    summary: 'The newest reading of every tag of the tenant',
    ok: { description: 'readings' },
    errors: [401, 403],
  })
  async latest(@Req() req: SessionRequest) {
    return { readings: await this.telemetry.latest(principalOf(req).tenantId) };
  }

  /** The tenant's alert transitions, newest first. */
  @Get('alerts')
  @Doc({
    summary: 'The tenant’s alert transitions, newest first',
    query: {
      limit: { schema: alertsQuery.shape.limit, description: '1–1000, default 100' },
      tag: { schema: z.string(), description: 'one tag, any MAC spelling' },
      rule: { schema: z.string(), description: 'e.g. temperature.high' },
      transition: {
        schema: alertsQuery.shape.transition,
        description: 'raised, escalated, downgraded, reminder, cleared',
      },
      from: { schema: z.string(), description: 'emitted at or after (ISO-8601 with zone or epoch ms)' },
      to: { schema: z.string(), description: 'emitted before' },
    },
    ok: { description: 'alerts' },
    errors: [400, 401, 403],
  })
  async alerts(@Req() req: SessionRequest, @Query() query: unknown) {
    const q = parse(alertsQuery, query, 'query');
    let tag: string | undefined;
    if (q.tag !== undefined) {
      tag = normalizeMac(q.tag);
      if (!tag)
        throw new InvalidInputError(`tag: "${q.tag}" is not a MAC address`, ['tag: not a MAC address']);
    }
    const filter = {
      ...(tag ? { tag } : {}),
      ...(q.rule ? { rule: q.rule } : {}),
      ...(q.transition ? { transition: q.transition } : {}),
      ...(q.from !== undefined ? { since: q.from } : {}),
      ...(q.to !== undefined ? { until: q.to } : {}),
    };
    return { alerts: await this.metadata.listAlerts(principalOf(req).tenantId, q.limit, filter) };
  }
}
