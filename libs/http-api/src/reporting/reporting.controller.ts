import { Controller, Get, Inject, Param, Query, Req, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { isValidImei } from '@coldchain/contract';
import { InvalidInputError, NotFoundError } from '@coldchain/errors';
import { type HubRepository, HUB_REPOSITORY } from '@coldchain/metadata-store';
import { readingPages, readingsCsv } from '@coldchain/reporting';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { SessionAuthGuard, principalOf, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import { READ_API_DEFAULTS, time } from '../query-params.js';
import { bandView, seriesPointView, statisticsView, storedPositionView } from '../schemas.js';
import { parse } from '../validation.js';
import { REPORTING_DEFAULTS, reportFileName, ReportService } from './report.service.js';

const windowQuery = z.object({ from: time, to: time });
const seriesQuery = windowQuery.extend({
  maxPoints: z.coerce
    .number()
    .int()
    .min(10)
    .max(REPORTING_DEFAULTS.maxMaxPoints)
    .default(REPORTING_DEFAULTS.defaultMaxPoints),
});
const statisticsQuery = windowQuery.extend({
  maxGapMinutes: z.coerce.number().int().min(1).max(1440).default(REPORTING_DEFAULTS.defaultMaxGapMinutes),
});
const reportQuery = statisticsQuery.extend({
  timeZone: z.string().max(64).optional(),
});

/** The window an answer covers, epoch ms: [from, to). */
const windowView = { from: z.number().int().describe('epoch ms'), to: z.number().int().describe('epoch ms') };
const seriesView = z.object({
  tag: z.string().describe('MAC'),
  ...windowView,
  stepMs: z.number().int().nullable().describe('bucket width, ms; null for raw readings'),
  band: bandView,
  points: z.array(seriesPointView),
});
const tagStatisticsView = statisticsView.extend({
  tag: z.string().describe('MAC'),
  ...windowView,
  band: bandView,
});
const latestPositionsView = z.object({ positions: z.array(storedPositionView) });
const hubTrailView = z.object({
  hub: z.string().describe('IMEI'),
  ...windowView,
  positions: z.array(storedPositionView),
});

const windowDocs = {
  from: { schema: z.string(), description: 'ISO-8601 with zone or epoch ms; default: `to` − 24 h' },
  to: { schema: z.string(), description: 'ISO-8601 with zone or epoch ms; default: now' },
};

/**
 * Charts, statistics, exports and reports of the caller's tenant, computed
 * from stored history (so they hold whatever happened to the live engine).
 * Every route resolves the tag or hub within the caller's tenant first:
 * another tenant's device is 404.
 */
@ApiTags('reports')
@Controller('api/v1')
@UseGuards(SessionAuthGuard)
export class ReportingController {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStorePort,
    @Inject(HUB_REPOSITORY) private readonly hubs: HubRepository,
    @Inject(ReportService) private readonly reports: ReportService,
  ) {}

  @Get('tags/:mac/series')
  @Doc({
    summary: 'Chart data of one tag: raw readings, or buckets for long ranges',
    description:
      'Raw readings when at most `maxPoints` fall in the window (`stepMs` null), else buckets of a round step ' +
      '(InfluxQL GROUP BY time) with mean, min and max. `band` is the profile’s allowed temperature range.',
    query: {
      ...windowDocs,
      maxPoints: { schema: seriesQuery.shape.maxPoints, description: '10–5000, default 1000' },
    },
    ok: { description: 'series', schema: seriesView },
    errors: [400, 401, 403, 404],
  })
  async series(
    @Req() req: SessionRequest,
    @Param('mac') rawMac: string,
    @Query() query: unknown,
  ): Promise<z.infer<typeof seriesView>> {
    const tenantId = principalOf(req).tenantId;
    const { mac, band } = await this.reports.tag(tenantId, rawMac);
    const q = parse(seriesQuery, query, 'query');
    const { from, to } = this.reports.window(q);
    const { stepMs, points } = await this.reports.chartPoints(tenantId, mac, from, to, q.maxPoints);
    return { tag: mac, from, to, stepMs, band, points };
  }

  @Get('tags/:mac/statistics')
  @Doc({
    summary: 'Temperature statistics of one tag over a window',
    description:
      'min, max, mean, mean kinetic temperature (ΔH/R = 10,000 K), time in, above and below the profile’s range ' +
      '(sample-and-hold; intervals longer than `maxGapMinutes` count as gaps), and each excursion with its peak.',
    query: {
      ...windowDocs,
      maxGapMinutes: { schema: statisticsQuery.shape.maxGapMinutes, description: '1–1440, default 30' },
    },
    ok: { description: 'statistics', schema: tagStatisticsView },
    errors: [400, 401, 403, 404],
  })
  async statistics(
    @Req() req: SessionRequest,
    @Param('mac') rawMac: string,
    @Query() query: unknown,
  ): Promise<z.infer<typeof tagStatisticsView>> {
    const tenantId = principalOf(req).tenantId;
    const { mac, band } = await this.reports.tag(tenantId, rawMac);
    const q = parse(statisticsQuery, query, 'query');
    const { from, to } = this.reports.window(q);
    const stats = await this.reports.statistics(tenantId, mac, band, from, to, q.maxGapMinutes * 60_000);
    return { tag: mac, from, to, band, ...stats };
  }

  @Get('tags/:mac/readings.csv')
  @Doc({
    summary: 'Readings of one tag as CSV (RFC 4180, UTC times, streamed)',
    query: windowDocs,
    ok: { description: 'text/csv' },
    errors: [400, 401, 403, 404],
  })
  async csv(@Req() req: SessionRequest, @Param('mac') rawMac: string, @Query() query: unknown) {
    const tenantId = principalOf(req).tenantId;
    const { mac } = await this.reports.tag(tenantId, rawMac);
    const { from, to } = this.reports.window(parse(windowQuery, query, 'query'));
    const pages = readingPages(this.telemetry, { tenantId, tag: mac, from, to });
    return new StreamableFile(Readable.from(readingsCsv(pages)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${reportFileName(mac, from, to)}.csv"`,
    });
  }

  @Get('tags/:mac/report.pdf')
  @Doc({
    summary: 'PDF excursion report of one tag over a window',
    description:
      'Summary with MKT, chart with the allowed band and excursions shaded, the excursions, the alert transitions ' +
      'and their acknowledgements; times in `timeZone` (IANA, default UTC). Signed: its SHA-256 and an Ed25519 ' +
      'signature sit in the PDF metadata (check it with POST /api/v1/reports/verify); each download is in the ' +
      'audit trail (`report.download`, with that SHA-256).',
    query: {
      ...windowDocs,
      timeZone: { schema: z.string(), description: 'IANA time zone, e.g. Europe/Lisbon' },
    },
    ok: { description: 'application/pdf' },
    errors: [400, 401, 403, 404],
  })
  async report(@Req() req: SessionRequest, @Param('mac') rawMac: string, @Query() query: unknown) {
    const principal = principalOf(req);
    const tenantId = principal.tenantId;
    const { mac, tag, profile, band } = await this.reports.tag(tenantId, rawMac);
    const q = parse(reportQuery, query, 'query');
    const { from, to } = this.reports.window(q);
    const section = await this.reports.reportedTag(
      tenantId,
      mac,
      mac,
      band,
      from,
      to,
      q.maxGapMinutes * 60_000,
    );
    const pdf = await this.reports.pdf({
      tenantId,
      downloadedBy: principal,
      subject: { type: 'tag', id: mac },
      title: `Excursion report - tag ${mac}`,
      details: [
        `Tag: ${tag.name ? `${tag.name} (${mac})` : mac}`,
        profile ? `Profile: ${profile.name}, version ${profile.version}` : 'Profile: none assigned',
      ],
      macs: [mac],
      band,
      tags: [section],
      from,
      to,
      timeZone: q.timeZone,
    });
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="${reportFileName(mac, from, to)}.pdf"`,
    });
  }

  @Get('positions/latest')
  @Doc({
    summary: 'The newest position of each hub of the tenant (the live map)',
    ok: { description: 'positions', schema: latestPositionsView },
    errors: [401, 403],
  })
  async latestPositions(@Req() req: SessionRequest): Promise<z.infer<typeof latestPositionsView>> {
    return { positions: await this.telemetry.latestPositions(principalOf(req).tenantId) };
  }

  @Get('hubs/:imei/positions')
  @Doc({
    summary: 'One hub’s positions over a window, oldest first (its trail)',
    query: windowDocs,
    ok: { description: 'positions', schema: hubTrailView },
    errors: [400, 401, 403, 404],
  })
  async hubPositions(
    @Req() req: SessionRequest,
    @Param('imei') rawImei: string,
    @Query() query: unknown,
  ): Promise<z.infer<typeof hubTrailView>> {
    const tenantId = principalOf(req).tenantId;
    const imei = rawImei.trim();
    if (!isValidImei(imei))
      throw new InvalidInputError(`imei: "${rawImei}" is not an IMEI`, ['imei: not an IMEI']);
    if (!(await this.hubs.findHub(tenantId, imei))) throw new NotFoundError(`hub ${imei}`);
    const { from, to } = this.reports.window(parse(windowQuery, query, 'query'));
    const positions = await this.telemetry.positions(tenantId, imei, from, to, READ_API_DEFAULTS.maxLimit);
    return { hub: imei, from, to, positions };
  }
}
