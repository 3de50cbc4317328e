import { Inject, Injectable } from '@nestjs/common';
import { normalizeMac } from '@coldchain/contract';
import type { Clock, Profile, Tag } from '@coldchain/domain';
import { InvalidInputError, NotFoundError } from '@coldchain/errors';
import {
  type TenantRepository,
  TENANT_REPOSITORY,
  type TagRepository,
  TAG_REPOSITORY,
  type ProfileRepository,
  PROFILE_REPOSITORY,
  type AlertLogRepository,
  ALERT_LOG_REPOSITORY,
  type AuditObjectType,
  type AuditRepository,
  AUDIT_REPOSITORY,
} from '@coldchain/metadata-store';
import {
  chooseSeriesStep,
  excursionReportPdf,
  readingPages,
  ReportSigner,
  TemperatureStatisticsAccumulator,
  type ReportedTag,
  type TemperatureBand,
  type TemperatureStatistics,
} from '@coldchain/reporting';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { NOTIFICATION_LOG, type NotificationLog } from '@coldchain/notifications';
import { READ_API_DEFAULTS } from '../query-params.js';
import { CLOCK } from '@coldchain/config';

/** Limits of the reporting routes, units in the names. */
export const REPORTING_DEFAULTS = {
  defaultMaxPoints: 1000,
  maxMaxPoints: 5000,
  /** Chart points per tag in a PDF. */
  pdfPoints: 800,
  /** An interval between two readings longer than this is a data gap in statistics, minutes. */
  defaultMaxGapMinutes: 30,
  /** Alerts scanned per tag for a report (newest first), transitions. */
  reportAlertsScanned: 1000,
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
export function bandOf(profile: Profile | undefined): TemperatureBand {
  return profile ? { low: profile.temperature.min, high: profile.temperature.max } : {};
}

/** `AA-BB-CC-00-00-01_20261123T0600Z_20261124T0600Z`: safe in a Content-Disposition header. */
export function reportFileName(subject: string, from: number, to: number): string {
  const stamp = (t: number) => new Date(t).toISOString().replace(/[-:]|\.\d{3}/g, '');
  return `${subject.replace(/[^A-Za-z0-9_.-]/g, '-')}_${stamp(from)}_${stamp(to)}`;
}

/**
 * What the tag and trip reporting routes share, computed from stored history:
 * tag resolution within a tenant, windows, chart points, statistics, and the
 * PDF with its alerts and acknowledgements. Thin over @coldchain/reporting.
 */
@Injectable()
export class ReportService {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStorePort,
    @Inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @Inject(TAG_REPOSITORY) private readonly tags: TagRepository,
    @Inject(PROFILE_REPOSITORY) private readonly profiles: ProfileRepository,
    @Inject(ALERT_LOG_REPOSITORY) private readonly alerts: AlertLogRepository,
    @Inject(NOTIFICATION_LOG) private readonly notifications: NotificationLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ReportSigner) private readonly signer: ReportSigner,
    @Inject(AUDIT_REPOSITORY) private readonly audit: Pick<AuditRepository, 'recordAudit'>,
  ) {}

  /** The tenant's tag (NotFoundError for another tenant's or an unknown one), its profile and allowed band. */
  async tag(
    tenantId: string,
    rawMac: string,
  ): Promise<{ mac: string; tag: Tag; profile?: Profile; band: TemperatureBand }> {
    const mac = normalizeMac(rawMac);
    if (!mac)
      throw new InvalidInputError(`mac: "${rawMac}" is not a MAC address`, ['mac: not a MAC address']);
    const tag = await this.tags.findTag(tenantId, mac);
    if (!tag) throw new NotFoundError(`tag ${mac}`);
    const profile = tag.profileId ? await this.profiles.findProfile(tenantId, tag.profileId) : undefined;
    return { mac, tag, profile, band: bandOf(profile) };
  }

  /** Processing time now, epoch ms (the injected clock). */
  now(): number {
    return this.clock.now();
  }

  /** [from, to) with the read API's defaults (the last 24 h) and limits (one year). */
  window(q: { from?: number; to?: number }): { from: number; to: number } {
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

  /** Raw readings when at most `maxPoints` fall in the window, else buckets of the smallest round step that fits. */
  async chartPoints(
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

  /** Temperature statistics of one tag over [from, to), read page by page. */
  async statistics(
    tenantId: string,
    mac: string,
    band: TemperatureBand,
    from: number,
    to: number,
    maxGapMs: number,
  ): Promise<TemperatureStatistics> {
    const acc = new TemperatureStatisticsAccumulator(band, { maxGapMs });
    for await (const page of readingPages(this.telemetry, { tenantId, tag: mac, from, to }))
      for (const r of page) acc.add(r);
    return acc.result();
  }

  /** One tag's section of a PDF: statistics and chart points over the window. */
  async reportedTag(
    tenantId: string,
    mac: string,
    label: string,
    band: TemperatureBand,
    from: number,
    to: number,
    maxGapMs: number,
  ): Promise<ReportedTag> {
    const statistics = await this.statistics(tenantId, mac, band, from, to, maxGapMs);
    const { points } = await this.chartPoints(tenantId, mac, from, to, REPORTING_DEFAULTS.pdfPoints);
    return {
      label,
      statistics,
      points: points.flatMap((p) => (p.c === undefined ? [] : [{ t: p.t, c: p.c, min: p.min, max: p.max }])),
    };
  }

  /** The PDF excursion report of some tags over a window, with their alert transitions and acknowledgements. */
  /**
   * The signed PDF report (SHA-256 and Ed25519 signature in its metadata,
   * see @coldchain/reporting's report-signature), its download recorded in
   * the tenant's audit trail with that hash before any byte is sent.
   */
  async pdf(input: {
    tenantId: string;
    /** Who downloads it: the audit entry's actor. */
    downloadedBy: { userId: string; email: string };
    /** What it reports on: the audit entry's object. */
    subject: { type: AuditObjectType; id: string };
    title: string;
    details: string[];
    macs: readonly string[];
    band: TemperatureBand;
    tags: ReportedTag[];
    from: number;
    to: number;
    timeZone?: string;
  }): Promise<Buffer> {
    const { tenantId, from, to } = input;
    // Per tag, filtered by the store, so another tag's alert storm cannot push these out of the scan:
    // the transitions emitted from the window's start whose condition began before its end.
    const perTag = await Promise.all(
      input.macs.map((tag) =>
        this.alerts.listAlerts(tenantId, REPORTING_DEFAULTS.reportAlertsScanned, { tag, since: from }),
      ),
    );
    const alerts = perTag
      .flat()
      .filter((a) => a.startedAt < to)
      .sort((a, b) => a.emittedAt - b.emittedAt);
    const keys = [...new Set(alerts.map((a) => a.key))];
    const tenant = await this.tenants.findTenant(tenantId);
    const acks = (await Promise.all(keys.map((k) => this.notifications.listAcks(k))))
      .flat()
      .sort((a, b) => a.at - b.at);
    const rendered = await excursionReportPdf({
      title: input.title,
      tenantName: tenant?.name ?? tenantId,
      details: input.details,
      from,
      to,
      band: input.band,
      tags: input.tags,
      alerts: alerts.map((a) => ({
        at: a.transition === 'cleared' ? (a.endedAt ?? a.emittedAt) : a.startedAt,
        tag: a.tag,
        rule: a.rule,
        transition: a.transition,
        severity: a.severity,
      })),
      acknowledgements: acks.map((a) => ({ at: a.at, by: a.actor, via: a.via, comment: a.comment })),
      // The caller's choice, else the tenant's report time zone, else UTC.
      timeZone: input.timeZone ?? tenant?.timeZone,
      generatedAt: this.clock.now(),
    });
    const { pdf, sha256 } = this.signer.sign(rendered);
    await this.audit.recordAudit({
      tenantId,
      actorId: input.downloadedBy.userId,
      actorEmail: input.downloadedBy.email,
      action: 'report.download',
      objectType: input.subject.type,
      objectId: input.subject.id,
      at: this.clock.now(),
      detail: { title: input.title, from, to, sha256 },
    });
    return pdf;
  }
}
