import type { StoredReading } from '@coldchain/domain';

/** Columns of the readings export, in order; units in the names so a spreadsheet needs no legend. */
export const READINGS_CSV_COLUMNS = [
  'measured_at',
  'tag',
  'hub',
  'temperature_c',
  'humidity_pct',
  'co2_ppm',
  'door',
  'battery_pct',
  'rssi_dbm',
  'received_at',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break.
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
 * is prefixed with an apostrophe (OWASP CSV injection). Numbers are written
 * as numbers, so −18.5 °C stays a number.
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One reading as one CSV line (CRLF-terminated, RFC 4180), times in ISO-8601 UTC. */
export function readingCsvLine(r: StoredReading): string {
  return (
    [
      new Date(r.ts).toISOString(),
      r.tag,
      r.hub,
      r.temperature,
      r.humidity,
      r.co2,
      r.door,
      r.battery,
      r.rssi,
      new Date(r.receivedAt).toISOString(),
    ]
      .map(csvCell)
      .join(',') + '\r\n'
  );
}

/** The header line of the readings export. */
export const READINGS_CSV_HEADER = READINGS_CSV_COLUMNS.join(',') + '\r\n';

/**
 * The readings export as chunks: the header, then one chunk per page of
 * readings from `pages` (an async source such as successive store queries),
 * so an export of months of data never sits in memory whole.
 */
export async function* readingsCsv(pages: AsyncIterable<readonly StoredReading[]>): AsyncGenerator<string> {
  yield READINGS_CSV_HEADER;
  for await (const page of pages) {
    let chunk = '';
    for (const r of page) chunk += readingCsvLine(r);
    if (chunk !== '') yield chunk;
  }
}
