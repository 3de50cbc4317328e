import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '@coldchain/errors';
import { duration, excursionReportPdf, type ExcursionReportInput } from './excursion-report.pdf.js';
import { temperatureStatistics } from './temperature-statistics.js';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const MIN = 60_000;
const celsius = [5, 5, 6, 9, 10.5, 9, 7, 5, 4, 1.5, 3, 5];
const readings = celsius.map((c, i) => ({ ts: T0 + i * 10 * MIN, temperature: c }));
const band = { low: 2, high: 8 };

const input = (over: Partial<ExcursionReportInput> = {}): ExcursionReportInput => ({
  title: 'Trip LIS-MAD',
  tenantName: 'Demo Cold Logistics',
  details: ['Tags: AA:BB:CC:00:00:01', 'Profile: Vaccines 2-8 °C, version 3'],
  from: T0,
  to: T0 + 120 * MIN,
  band,
  tags: [
    {
      label: 'AA:BB:CC:00:00:01',
      statistics: temperatureStatistics(readings, band, { maxGapMs: 30 * MIN }),
      points: readings.map((r) => ({ t: r.ts, c: r.temperature })),
    },
  ],
  alerts: [
    {
      at: T0 + 30 * MIN,
      tag: 'AA:BB:CC:00:00:01',
      rule: 'temperature.high',
      transition: 'raised',
      severity: 'critical',
    },
  ],
  acknowledgements: [
    { at: T0 + 41 * MIN, by: 'ana@demo.example', via: 'sms', comment: 'reefer door closed' },
  ],
  timeZone: 'Europe/Lisbon',
  generatedAt: T0 + 200 * MIN,
  ...over,
});

/** The text a PDF shows: pdfkit writes standard-font text as hex strings, in reading order. */
function textOf(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  return [...raw.matchAll(/<([0-9a-f]+)>/g)].map((m) => Buffer.from(m[1], 'hex').toString('latin1')).join('');
}

describe('excursion report PDF', () => {
  it('states the summary, MKT, each excursion with its times, the alerts and the acknowledgements', async () => {
    const pdf = await excursionReportPdf(input(), { compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = textOf(pdf);
    const s = input().tags[0].statistics;
    expect(text).toContain('Trip LIS-MAD');
    expect(text).toContain('Summary - AA:BB:CC:00:00:01');
    expect(text).toContain(`Mean kinetic temperature${s.mktC!.toFixed(1)} °C`);
    expect(text).toContain('Excursions2');
    // Lisbon is UTC+0 in November: the first excursion (9 °C at 06:30 UTC) back in range at 07:00.
    expect(text).toContain('above 8 °C, peak 10.5 °C23/11/2026 06:30 to 23/11/2026 07:00, 30 min');
    expect(text).toContain('below 2 °C, peak 1.5 °C');
    expect(text).toContain('AA:BB:CC:00:00:01 temperature.high raised (critical)');
    expect(text).toContain('ana@demo.example via sms: reefer door closed');
  });

  it('prints times in the tenant time zone', async () => {
    const text = textOf(await excursionReportPdf(input({ timeZone: 'Asia/Tokyo' }), { compress: false }));
    expect(text).toContain('23/11/2026 15:30 to 23/11/2026 16:00'); // UTC+9
  });

  it('renders a window without data and without alerts, saying so', async () => {
    const empty = temperatureStatistics([], band, { maxGapMs: 30 * MIN });
    const text = textOf(
      await excursionReportPdf(
        input({ tags: [{ label: 'T', statistics: empty, points: [] }], alerts: [], acknowledgements: [] }),
        {
          compress: false,
        },
      ),
    );
    expect(text).toContain('Min / mean / maxno data');
    expect(text).toContain('AlertsNone.');
  });

  it('reports every tag of a trip: a summary each, their excursions in time order, labelled', async () => {
    const warm = celsius.map((c, i) => ({ ts: T0 + i * 10 * MIN, temperature: c + 2.5 }));
    const two = input({
      tags: [
        input().tags[0],
        {
          label: 'AA:BB:CC:00:00:02',
          statistics: temperatureStatistics(warm, band, { maxGapMs: 30 * MIN }),
          points: warm.map((r) => ({ t: r.ts, c: r.temperature })),
        },
      ],
    });
    const text = textOf(await excursionReportPdf(two, { compress: false }));
    expect(text).toContain('Summary - AA:BB:CC:00:00:01');
    expect(text).toContain('Summary - AA:BB:CC:00:00:02');
    // The warmer tag leaves the band earlier (6 °C at 06:20, + 2.5): its excursion is listed first.
    const first = text.indexOf('AA:BB:CC:00:00:02: above 8 °C');
    expect(first).toBeGreaterThan(-1);
    expect(text.indexOf('AA:BB:CC:00:00:01: above 8 °C')).toBeGreaterThan(first);
  });

  it('refuses an unknown time zone with InvalidInputError', async () => {
    await expect(excursionReportPdf(input({ timeZone: 'Mars/Olympus' }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it('writes durations the way an operator reads them', () => {
    expect([duration(40_000), duration(12 * MIN), duration(185 * MIN)]).toEqual([
      '40 s',
      '12 min',
      '3 h 05 min',
    ]);
  });
});
