import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Req,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { tripStatus, type Trip } from '@coldchain/domain';
import { ConflictError } from '@coldchain/errors';
import { TRIP_LIMITS, TripsService } from '@coldchain/fleet';
import { FLEET_WRITERS } from '@coldchain/identity';
import type { TemperatureBand } from '@coldchain/reporting';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import { REPORTING_DEFAULTS, ReportService, reportFileName } from '../reporting/report.service.js';
import { auditEntry, historyQuery, listOf } from '../schemas.js';
import { parse } from '../validation.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const createTripBody = z.strictObject({
  name: text(120),
  origin: text(200).optional(),
  destination: text(200).optional(),
  tags: z.array(z.string().max(32)).min(1).max(TRIP_LIMITS.maxTags).describe('tag MACs, any common spelling'),
  hubs: z.array(z.string().max(20)).max(TRIP_LIMITS.maxHubs).optional().describe('hub IMEIs'),
});
const updateTripBody = z
  .strictObject({
    name: text(120).optional(),
    origin: text(200).nullable().optional(),
    destination: text(200).nullable().optional(),
    tags: createTripBody.shape.tags.optional(),
    hubs: z.array(z.string().max(20)).max(TRIP_LIMITS.maxHubs).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one field');
const tripView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['planned', 'in_progress', 'completed']),
  origin: z.string().optional(),
  destination: z.string().optional(),
  tags: z.array(z.string()),
  hubs: z.array(z.string()),
  startedAt: z.number().int().optional().describe('epoch ms'),
  endedAt: z.number().int().optional().describe('epoch ms'),
  createdAt: z.number().int().describe('epoch ms'),
});
const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
const reportQuery = z.strictObject({
  maxGapMinutes: z.coerce.number().int().min(1).max(1440).default(REPORTING_DEFAULTS.defaultMaxGapMinutes),
  timeZone: z.string().max(64).optional(),
});

/** A trip as the API shows it: with its status, without its tenant. */
function view(t: Trip): z.infer<typeof tripView> {
  const { tenantId: _tenant, ...rest } = t;
  return { ...rest, status: tripStatus(t) };
}

/**
 * Trips (shipments) of the tenant: plan, start, stop, and per-trip statistics
 * and PDF report over [start, stop) (or until now while under way). Thin over
 * TripsService; another tenant's trip is 404.
 */
@ApiTags('trips')
@Controller('api/v1/trips')
@UseGuards(SessionAuthGuard)
export class TripsController {
  constructor(
    @Inject(TripsService) private readonly trips: TripsService,
    @Inject(ReportService) private readonly reports: ReportService,
  ) {}

  @Get()
  @Doc({
    summary: 'List trips, newest first',
    query: { limit: { schema: listQuery.shape.limit, description: '1–1000, default 100' } },
    ok: { description: 'trips', schema: listOf('trips', tripView) },
    errors: [400, 401, 403],
  })
  async list(@Req() req: SessionRequest, @Query() query: unknown) {
    const { limit } = parse(listQuery, query, 'query');
    return { trips: (await this.trips.list(principalOf(req), limit)).map(view) };
  }

  @Post()
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Plan a trip with the tenant’s tags and hubs (owner, operator)',
    body: createTripBody,
    ok: { status: 201, description: 'planned', schema: tripView },
    errors: [400, 401, 403],
  })
  async create(@Req() req: SessionRequest, @Body() body: unknown) {
    return view(await this.trips.create(principalOf(req), parse(createTripBody, body)));
  }

  @Get(':id')
  @Doc({ summary: 'One trip', ok: { description: 'the trip', schema: tripView }, errors: [401, 403, 404] })
  async get(@Req() req: SessionRequest, @Param('id') id: string) {
    return view(await this.trips.get(principalOf(req), id));
  }

  @Patch(':id')
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Edit a trip that is not completed (owner, operator)',
    description: '`origin: null` / `destination: null` clear them. A completed trip is history: 409.',
    body: updateTripBody,
    ok: { description: 'updated', schema: tripView },
    errors: [400, 401, 403, 404, 409],
  })
  async update(@Req() req: SessionRequest, @Param('id') id: string, @Body() body: unknown) {
    return view(await this.trips.update(principalOf(req), id, parse(updateTripBody, body)));
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Start a planned trip now (owner, operator)',
    description: 'A tag rides in one trip in progress at a time: 409 names the clash.',
    ok: { description: 'started', schema: tripView },
    errors: [401, 403, 404, 409],
  })
  async start(@Req() req: SessionRequest, @Param('id') id: string) {
    return view(await this.trips.start(principalOf(req), id));
  }

  @Post(':id/stop')
  @HttpCode(200)
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Stop a trip in progress now (owner, operator)',
    ok: { description: 'completed', schema: tripView },
    errors: [401, 403, 404, 409],
  })
  async stop(@Req() req: SessionRequest, @Param('id') id: string) {
    return view(await this.trips.stop(principalOf(req), id));
  }

  @Get(':id/history')
  @Doc({
    summary: 'Audit trail of one trip',
    query: { limit: { schema: historyQuery.shape.limit, description: '1–1000, default 100' } },
    ok: { description: 'newest first', schema: listOf('entries', auditEntry) },
    errors: [400, 401, 403, 404],
  })
  async history(@Req() req: SessionRequest, @Param('id') id: string, @Query() query: unknown) {
    const { limit } = parse(historyQuery, query, 'query');
    return { entries: await this.trips.history(principalOf(req), id, limit) };
  }

  @Get(':id/statistics')
  @Doc({
    summary: 'Temperature statistics of each tag of the trip over [start, stop)',
    description: 'A planned trip has no window yet: 409. While under way, the window ends now.',
    query: { maxGapMinutes: { schema: reportQuery.shape.maxGapMinutes, description: '1–1440, default 30' } },
    ok: { description: 'per-tag statistics' },
    errors: [400, 401, 403, 404, 409],
  })
  async statistics(@Req() req: SessionRequest, @Param('id') id: string, @Query() query: unknown) {
    const tenantId = principalOf(req).tenantId;
    const q = parse(reportQuery, query, 'query');
    const { trip, from, to } = await this.tripWindow(req, id);
    const tags = [];
    for (const raw of trip.tags) {
      const { mac, band } = await this.reports.tag(tenantId, raw);
      const stats = await this.reports.statistics(tenantId, mac, band, from, to, q.maxGapMinutes * 60_000);
      tags.push({ tag: mac, band, ...stats });
    }
    return { trip: view(trip), from, to, tags };
  }

  @Get(':id/report.pdf')
  @Doc({
    summary: 'PDF excursion report of the trip: every tag, MKT, excursions, alerts, acknowledgements',
    query: { timeZone: { schema: z.string(), description: 'IANA time zone, e.g. Europe/Lisbon' } },
    ok: { description: 'application/pdf' },
    errors: [400, 401, 403, 404, 409],
  })
  async report(@Req() req: SessionRequest, @Param('id') id: string, @Query() query: unknown) {
    const tenantId = principalOf(req).tenantId;
    const q = parse(reportQuery, query, 'query');
    const { trip, from, to } = await this.tripWindow(req, id);
    const sections = [];
    const profiles = new Set<string>();
    let band: TemperatureBand = {};
    for (const raw of trip.tags) {
      const { mac, tag, profile, band: b } = await this.reports.tag(tenantId, raw);
      if (profile) profiles.add(`${profile.name} v${profile.version}`);
      band = b.low !== undefined || b.high !== undefined ? b : band; // the band drawn: the tags' (one product per trip)
      sections.push(
        await this.reports.reportedTag(tenantId, mac, tag.name || mac, b, from, to, q.maxGapMinutes * 60_000),
      );
    }
    const pdf = await this.reports.pdf({
      tenantId,
      downloadedBy: principalOf(req),
      subject: { type: 'trip', id: trip.id },
      title: `Trip report - ${trip.name}`,
      details: [
        `Status: ${tripStatus(trip).replace('_', ' ')}`,
        `From ${trip.origin ?? '-'} to ${trip.destination ?? '-'}`,
        `Tags: ${trip.tags.join(', ')}`,
        `Hubs: ${trip.hubs.join(', ') || '-'}`,
        `Profiles: ${[...profiles].join(', ') || 'none assigned'}`,
      ],
      macs: trip.tags,
      band,
      tags: sections,
      from,
      to,
      timeZone: q.timeZone,
    });
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="${reportFileName(`trip-${trip.name}`, from, to)}.pdf"`,
    });
  }

  /** The caller's trip and its window: [start, stop), or [start, now) while under way; a planned trip is 409. */
  private async tripWindow(
    req: SessionRequest,
    id: string,
  ): Promise<{ trip: Trip; from: number; to: number }> {
    const trip = await this.trips.get(principalOf(req), id);
    if (trip.startedAt === undefined)
      throw new ConflictError(`trip ${trip.name} has not started: no statistics yet`);
    // A trip stopped (or looked at) in the millisecond it started still has a non-empty window.
    const to = Math.max(trip.endedAt ?? this.reports.now(), trip.startedAt + 1);
    return { trip, ...this.reports.window({ from: trip.startedAt, to }) };
  }
}
