import { describe, expect, it } from '@jest/globals';
import type { TelemetryRecord } from '@coldchain/domain';
import { TELEMETRY_TOPIC } from './topics.js';
import { telemetryRecordEncoder } from './telemetry-record-json.js';

const T = 1_795_420_800_000;
const record = (over: Partial<TelemetryRecord> = {}): TelemetryRecord => ({
  v: 1,
  tenantId: 'tenant-a',
  hub: '356938035643809',
  tag: 'AA:BB:CC:00:00:01',
  hubSeq: 42,
  sentAt: T + 100,
  receivedAt: T + 250,
  gps: { lat: 48.85, lon: 2.35, alt: 35, speed: 80, hdop: 0.9, fixAt: T - 1_000 },
  readings: [{ ts: T, seq: 7, temperature: 4.25, humidity: 40, door: 'closed', battery: 90, rssi: -71 }],
  ...over,
});

/** What JSON.stringify then JSON.parse make of a value: the reference the encoder must match. */
const viaJson = (r: TelemetryRecord): unknown => JSON.parse(JSON.stringify(r));

describe('telemetryRecordEncoder (the gateway hot path JSON of telemetry records)', () => {
  it('reads back as JSON.stringify would, for every record of a hub message', () => {
    const encode = telemetryRecordEncoder();
    const gps = record().gps;
    const tags = ['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02', 'AA:BB:CC:00:00:03'];
    for (const [i, tag] of tags.entries()) {
      const r = record({ tag, gps, readings: [{ ts: T + i, temperature: i }] });
      expect(JSON.parse(encode(r))).toStrictEqual(viaJson(r));
    }
  });

  it('writes each record with its own message values when messages interleave, or a fix object is reused and changed', () => {
    const encode = telemetryRecordEncoder();
    const gps = { lat: 1, lon: 2, fixAt: T };
    const a = record({ gps });
    expect(JSON.parse(encode(a))).toStrictEqual(viaJson(a));
    const variants: TelemetryRecord[] = [
      record({ gps, hub: '490154203237518' }),
      record({ gps, hubSeq: 43 }),
      record({ gps, sentAt: T + 1 }),
      record({ gps, receivedAt: T + 1 }),
      record({ gps, tenantId: 'tenant-b' }),
      record({ gps: undefined }),
      record({ gps: { lat: 1, lon: 2, fixAt: T } }), // equal values, other object
    ];
    for (const r of variants) expect(JSON.parse(encode(r))).toStrictEqual(viaJson(r));
    // The same fix object, changed in place between two messages.
    for (const key of ['lat', 'lon', 'fixAt', 'alt', 'speed', 'hdop'] as const) {
      gps[key as 'lat'] = 9;
      const r = record({ gps });
      expect(JSON.parse(encode(r))).toStrictEqual(viaJson(r));
    }
  });

  it('escapes strings and writes non-finite numbers as null, like JSON.stringify', () => {
    const encode = telemetryRecordEncoder();
    const r = record({
      tenantId: 'a "quoted"\n\\ tenant',
      hubSeq: Number.NaN,
      sentAt: Number.POSITIVE_INFINITY,
    });
    expect(JSON.parse(encode(r))).toStrictEqual(viaJson(r));
    expect(JSON.parse(encode(r))).toMatchObject({ hubSeq: null, sentAt: null });
  });

  it('is the telemetry topic encoder, and bundles of it decode to the records', () => {
    const bundle = TELEMETRY_TOPIC.bundle!;
    const records = [record(), record({ tag: 'AA:BB:CC:00:00:02' }), record({ hubSeq: 43, gps: undefined })];
    // Its text, not JSON.stringify's (whose property order differs).
    expect(bundle.encodeValue(records[0])).toBe(telemetryRecordEncoder()(records[0]));
    expect(bundle.encodeValue(records[0])).not.toBe(JSON.stringify(records[0]));
    const bytes = bundle.join(
      records.map((r) => r.tag),
      records.map((r) => bundle.encodeValue(r)),
    );
    expect(bundle.decode(bytes)).toStrictEqual({
      keys: records.map((r) => r.tag),
      values: records.map(viaJson),
    });
  });
});
