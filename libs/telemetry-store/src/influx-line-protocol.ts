import type { StoredReading } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import type { StoredPosition } from './telemetry-store.port.js';

/**
 * InfluxDB line protocol for readings and positions: pure functions, no I/O.
 *
 * Schema (docs/influxdb-schema.md): a point's identity is measurement + tag
 * set + timestamp, and a second write of the same identity overwrites its
 * fields. So only what identifies a reading is a tag (tenant, tag MAC): the
 * hub that relayed it and the profile it was judged against are fields, or
 * the same reading relayed twice would become two points.
 *
 * Escaping follows the line protocol reference (InfluxDB 1.x and 2.x alike):
 * measurement: comma and space; tag keys/values: comma, equals sign and
 * space; string field values: double quote and backslash. Values that the
 * protocol cannot carry at all (line breaks, a tag value ending with a
 * backslash, empty tag values, non-finite numbers) are refused with
 * InvalidInputError rather than silently altered: retrying cannot fix them.
 */

/** Line protocol escaping of a measurement name (comma, space). */
export function escapeMeasurement(name: string): string {
  assertNoLineBreak(name, 'measurement');
  if (name.length === 0) throw new InvalidInputError('line protocol: empty measurement name');
  return name.replace(/[, ]/g, (c) => `\\${c}`);
}

/** Characters that make a tag value need escaping or refusal; most values have none (fast path). */
const TAG_VALUE_SPECIAL = /[,= \\\r\n]/;
/** Characters that make a string field value need escaping or refusal. */
const STRING_FIELD_SPECIAL = /["\\\r\n]/;

/** Line protocol escaping of a tag value (comma, equals sign, space). */
export function escapeTagValue(value: string, what: string): string {
  if (value.length === 0) throw new InvalidInputError(`line protocol: ${what} is empty`);
  if (!TAG_VALUE_SPECIAL.test(value)) return value;
  assertNoLineBreak(value, what);
  // A trailing backslash would escape the separator that follows it.
  if (value.endsWith('\\')) throw new InvalidInputError(`line protocol: ${what} ends with a backslash`);
  return value.replace(/[,= ]/g, (c) => `\\${c}`);
}

/** A double-quoted string field value (backslash and double quote escaped). */
export function quoteStringField(value: string, what: string): string {
  if (!STRING_FIELD_SPECIAL.test(value)) return `"${value}"`;
  assertNoLineBreak(value, what);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A float field value. Integral numbers stay floats (no `i` suffix) so a field never changes type. */
export function floatField(value: number, what: string): string {
  if (!Number.isFinite(value)) throw new InvalidInputError(`line protocol: ${what} is not a finite number`);
  return String(value);
}

/** An integer field value (`i` suffix), for counters and epoch-ms times. */
export function integerField(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) throw new InvalidInputError(`line protocol: ${what} is not an integer`);
  return `${value}i`;
}

/** A point timestamp in epoch milliseconds (the WriteApi is opened with precision `ms`). */
export function timestampMs(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidInputError(`line protocol: ${what} is not an integer epoch-ms time`);
  }
  return String(value);
}

function assertNoLineBreak(value: string, what: string): void {
  if (/[\r\n]/.test(value)) throw new InvalidInputError(`line protocol: ${what} contains a line break`);
}

/**
 * The tag set of a reading point, keys in lexical order ("tag" < "tenant"),
 * which is the order InfluxDB sorts them into (pre-sorted saves it the work).
 */
export const READING_TAGS = { tenant: 'tenant', tag: 'tag' } as const;

/** Field keys of a reading point, and their line protocol types. */
export const READING_FIELDS = {
  temperature: 'temperature', // float, °C
  humidity: 'humidity', // float, %RH
  co2: 'co2', // float, ppm
  door: 'door', // integer, 1 open, 0 closed
  battery: 'battery', // float, %
  rssi: 'rssi', // float, dBm
  seq: 'seq', // integer, the tag's rolling counter
  receivedAt: 'received_at', // integer, gateway time, epoch ms
  hub: 'hub', // string, K-HUB IMEI that relayed the reading
  profileId: 'profile', // string, the profile id the reading was judged against
} as const;

export const POSITION_TAGS = { tenant: 'tenant', hub: 'hub' } as const;

export const POSITION_FIELDS = {
  lat: 'lat', // float, degrees
  lon: 'lon', // float, degrees
  alt: 'alt', // float, metres
  speed: 'speed', // float, km/h
  hdop: 'hdop', // float, horizontal dilution of precision
} as const;

/** One reading as one line: `<m>,tag=<mac>,tenant=<id> <fields> <ts ms>` (`measurement` already escaped). */
export function readingLine(measurement: string, r: StoredReading): string {
  // String concatenation rather than an array join: this runs once per reading on the ingest hot path.
  const f = READING_FIELDS;
  let fields = '';
  if (r.temperature !== undefined) fields += `,${f.temperature}=${floatField(r.temperature, 'temperature')}`;
  if (r.humidity !== undefined) fields += `,${f.humidity}=${floatField(r.humidity, 'humidity')}`;
  if (r.co2 !== undefined) fields += `,${f.co2}=${floatField(r.co2, 'co2')}`;
  if (r.door !== undefined) fields += r.door === 'open' ? `,${f.door}=1i` : `,${f.door}=0i`;
  if (r.battery !== undefined) fields += `,${f.battery}=${floatField(r.battery, 'battery')}`;
  if (r.rssi !== undefined) fields += `,${f.rssi}=${floatField(r.rssi, 'rssi')}`;
  if (r.seq !== undefined) fields += `,${f.seq}=${integerField(r.seq, 'seq')}`;
  fields += `,${f.receivedAt}=${integerField(r.receivedAt, 'receivedAt')}`;
  fields += `,${f.hub}=${quoteStringField(r.hub, 'hub')}`;
  if (r.profileId !== undefined) fields += `,${f.profileId}=${quoteStringField(r.profileId, 'profileId')}`;
  return (
    `${measurement},${READING_TAGS.tag}=${escapeTagValue(r.tag, 'tag')},` +
    `${READING_TAGS.tenant}=${escapeTagValue(r.tenantId, 'tenantId')} ` +
    `${fields.slice(1)} ${timestampMs(r.ts, 'ts')}`
  );
}

/** One GPS fix as one line: `<m>,hub=<imei>,tenant=<id> lat=..,lon=..[,alt,speed,hdop] <fixAt ms>` (`measurement` already escaped). */
export function positionLine(measurement: string, p: StoredPosition): string {
  const f = POSITION_FIELDS;
  const fields = [`${f.lat}=${floatField(p.lat, 'lat')}`, `${f.lon}=${floatField(p.lon, 'lon')}`];
  if (p.alt !== undefined) fields.push(`${f.alt}=${floatField(p.alt, 'alt')}`);
  if (p.speed !== undefined) fields.push(`${f.speed}=${floatField(p.speed, 'speed')}`);
  if (p.hdop !== undefined) fields.push(`${f.hdop}=${floatField(p.hdop, 'hdop')}`);
  return (
    `${measurement},${POSITION_TAGS.hub}=${escapeTagValue(p.hub, 'hub')},` +
    `${POSITION_TAGS.tenant}=${escapeTagValue(p.tenantId, 'tenantId')} ` +
    `${fields.join(',')} ${timestampMs(p.fixAt, 'fixAt')}`
  );
}

/**
 * Cuts lines into request bodies of at most `maxLines` lines and at most
 * `maxBytes` bytes (UTF-8, lines joined by "\n"). A single line larger than
 * `maxBytes` still gets a chunk of its own (InfluxDB will judge it).
 *
 * Each chunk is what one explicit `flush()` of the WriteApi sends; the
 * WriteApi's own `batchSize` and `maxBatchBytes` are set above these bounds,
 * so it never starts a send by itself.
 */
export function chunkLines(lines: readonly string[], maxLines: number, maxBytes: number): string[][] {
  if (!Number.isSafeInteger(maxLines) || maxLines < 1) throw new RangeError('maxLines must be >= 1');
  if (!(maxBytes >= 1)) throw new RangeError('maxBytes must be >= 1');
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const lineBytes = Buffer.byteLength(line, 'utf8');
    if (current.length > 0 && (current.length >= maxLines || bytes + 1 + lineBytes > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    bytes += (current.length > 0 ? 1 : 0) + lineBytes;
    current.push(line);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
