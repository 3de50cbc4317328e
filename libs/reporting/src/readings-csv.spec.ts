import { describe, expect, it } from '@jest/globals';
import type { StoredReading } from '@coldchain/domain';
import { csvCell, READINGS_CSV_HEADER, readingCsvLine, readingsCsv } from './readings-csv.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const reading = (minute: number, extra: Partial<StoredReading> = {}): StoredReading => ({
  tenantId: 'demo',
  tag: 'AA:BB:CC:00:00:01',
  hub: '356938035643809',
  ts: T0 + minute * 60_000,
  temperature: -18.5,
  receivedAt: T0 + minute * 60_000 + 1500,
  ...extra,
});

async function collect(gen: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of gen) out.push(chunk);
  return out;
}

describe('readings CSV export', () => {
  it('writes one CRLF line per reading with ISO UTC times, numbers as numbers and absent metrics empty', () => {
    expect(READINGS_CSV_HEADER).toBe(
      'measured_at,tag,hub,temperature_c,humidity_pct,co2_ppm,door,battery_pct,rssi_dbm,received_at\r\n',
    );
    expect(readingCsvLine(reading(0, { door: 'open', battery: 88 }))).toBe(
      '2026-01-05T08:00:00.000Z,AA:BB:CC:00:00:01,356938035643809,-18.5,,,open,88,,2026-01-05T08:00:01.500Z\r\n',
    );
  });

  it('quotes per RFC 4180 and defuses spreadsheet formulas in text cells', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('streams the header then one chunk per page, skipping empty pages', async () => {
    async function* pages() {
      yield [reading(0), reading(1)];
      yield [];
      yield [reading(2)];
    }
    const chunks = await collect(readingsCsv(pages()));
    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toBe(READINGS_CSV_HEADER);
    expect(chunks.join('').split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(chunks[2].startsWith('2026-01-05T08:02:00.000Z,')).toBe(true);
  });
});
