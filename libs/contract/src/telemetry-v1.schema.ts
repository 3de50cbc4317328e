import { CONTRACT_LIMITS, GPS_RANGES, PHYSICAL_RANGES } from './limits.js';

/**
 * JSON Schemas (draft 2020-12 subset understood by Ajv) of the telemetry
 * payload v1, the single source the validator compiles and
 * docs/telemetry-contract.md describes. Unknown properties are ignored, not
 * refused, so that hubs can add fields ahead of the platform (forward
 * compatibility); they are not carried further.
 *
 * Times (`sentAt`, `ts`, `fixAt`) are ISO-8601 strings with a zone (`Z` or
 * `±hh:mm`) or integer epoch milliseconds; the validator parses them, since a
 * schema cannot.
 */
const time = { type: ['string', 'integer'] } as const;

const range = (r: { min: number; max: number }) =>
  ({ type: 'number', minimum: r.min, maximum: r.max }) as const;

export const gpsSchemaV1 = {
  type: 'object',
  required: ['lat', 'lon', 'fixAt'],
  properties: {
    lat: range(GPS_RANGES.lat),
    lon: range(GPS_RANGES.lon),
    alt: range(GPS_RANGES.alt),
    speed: range(GPS_RANGES.speed),
    hdop: range(GPS_RANGES.hdop),
    fixAt: time,
  },
} as const;

export const envelopeSchemaV1 = {
  type: 'object',
  required: ['v', 'hub', 'seq', 'sentAt', 'readings'],
  properties: {
    v: { const: 1 },
    hub: { type: 'string' },
    seq: { type: 'integer', minimum: 0 },
    sentAt: time,
    gps: { type: 'object' }, // checked on its own: a bad fix drops the fix, not the readings
    readings: { type: 'array', maxItems: CONTRACT_LIMITS.maxReadingsPerMessage },
  },
} as const;

export const readingSchemaV1 = {
  type: 'object',
  required: ['tag', 'ts'],
  properties: {
    tag: { type: 'string', maxLength: 17 },
    ts: time,
    seq: { type: 'integer', minimum: 0 },
    temperature: range(PHYSICAL_RANGES.temperature),
    humidity: range(PHYSICAL_RANGES.humidity),
    co2: range(PHYSICAL_RANGES.co2),
    battery: range(PHYSICAL_RANGES.battery),
    rssi: range(PHYSICAL_RANGES.rssi),
    door: { enum: ['open', 'closed'] },
  },
} as const;

/** The wire shape of a telemetry payload v1, as a hub sends it. */
export interface TelemetryPayloadV1 {
  v: 1;
  hub: string;
  seq: number;
  sentAt: string | number;
  gps?: { lat: number; lon: number; alt?: number; speed?: number; hdop?: number; fixAt: string | number };
  readings: Array<{
    tag: string;
    ts: string | number;
    seq?: number;
    temperature?: number;
    humidity?: number;
    co2?: number;
    door?: 'open' | 'closed';
    battery?: number;
    rssi?: number;
  }>;
}
