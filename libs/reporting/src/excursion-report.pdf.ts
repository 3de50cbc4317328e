import PDFDocument from 'pdfkit';
import type { EpochMs } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import { REPORT_SIGNATURE_PLACEHOLDER } from './report-signature.js';
import type { TemperatureBand, TemperatureStatistics } from './temperature-statistics.js';

/** One point of the chart: a raw reading or a bucket's mean (with its min and max when downsampled). */
export interface ChartPoint {
  t: EpochMs;
  c: number;
  min?: number;
  max?: number;
}

/** One tag of a report: its label, statistics over the window and chart points. */
export interface ReportedTag {
  label: string;
  statistics: TemperatureStatistics;
  points: readonly ChartPoint[];
}

/** What an excursion report shows, already scoped to one tenant by the caller. */
export interface ExcursionReportInput {
  /** For example "Trip LIS-MAD 2026-11-23" or "Tag AA:BB:CC:00:00:01". */
  title: string;
  tenantName: string;
  /** Lines under the title: tags, hubs, origin and destination, profile and its version. */
  details: string[];
  from: EpochMs;
  to: EpochMs;
  band: TemperatureBand;
  /** One entry per tag (a tag report has one, a trip report one per tag riding). */
  tags: ReadonlyArray<ReportedTag>;
  alerts: ReadonlyArray<{ at: EpochMs; tag: string; rule: string; transition: string; severity: string }>;
  acknowledgements: ReadonlyArray<{ at: EpochMs; by: string; via: string; comment?: string }>;
  /** IANA time zone the times are printed in (the tenant's); UTC by default. */
  timeZone?: string;
  generatedAt: EpochMs;
}

const PAGE = { margin: 50, width: 595.28 - 100 }; // A4 portrait, points
const COLOURS = { band: '#e3f4e3', excursion: '#fbe0e0', grid: '#999999', text: '#111111' };
/** One line colour per tag, cycling; distinguishable in grey print too (different lightness). */
const LINES = ['#1f4e9c', '#b8420f', '#2e7d32', '#6a1b9a', '#00838f', '#5d4037'];

/**
 * The PDF excursion report of a trip or a tag: summary with MKT,
 * temperature chart with the band and shaded excursions, the excursions, the
 * alert timeline and the acknowledgements. A4, the standard Helvetica font
 * (WinAnsi: no glyphs outside it are used), deterministic for a given input.
 * `compress: false` keeps the content streams readable (tests).
 */
export async function excursionReportPdf(
  input: ExcursionReportInput,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const time = timeFormatter(input.timeZone ?? 'UTC'); // refuses an unknown zone before any output
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    compress: options.compress ?? true,
    info: {
      Title: input.title,
      Author: input.tenantName,
      Creator: 'coldchain',
      CreationDate: new Date(input.generatedAt),
      // Filled in place by ReportSigner.sign once the bytes are final (report-signature.ts).
      Keywords: REPORT_SIGNATURE_PLACEHOLDER,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fillColor(COLOURS.text).font('Helvetica-Bold').fontSize(16).text(input.title);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(`${input.tenantName} - ${time(input.from)} to ${time(input.to)} (${input.timeZone ?? 'UTC'})`);
  for (const line of input.details) doc.text(line);
  doc.text(`Allowed range: ${input.band.low ?? '-inf'} to ${input.band.high ?? '+inf'} °C`);
  doc.moveDown();

  for (const tag of input.tags) {
    const s = tag.statistics;
    section(doc, `Summary - ${tag.label}`);
    table(doc, [
      ['Samples', String(s.samples)],
      ['Min / mean / max', s.samples > 0 ? `${c1(s.minC)} / ${c1(s.meanC)} / ${c1(s.maxC)} °C` : 'no data'],
      ['Mean kinetic temperature', s.samples > 0 ? `${c1(s.mktC)} °C (dH/R = 10,000 K)` : 'no data'],
      ['Time above / below range', `${duration(s.aboveMs)} / ${duration(s.belowMs)}`],
      ['Time in range / covered', `${duration(s.inRangeMs)} / ${duration(s.coveredMs)}`],
      ['Data gaps', `${s.gaps} (${duration(s.gapMs)})`],
      ['Excursions', String(s.excursions.length)],
    ]);
    doc.moveDown();
  }

  section(doc, 'Temperature');
  chart(doc, input);
  doc.moveDown();

  section(doc, 'Excursions');
  const excursions = input.tags.flatMap((t) =>
    t.statistics.excursions.map((e) => ({ ...e, label: t.label })),
  );
  excursions.sort((a, b) => a.startedAt - b.startedAt);
  if (excursions.length === 0) doc.font('Helvetica').fontSize(9).text('None.');
  else
    table(
      doc,
      excursions.map((e) => [
        `${input.tags.length > 1 ? `${e.label}: ` : ''}${e.side} ${e.bound} °C, peak ${c1(e.peakC)} °C`,
        `${time(e.startedAt)} to ${e.endedAt === undefined ? 'ongoing' : time(e.endedAt)}, ${duration(e.durationMs)}`,
      ]),
    );
  doc.moveDown();

  section(doc, 'Alerts');
  if (input.alerts.length === 0) doc.font('Helvetica').fontSize(9).text('None.');
  else
    table(
      doc,
      input.alerts.map((a) => [time(a.at), `${a.tag} ${a.rule} ${a.transition} (${a.severity})`]),
    );
  doc.moveDown();

  section(doc, 'Acknowledgements');
  if (input.acknowledgements.length === 0) doc.font('Helvetica').fontSize(9).text('None.');
  else
    table(
      doc,
      input.acknowledgements.map((a) => [
        time(a.at),
        `${a.by} via ${a.via}${a.comment ? `: ${a.comment}` : ''}`,
      ]),
    );

  doc
    .moveDown()
    .font('Helvetica')
    .fontSize(7)
    .fillColor(COLOURS.grid)
    .text(`Generated ${time(input.generatedAt)}`);
  doc.end();
  return done;
}

function section(doc: PDFKit.PDFDocument, title: string): void {
  doc.fillColor(COLOURS.text).font('Helvetica-Bold').fontSize(11).text(title, PAGE.margin);
  doc.moveDown(0.3);
}

/** Two-column rows; the first column 170 pt wide. */
function table(doc: PDFKit.PDFDocument, rows: ReadonlyArray<readonly [string, string]>): void {
  doc.font('Helvetica').fontSize(9).fillColor(COLOURS.text);
  for (const [k, v] of rows) {
    if (doc.y > doc.page.height - PAGE.margin - 20) doc.addPage();
    const y = doc.y;
    doc.text(k, PAGE.margin, y, { width: 165 });
    const after = doc.y;
    doc.text(v, PAGE.margin + 170, y, { width: PAGE.width - 170 });
    doc.y = Math.max(after, doc.y);
  }
  doc.x = PAGE.margin;
}

/**
 * Temperature over time: the allowed band in green, excursions shaded red,
 * one line per tag (a legend when several), min–max whiskers for buckets.
 */
function chart(doc: PDFKit.PDFDocument, input: ExcursionReportInput): void {
  const height = 180;
  if (doc.y + height + 40 > doc.page.height - PAGE.margin) doc.addPage();
  const x0 = PAGE.margin + 30;
  const w = PAGE.width - 30;
  const y0 = doc.y;
  const values = input.tags.flatMap((t) => t.points.flatMap((p) => [p.min ?? p.c, p.max ?? p.c]));
  const lo = Math.floor(Math.min(...values, input.band.low ?? Infinity, input.band.high ?? Infinity) - 1);
  const hi = Math.ceil(Math.max(...values, input.band.high ?? -Infinity, input.band.low ?? -Infinity) + 1);
  const span = input.to - input.from;
  const x = (t: number) => x0 + ((t - input.from) / span) * w;
  const y = (c: number) => y0 + height - ((c - lo) / (hi - lo)) * height;

  if (Number.isFinite(lo) && Number.isFinite(hi)) {
    const bandTop = y(Math.min(input.band.high ?? hi, hi));
    const bandBottom = y(Math.max(input.band.low ?? lo, lo));
    doc.rect(x0, bandTop, w, bandBottom - bandTop).fill(COLOURS.band);
    for (const e of input.tags.flatMap((t) => t.statistics.excursions)) {
      const a = x(Math.max(e.startedAt, input.from));
      const b = x(Math.min(e.endedAt ?? input.to, input.to));
      doc.rect(a, y0, Math.max(b - a, 1), height).fill(COLOURS.excursion);
    }
    input.tags.forEach((tag, i) => {
      const colour = LINES[i % LINES.length];
      for (const p of tag.points)
        if (p.min !== undefined && p.max !== undefined && p.max > p.min)
          doc.moveTo(x(p.t), y(p.min)).lineTo(x(p.t), y(p.max)).lineWidth(0.5).stroke(COLOURS.grid);
      tag.points.forEach((p, k) => (k === 0 ? doc.moveTo(x(p.t), y(p.c)) : doc.lineTo(x(p.t), y(p.c))));
      if (tag.points.length > 0) doc.lineWidth(1).stroke(colour);
    });
    doc.fillColor(COLOURS.text).font('Helvetica').fontSize(7);
    doc.text(`${hi} °C`, PAGE.margin, y0 - 3, { width: 28, align: 'right' });
    doc.text(`${lo} °C`, PAGE.margin, y0 + height - 6, { width: 28, align: 'right' });
  }
  doc.rect(x0, y0, w, height).lineWidth(0.5).stroke(COLOURS.grid);
  doc.y = y0 + height + 4;
  if (input.tags.length > 1) {
    let lx = x0;
    input.tags.forEach((tag, i) => {
      doc.rect(lx, doc.y + 2, 8, 3).fill(LINES[i % LINES.length]);
      doc
        .fillColor(COLOURS.text)
        .font('Helvetica')
        .fontSize(7)
        .text(tag.label, lx + 11, doc.y, { lineBreak: false });
      lx += 11 + doc.widthOfString(tag.label) + 12;
    });
    doc.y += 10;
  }
  doc.x = PAGE.margin;
}

function c1(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '-' : v.toFixed(1);
}

/** 3 h 05 min, 12 min, 40 s. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

function timeFormatter(timeZone: string): (t: EpochMs) => string {
  let f: Intl.DateTimeFormat;
  try {
    f = formatIn(timeZone);
  } catch {
    throw new InvalidInputError(
      `unknown time zone "${timeZone}" (expected an IANA name such as Europe/Lisbon)`,
    );
  }
  return (t) => f.format(new Date(t)).replace(',', '');
}

function formatIn(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}
