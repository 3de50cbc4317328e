import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { EpochMs, Measurement, Position } from '@coldchain/domain';
import { isValidImei, normalizeMac } from './identities.js';
import { CONTRACT_LIMITS } from './limits.js';
import type { ReadingRejection, RejectReason } from './reject-reason.js';
import { envelopeSchemaV1, gpsSchemaV1, readingSchemaV1 } from './telemetry-v1.schema.js';

/**
 * A validated, normalised telemetry message: times in epoch ms, MACs canonical,
 * only accepted readings. `tags[i]` is the canonical MAC of `readings[i]`.
 */
export interface TelemetryMessageV1 {
  hub: string;
  seq: number;
  sentAt: EpochMs;
  gps?: Position;
  readings: Measurement[];
  tags: string[];
}

/**
 * Outcome of validating one message. `ok: false` refuses the whole message;
 * `ok: true` may still carry `rejected` readings (partial acceptance: one bad
 * reading never discards the good readings of the same message).
 */
export type TelemetryValidation =
  | { ok: true; message: TelemetryMessageV1; rejected: ReadingRejection[] }
  | {
      ok: false;
      reason: RejectReason;
      detail: string;
      /** Readings the refused message carried (length of its `readings` array when it had one, else 0). */
      readingCount: number;
    };

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validateEnvelope: ValidateFunction = ajv.compile(envelopeSchemaV1);
const validateReading: ValidateFunction = ajv.compile(readingSchemaV1);
const validateGps: ValidateFunction = ajv.compile(gpsSchemaV1);

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Parses a contract time (ISO-8601 with zone, or integer epoch ms) within the plausible window; undefined otherwise. */
export function parseContractTime(value: unknown): EpochMs | undefined {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && ISO_WITH_ZONE.test(value)) ms = Date.parse(value);
  else return undefined;
  if (!Number.isInteger(ms) || ms < CONTRACT_LIMITS.minTimeMs || ms > CONTRACT_LIMITS.maxTimeMs)
    return undefined;
  return ms;
}

const describe = (e: ErrorObject): string => `${e.instancePath || '/'} ${e.message ?? e.keyword}`;

/** Maps the first Ajv error on a reading to its reason code. */
function readingReason(e: ErrorObject, reading: Record<string, unknown>): RejectReason {
  if (e.instancePath === '') {
    if (e.keyword === 'type') return 'invalid_reading';
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    return missing === 'tag' ? 'invalid_tag' : 'invalid_time';
  }
  if (e.instancePath === '/tag') return 'invalid_tag';
  if (e.instancePath === '/ts') return 'invalid_time';
  if (e.keyword === 'minimum' || e.keyword === 'maximum') {
    // JSON.parse turns 1e999 into Infinity: that is a non-finite value, not an out-of-range one.
    return Number.isFinite(reading[e.instancePath.slice(1)]) ? 'out_of_range' : 'invalid_value';
  }
  return 'invalid_value';
}

const METRICS = ['temperature', 'humidity', 'co2', 'door', 'battery'] as const;

/**
 * Validates a parsed telemetry payload v1 published on `khub/{topicImei}/telemetry`.
 * Pure and synchronous; runs once per message on the hot path.
 */
export function validateTelemetryV1(
  doc: unknown,
  topicImei: string,
  isKnownTag: (mac: string) => boolean = () => true,
): TelemetryValidation {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return {
      ok: false,
      reason: 'invalid_envelope',
      detail: 'payload must be a JSON object',
      readingCount: 0,
    };
  }
  const raw = doc as Record<string, unknown>;
  const readingCount = Array.isArray(raw.readings) ? raw.readings.length : 0;
  if (raw.v !== 1) {
    return {
      ok: false,
      reason: 'unsupported_version',
      detail: `v must be 1, got ${JSON.stringify(raw.v)}`,
      readingCount,
    };
  }
  if (Array.isArray(raw.readings) && raw.readings.length > CONTRACT_LIMITS.maxReadingsPerMessage) {
    return {
      ok: false,
      reason: 'too_many_readings',
      detail: `${raw.readings.length} readings, at most ${CONTRACT_LIMITS.maxReadingsPerMessage} per message`,
      readingCount,
    };
  }
  if (!validateEnvelope(raw)) {
    return {
      ok: false,
      reason: 'invalid_envelope',
      detail: describe(validateEnvelope.errors![0]),
      readingCount,
    };
  }
  const hub = raw.hub as string;
  if (!isValidImei(hub)) {
    return {
      ok: false,
      reason: 'invalid_imei',
      detail: `hub "${hub}" is not a 15-digit IMEI with a valid Luhn digit`,
      readingCount,
    };
  }
  if (hub !== topicImei) {
    return {
      ok: false,
      reason: 'hub_mismatch',
      detail: `payload hub ${hub} differs from topic hub ${topicImei}`,
      readingCount,
    };
  }
  const sentAt = parseContractTime(raw.sentAt);
  if (sentAt === undefined) {
    return {
      ok: false,
      reason: 'invalid_envelope',
      detail: '/sentAt must be ISO-8601 with zone or epoch ms',
      readingCount,
    };
  }

  const rejected: ReadingRejection[] = [];
  let gps: Position | undefined;
  if (raw.gps !== undefined) {
    const g = raw.gps as Record<string, number | string>;
    const fixAt = validateGps(g) ? parseContractTime(g.fixAt) : undefined;
    if (fixAt === undefined) {
      const detail = validateGps.errors
        ? describe(validateGps.errors[0])
        : '/gps/fixAt must be a contract time';
      rejected.push({ index: -1, reason: 'invalid_position', detail });
    } else {
      gps = { lat: g.lat as number, lon: g.lon as number, fixAt };
      if (g.alt !== undefined) gps.alt = g.alt as number;
      if (g.speed !== undefined) gps.speed = g.speed as number;
      if (g.hdop !== undefined) gps.hdop = g.hdop as number;
    }
  }

  const input = raw.readings as unknown[];
  const readings: Measurement[] = [];
  const tags: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const r = input[i] as Record<string, unknown>;
    if (!validateReading(r)) {
      const e = validateReading.errors![0];
      rejected.push({ index: i, reason: readingReason(e, r), detail: describe(e) });
      continue;
    }
    const tag = normalizeMac(r.tag as string);
    if (tag === undefined) {
      rejected.push({ index: i, reason: 'invalid_tag', detail: `"${r.tag as string}" is not a MAC address` });
      continue;
    }
    const ts = parseContractTime(r.ts);
    if (ts === undefined) {
      rejected.push({
        index: i,
        reason: 'invalid_time',
        detail: '/ts must be ISO-8601 with zone or epoch ms, 2000–2100',
      });
      continue;
    }
    if (!isKnownTag(tag)) {
      rejected.push({
        index: i,
        reason: 'unknown_tag',
        detail: `tag ${tag} is not registered to this hub's tenant`,
      });
      continue;
    }
    const out: Measurement = { ts };
    let metrics = 0;
    for (const k of METRICS) {
      if (r[k] !== undefined) {
        (out as unknown as Record<string, unknown>)[k] = r[k];
        metrics++;
      }
    }
    if (metrics === 0) {
      rejected.push({
        index: i,
        reason: 'no_measurement',
        detail: 'a reading needs at least one of ' + METRICS.join(', '),
      });
      continue;
    }
    if (r.seq !== undefined) out.seq = r.seq as number;
    if (r.rssi !== undefined) out.rssi = r.rssi as number;
    readings.push(out);
    tags.push(tag);
  }
  return { ok: true, message: { hub, seq: raw.seq as number, sentAt, gps, readings, tags }, rejected };
}

/**
 * Parses and validates raw MQTT payload bytes: size limit, JSON, then
 * {@link validateTelemetryV1}. Never throws on bad input.
 * `isKnownTag` refuses readings of tags not registered to the hub's tenant (`unknown_tag`).
 */
export function decodeTelemetryV1(
  payload: Uint8Array,
  topicImei: string,
  isKnownTag?: (mac: string) => boolean,
): TelemetryValidation {
  if (payload.byteLength > CONTRACT_LIMITS.maxPayloadBytes) {
    return {
      ok: false,
      reason: 'payload_too_large',
      detail: `${payload.byteLength} bytes, at most ${CONTRACT_LIMITS.maxPayloadBytes}`,
      readingCount: 0,
    };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(
      Buffer.isBuffer(payload) ? payload.toString('utf8') : Buffer.from(payload).toString('utf8'),
    );
  } catch (err) {
    return { ok: false, reason: 'malformed_json', detail: (err as Error).message, readingCount: 0 };
  }
  return validateTelemetryV1(doc, topicImei, isKnownTag);
}
