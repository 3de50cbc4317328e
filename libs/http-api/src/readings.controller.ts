import { Controller, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { normalizeMac } from '@coldchain/contract';
import { InvalidInputError } from '@coldchain/errors';
import { type AlertLogRepository, ALERT_LOG_REPOSITORY } from '@coldchain/metadata-store';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { SessionAuthGuard, principalOf, type SessionRequest } from './auth/session-auth.guard.js';
import { Doc } from './openapi.js';
import { READ_API_DEFAULTS, mac, pageLimit, time } from './query-params.js';
import { ReportService } from './reporting/report.service.js';
import { alertEventView, alertTransition, readingView } from './schemas.js';
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

const latestQuery = z.strictObject({
  limit: pageLimit(READ_API_DEFAULTS.latestDefaultLimit, READ_API_DEFAULTS.latestMaxLimit),
  after: mac.optional(),
});

const latestPage = z.object({
  readings: z.array(readingView),
  next: z.string().nullable().describe('the `after` of the next page; null on the last page'),
});

const tagReadings = z.object({
  tag: z.string().describe('MAC, AA:BB:CC:DD:EE:FF'),
  from: z.number().int().describe('epoch ms, inclusive'),
  to: z.number().int().describe('epoch ms, exclusive'),
  count: z.number().int(),
  readings: z.array(readingView),
});

const alertList = z.object({ alerts: z.array(alertEventView) });

const alertsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  tag: z.string().max(32).optional(),
  rule: z.string().max(64).optional(),
  transition: alertTransition.optional(),
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
    @Inject(ALERT_LOG_REPOSITORY) private readonly alertLog: AlertLogRepository,
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
    ok: { description: 'readings', schema: tagReadings },
    errors: [400, 401, 403, 404],
  })
  async readings(
    @Req() req: SessionRequest,
    @Param('mac') rawMac: string,
    @Query() query: unknown,
  ): Promise<z.infer<typeof tagReadings>> {
    const tenantId = principalOf(req).tenantId;
    // Another tenant's tag is "not found", not "forbidden": no enumeration.
    const { mac } = await this.reports.tag(tenantId, rawMac);
    const q = parse(readingsQuery, query, 'query');
    const { from, to } = this.reports.window(q);
    const readings = await this.telemetry.readings({ tenantId, tag: mac, from, to, limit: q.limit });
    return { tag: mac, from, to, count: readings.length, readings };
  }

  /**
   * The newest reading of each tag of the caller's tenant, a page at a time,
   * ordered by tag MAC: keyset paging, so a page is stable while readings
   * arrive and costs the same wherever it starts.
   */
  @Get('readings/latest')
  @Doc({
    summary: 'The newest reading of each tag of the tenant, a page at a time, by tag MAC',
    description:
      'Pass `next` of an answer as `after` to get the following page; `next` is null on the last one. ' +
      'Tags without any reading are not listed.',
    query: {
      limit: {
        schema: latestQuery.shape.limit,
        description: `readings per page, 1–${READ_API_DEFAULTS.latestMaxLimit}, default ${READ_API_DEFAULTS.latestDefaultLimit}`,
      },
      after: { schema: z.string(), description: 'a tag MAC (any spelling): start after it' },
    },
    ok: { description: 'one page', schema: latestPage },
    errors: [400, 401, 403],
  })
  async latest(@Req() req: SessionRequest, @Query() query: unknown): Promise<z.infer<typeof latestPage>> {
    const q = parse(latestQuery, query, 'query');
    // One more than the page: whether another page follows, without a trailing empty one.
    const readings = await this.telemetry.latest(principalOf(req).tenantId, {
      ...(q.after !== undefined ? { after: q.after } : {}),
      limit: q.limit + 1,
    });
    const more = readings.length > q.limit;
    if (more) readings.length = q.limit;
    return { readings, next: more ? readings[readings.length - 1].tag : null };
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
    ok: { description: 'alerts', schema: alertList },
    errors: [400, 401, 403],
  })
  async alerts(@Req() req: SessionRequest, @Query() query: unknown): Promise<z.infer<typeof alertList>> {
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
    return { alerts: await this.alertLog.listAlerts(principalOf(req).tenantId, q.limit, filter) };
  }
}
