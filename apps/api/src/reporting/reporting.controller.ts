import { Controller, Get, Inject, Param, Query, Req, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { isValidImei, normalizeMac } from '@coldchain/contract';
import type { Clock, Profile, Tag } from '@coldchain/domain';
import { InvalidInputError, NotFoundError } from '@coldchain/errors';
import type { MetadataStorePort } from '@coldchain/metadata-store';
import {
  chooseSeriesStep,
  excursionReportPdf,
  readingPages,
  readingsCsv,
  TemperatureStatisticsAccumulator,
  type ChartPoint,
  type TemperatureBand,
} from '@coldchain/reporting';
import { CLOCK, METADATA_STORE, TELEMETRY_STORE } from '@coldchain/runtime';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';
import { NOTIFICATION_LOG, type NotificationLog } from '../../../notifier/src/notifications-store.module.js';
import { SessionAuthGuard, principalOf, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import { READ_API_DEFAULTS, time } from '../readings.controller.js';
import { parse } from '../validation.js';

/** Limits of the reporting routes, units in the names. */
export const REPORTING_DEFAULTS = {
  defaultMaxPoints: 1000,
  maxMaxPoints: 5000,
  /** An interval between two readings longer than this is a data gap in statistics, minutes. */
  defaultMaxGapMinutes: 30,
  /** Alerts scanned for a report (newest first), transitions. */
  reportAlertsScanned: 1000,
};

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

const windowDocs = {
  from: { schema: z.string(), description: 'ISO-8601 with zone or epoch ms; default: `to` − 24 h' },
  to: { schema: z.string(), description: 'ISO-8601 with zone or epoch ms; default: now' },
};

/** One chart point: a raw reading (°C, %RH), or a bucket's means with the temperature's min and max. */
export interface SeriesPoint {
  t: number;
  c?: number;
  min?: number;
  max?: number;
  humidity?: number;
}

/** The allowed temperature range of a tag: its profile's nominal band (open when it has no profile). */
function bandOf(profile: Profile | undefined): TemperatureBand {
  return profile ? { low: profile.temperature.min, high: profile.temperature.max } : {};
}

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
    @Inject(METADATA_STORE) private readonly metadata: MetadataStorePort,
    @Inject(NOTIFICATION_LOG) private readonly notifications: NotificationLog,
    @Inject(CLOCK) private readonly clock: Clock,
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
    ok: { description: 'series' },
    errors: [400, 401, 403, 404],
  })
  async series(@Req() req: SessionRequest, @Param('mac') rawMac: string, @Query() query: unknown) {
    const { tenantId, mac, band } = await this.tagContext(req, rawMac);
    const q = parse(seriesQuery, query, 'query');
    const { from, to } = this.window(q);
    const { stepMs, points } = await this.chartPoints(tenantId, mac, from, to, q.maxPoints);
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
    ok: { description: 'statistics' },
    errors: [400, 401, 403, 404],
  })
  async statistics(@Req() req: SessionRequest, @Param('mac') rawMac: string, @Query() query: unknown) {
    const { tenantId, mac, band } = await this.tagContext(req, rawMac);
    const q = parse(statisticsQuery, query, 'query');
    const { from, to } = this.window(q);
    const acc = new TemperatureStatisticsAccumulator(band, { maxGapMs: q.maxGapMinutes * 60_000 });
    for await (const page of readingPages(this.telemetry, { tenantId, tag: mac, from, to }))
      for (const r of page) acc.add(r);
    return { tag: mac, from, to, band, ...acc.result() };
  }

  @Get('tags/:mac/readings.csv')
  @Doc({
    summary: 'Readings of one tag as CSV (RFC 4180, UTC times, streamed)',
    query: windowDocs,
    ok: { description: 'text/csv' },
    errors: [400, 401, 403, 404],
  })
  async csv(@Req() req: SessionRequest, @Param('mac') rawMac: string, @Query() query: unknown) {
    const { tenantId, mac } = await this.tagContext(req, rawMac);
    const { from, to } = this.window(parse(windowQuery, query, 'query'));
    const pages = readingPages(this.telemetry, { tenantId, tag: mac, from, to });
    return new StreamableFile(Readable.from(readingsCsv(pages)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${fileName(mac, from, to)}.csv"`,
    });
  }

  @Get('tags/:mac/report.pdf')
  @Doc({
    summary: 'PDF excursion report of one tag over a window',
    description:
      'Summary with MKT, chart with the allowed band and excursions shaded, the excursions, the alert transitions ' +
      'and their acknowledgements; times in `timeZone` (IANA, default UTC).',
    query: {
      ...windowDocs,
      timeZone: { schema: z.string(), description: 'IANA time zone, e.g. Europe/Lisbon' },
    },
    ok: { description: 'application/pdf' },
    errors: [400, 401, 403, 404],
  })
  async report(@Req() req: SessionRequest, @Param('mac') rawMac: string, @Query() query: unknown) {
    const { tenantId, mac, tag, profile, band } = await this.tagContext(req, rawMac);
    const q = parse(reportQuery, query, 'query');
    const { from, to } = this.window(q);
    const acc = new TemperatureStatisticsAccumulator(band, { maxGapMs: q.maxGapMinutes * 60_000 });
    for await (const page of readingPages(this.telemetry, { tenantId, tag: mac, from, to }))
      for (const r of page) acc.add(r);
    const points: ChartPoint[] = (await this.chartPoints(tenantId, mac, from, to, 800)).points.flatMap((p) =>
      p.c === undefined ? [] : [{ t: p.t, c: p.c, min: p.min, max: p.max }],
    );
    const alerts = (await this.metadata.listAlerts(tenantId, REPORTING_DEFAULTS.reportAlertsScanned))
      .filter((a) => a.tag === mac && a.startedAt < to && (a.endedAt ?? a.emittedAt) >= from)
      .sort((a, b) => a.emittedAt - b.emittedAt);
    const acks = (
      await Promise.all([...new Set(alerts.map((a) => a.key))].map((k) => this.notifications.listAcks(k)))
    )
      .flat()
      .sort((a, b) => a.at - b.at);
    const pdf = await excursionReportPdf({
      title: `Excursion report - tag ${mac}`,
      tenantName: tenantId,
      details: [
        `Tag: ${tag.name ? `${tag.name} (${mac})` : mac}`,
        profile ? `Profile: ${profile.name}, version ${profile.version}` : 'Profile: none assigned',
      ],
      from,
      to,
      band,
      tags: [{ label: mac, statistics: acc.result(), points }],
      alerts: alerts.map((a) => ({
        at: a.transition === 'cleared' ? (a.endedAt ?? a.emittedAt) : a.startedAt,
        tag: a.tag,
        rule: a.rule,
        transition: a.transition,
        severity: a.severity,
      })),
      acknowledgements: acks.map((a) => ({ at: a.at, by: a.actor, via: a.via, comment: a.comment })),
      timeZone: q.timeZone,
      generatedAt: this.clock.now(),
    });
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="${fileName(mac, from, to)}.pdf"`,
    });
  }

  @Get('positions/latest')
  @Doc({
    summary: 'The newest position of each hub of the tenant (the live map)',
    ok: { description: 'positions' },
    errors: [401, 403],
  })
  async latestPositions(@Req() req: SessionRequest) {
    return { positions: await this.telemetry.latestPositions(principalOf(req).tenantId) };
  }

  @Get('hubs/:imei/positions')
  @Doc({
    summary: 'One hub’s positions over a window, oldest first (its trail)',
    query: windowDocs,
    ok: { description: 'positions' },
    errors: [400, 401, 403, 404],
  })
  async hubPositions(@Req() req: SessionRequest, @Param('imei') rawImei: string, @Query() query: unknown) {
    const tenantId = principalOf(req).tenantId;
    const imei = rawImei.trim();
    if (!isValidImei(imei))
      throw new InvalidInputError(`imei: "${rawImei}" is not an IMEI`, ['imei: not an IMEI']);
    if (!(await this.metadata.findHub(tenantId, imei))) throw new NotFoundError(`hub ${imei}`);
    const { from, to } = this.window(parse(windowQuery, query, 'query'));
    const positions = await this.telemetry.positions(tenantId, imei, from, to, READ_API_DEFAULTS.maxLimit);
    return { hub: imei, from, to, positions };
  }

  /** Raw readings when at most `maxPoints` fall in the window, else buckets of the smallest round step that fits. */
  private async chartPoints(
    tenantId: string,
    mac: string,
    from: number,
    to: number,
    maxPoints: number,
  ): Promise<{ stepMs: number | null; points: SeriesPoint[] }> {
    const raw = await this.telemetry.readings({ tenantId, tag: mac, from, to, limit: maxPoints + 1 });
    if (raw.length <= maxPoints)
      return { stepMs: null, points: raw.map((r) => ({ t: r.ts, c: r.temperature, humidity: r.humidity })) };
    // More readings than points: a round step (a 1 ms "sampling interval" makes the chooser always pick one).
    const stepMs = chooseSeriesStep(from, to, maxPoints, 1)!;
    const buckets = await this.telemetry.series({ tenantId, tag: mac, from, to, stepMs });
    const points = buckets.map((b) => ({
      t: b.start,
      c: b.temperature?.mean,
      min: b.temperature?.min,
      max: b.temperature?.max,
      humidity: b.humidity?.mean,
    }));
    return { stepMs, points };
  }

  /** The caller's tag (404 for another tenant's or an unknown one), its profile and allowed band. */
  private async tagContext(req: SessionRequest, rawMac: string) {
    const tenantId = principalOf(req).tenantId;
    const mac = normalizeMac(rawMac);
    if (!mac)
      throw new InvalidInputError(`mac: "${rawMac}" is not a MAC address`, ['mac: not a MAC address']);
    const tag: Tag | undefined = await this.metadata.findTag(tenantId, mac);
    if (!tag) throw new NotFoundError(`tag ${mac}`);
    const profile = tag.profileId ? await this.metadata.findProfile(tenantId, tag.profileId) : undefined;
    return { tenantId, mac, tag, profile, band: bandOf(profile) };
  }

  /** [from, to) with the read API's defaults and limits. */
  private window(q: { from?: number; to?: number }): { from: number; to: number } {
    const to = q.to ?? this.clock.now();
    const from = q.from ?? to - READ_API_DEFAULTS.defaultWindowMs;
    if (from >= to)
      throw new InvalidInputError('invalid request: from must be before to', ['from: must be before to']);
    if (to - from > READ_API_DEFAULTS.maxWindowMs)
      throw new InvalidInputError('invalid request: window longer than one year', [
        'to: window longer than one year',
      ]);
    return { from, to };
  }
}

/** `AA-BB-CC-00-00-01_20261123T0600Z_20261124T0600Z`: safe in a Content-Disposition header. */
function fileName(mac: string, from: number, to: number): string {
  const stamp = (t: number) => new Date(t).toISOString().replace(/[-:]|\.\d{3}/g, '');
  return `${mac.replace(/:/g, '-')}_${stamp(from)}_${stamp(to)}`;
}
