import { describe, expect, it } from '@jest/globals';
import { CONTRACT_LIMITS } from './limits.js';
import { decodeTelemetryV1, parseContractTime, validateTelemetryV1 } from './telemetry-v1.validator.js';

const HUB = '490154203237518';
const T = Date.UTC(2026, 10, 23, 6, 0, 0);

function message(overrides: Record<string, unknown> = {}, readings?: unknown[]): Record<string, unknown> {
  return {
    v: 1,
    hub: HUB,
    seq: 42,
    sentAt: new Date(T + 1000).toISOString(),
    gps: { lat: 48.8566, lon: 2.3522, alt: 35, speed: 62.5, hdop: 0.8, fixAt: T },
    readings: readings ?? [
      {
        tag: 'aa:bb:cc:dd:ee:01',
        ts: T,
        seq: 7,
        temperature: 4.5,
        humidity: 61,
        co2: 450,
        door: 'closed',
        battery: 88,
        rssi: -67,
      },
      { tag: 'AA-BB-CC-DD-EE-02', ts: '2026-11-23T06:00:00.000Z', temperature: -19.25 },
    ],
    ...overrides,
  };
}

const encode = (doc: unknown) => Buffer.from(JSON.stringify(doc));

describe('telemetry payload v1: valid messages', () => {
  it('accepts a full message and normalises MACs, times and GPS', () => {
    const out = validateTelemetryV1(message(), HUB);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.rejected).toEqual([]);
    expect(out.message).toEqual({
      hub: HUB,
      seq: 42,
      sentAt: T + 1000,
      gps: { lat: 48.8566, lon: 2.3522, alt: 35, speed: 62.5, hdop: 0.8, fixAt: T },
      tags: ['AA:BB:CC:DD:EE:01', 'AA:BB:CC:DD:EE:02'],
      readings: [
        { ts: T, seq: 7, temperature: 4.5, humidity: 61, co2: 450, door: 'closed', battery: 88, rssi: -67 },
        { ts: T, temperature: -19.25 },
      ],
    });
  });

  it('accepts epoch-ms and offset ISO times, an empty batch, and ignores unknown fields', () => {
    const out = validateTelemetryV1(
      message({ sentAt: T, firmware: '2.1.0', gps: undefined }, [
        { tag: 'aabbccddee03', ts: '2026-11-23T08:00:00+02:00', door: 'open', extra: true },
      ]),
      HUB,
    );
    expect(out).toMatchObject({
      ok: true,
      rejected: [],
      message: { sentAt: T, readings: [{ ts: T, door: 'open' }] },
    });
    if (out.ok) expect(out.message.readings[0]).not.toHaveProperty('extra');
    expect(validateTelemetryV1(message({}, []), HUB)).toMatchObject({ ok: true, message: { readings: [] } });
  });

  it('accepts values on the inclusive physical bounds', () => {
    const out = validateTelemetryV1(
      message({}, [
        { tag: 'AA:BB:CC:DD:EE:01', ts: T, temperature: -100, humidity: 0, battery: 100 },
        { tag: 'AA:BB:CC:DD:EE:01', ts: T + 1, temperature: 100, humidity: 100, battery: 0 },
      ]),
      HUB,
    );
    expect(out).toMatchObject({ ok: true, rejected: [] });
  });
});

describe('telemetry payload v1: messages refused whole', () => {
  it.each([
    ['not an object', [1, 2], 'invalid_envelope'],
    ['null', null, 'invalid_envelope'],
    ['version 2', message({ v: 2 }), 'unsupported_version'],
    ['no version', message({ v: undefined }), 'unsupported_version'],
    ['missing readings', message({ readings: undefined }), 'invalid_envelope'],
    ['readings not an array', message({ readings: {} }), 'invalid_envelope'],
    ['seq negative', message({ seq: -1 }), 'invalid_envelope'],
    ['seq a string', message({ seq: '42' }), 'invalid_envelope'],
    ['sentAt without zone', message({ sentAt: '2026-11-23T06:00:00' }), 'invalid_envelope'],
    ['sentAt in 1970', message({ sentAt: 0 }), 'invalid_envelope'],
    ['hub not a valid IMEI', message({ hub: '490154203237519' }), 'invalid_imei'],
    ['hub differs from topic', message({ hub: '356938035643809' }), 'hub_mismatch'],
  ])('%s → %s', (_why, doc, reason) => {
    expect(validateTelemetryV1(doc, HUB)).toMatchObject({ ok: false, reason });
  });

  it('refuses more readings than the limit with too_many_readings', () => {
    const many = Array.from({ length: CONTRACT_LIMITS.maxReadingsPerMessage + 1 }, (_, i) => ({
      tag: 'AA:BB:CC:DD:EE:01',
      ts: T + i,
      temperature: 5,
    }));
    expect(validateTelemetryV1(message({}, many), HUB)).toMatchObject({
      ok: false,
      reason: 'too_many_readings',
    });
  });

  it('refuses malformed JSON and oversized payloads from raw bytes', () => {
    expect(decodeTelemetryV1(Buffer.from('{"v":1,'), HUB)).toMatchObject({
      ok: false,
      reason: 'malformed_json',
    });
    expect(decodeTelemetryV1(Buffer.from('NaN'), HUB)).toMatchObject({ ok: false, reason: 'malformed_json' });
    const big = Buffer.alloc(CONTRACT_LIMITS.maxPayloadBytes + 1, 0x20);
    expect(decodeTelemetryV1(big, HUB)).toMatchObject({ ok: false, reason: 'payload_too_large' });
    expect(decodeTelemetryV1(encode(message()), HUB)).toMatchObject({ ok: true });
  });
});

describe('telemetry payload v1: partial acceptance', () => {
  it('keeps the good readings and names each bad one with its index and reason', () => {
    const doc = message({}, [
      { tag: 'AA:BB:CC:DD:EE:01', ts: T, temperature: 5 }, // 0 ok
      { tag: 'not-a-mac', ts: T, temperature: 5 }, // 1 invalid_tag
      { tag: 'AA:BB:CC:DD:EE:02', ts: T, temperature: 150 }, // 2 out_of_range
      { tag: 'AA:BB:CC:DD:EE:03', ts: T, temperature: '5' }, // 3 invalid_value
      { tag: 'AA:BB:CC:DD:EE:04', temperature: 5 }, // 4 invalid_time (missing)
      { tag: 'AA:BB:CC:DD:EE:05', ts: 'yesterday', temperature: 5 }, // 5 invalid_time
      { tag: 'AA:BB:CC:DD:EE:06', ts: T, door: 'ajar' }, // 6 invalid_value
      { tag: 'AA:BB:CC:DD:EE:07', ts: T }, // 7 no_measurement
      42, // 8 invalid_reading
      { ts: T, temperature: 5 }, // 9 invalid_tag (missing)
      { tag: 'AA:BB:CC:DD:EE:08', ts: T, humidity: -3 }, // 10 out_of_range
      { tag: 'AA:BB:CC:DD:EE:09', ts: T + 1, temperature: 4 }, // 11 ok
      { tag: 'AA:BB:CC:DD:EE:0A', ts: T, battery: 101 }, // 12 out_of_range
      { tag: 'AA:BB:CC:DD:EE:0B', ts: 4102444800001, temperature: 4 }, // 13 invalid_time (after 2100)
    ]);
    const out = validateTelemetryV1(doc, HUB);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.message.tags).toEqual(['AA:BB:CC:DD:EE:01', 'AA:BB:CC:DD:EE:09']);
    expect(out.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'invalid_tag'],
      [2, 'out_of_range'],
      [3, 'invalid_value'],
      [4, 'invalid_time'],
      [5, 'invalid_time'],
      [6, 'invalid_value'],
      [7, 'no_measurement'],
      [8, 'invalid_reading'],
      [9, 'invalid_tag'],
      [10, 'out_of_range'],
      [12, 'out_of_range'],
      [13, 'invalid_time'],
    ]);
    for (const r of out.rejected) expect(r.detail.length).toBeGreaterThan(0);
  });

  it('treats a non-finite number (1e999 parses to Infinity) as invalid_value, not out_of_range', () => {
    const raw = `{"v":1,"hub":"${HUB}","seq":1,"sentAt":${T},"readings":[{"tag":"AA:BB:CC:DD:EE:01","ts":${T},"temperature":1e999},{"tag":"AA:BB:CC:DD:EE:02","ts":${T},"temperature":3}]}`;
    const out = decodeTelemetryV1(Buffer.from(raw), HUB);
    expect(out).toMatchObject({ ok: true, rejected: [{ index: 0, reason: 'invalid_value' }] });
    if (out.ok) expect(out.message.tags).toEqual(['AA:BB:CC:DD:EE:02']);
  });

  it('drops a malformed GPS fix but keeps the readings', () => {
    const out = validateTelemetryV1(message({ gps: { lat: 123, lon: 2, fixAt: T } }), HUB);
    expect(out).toMatchObject({ ok: true, rejected: [{ index: -1, reason: 'invalid_position' }] });
    if (out.ok) {
      expect(out.message.gps).toBeUndefined();
      expect(out.message.readings).toHaveLength(2);
    }
  });

  it("refuses readings of tags the hub's tenant does not own as unknown_tag", () => {
    const known = new Set(['AA:BB:CC:DD:EE:01']);
    const out = validateTelemetryV1(message(), HUB, (mac) => known.has(mac));
    expect(out).toMatchObject({ ok: true, rejected: [{ index: 1, reason: 'unknown_tag' }] });
    if (out.ok) expect(out.message.tags).toEqual(['AA:BB:CC:DD:EE:01']);
  });
});

describe('contract times', () => {
  it.each([
    [T, T],
    ['2026-11-23T06:00:00Z', T],
    ['2026-11-23T06:00:00.5Z', T + 500],
    ['2026-11-23T07:00:00+01:00', T],
  ])('parses %p', (input, expected) => {
    expect(parseContractTime(input)).toBe(expected);
  });

  it.each([['2026-11-23'], ['2026-11-23T06:00:00'], [1.5], [-1], [null], ['']])('refuses %p', (input) => {
    expect(parseContractTime(input)).toBeUndefined();
  });
});
