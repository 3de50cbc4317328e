import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decodeKTagAdvertisement,
  encodeKTagAdvertisement,
  encodeKTagAdvertisingData,
  KTAG_V1_LENGTH,
  LEGACY_ADV_DATA_MAX_BYTES,
} from './k-tag-advertisement.codec.js';
import { INVALID_FIXTURES, RECORDED_ADV_DATA_HEX, VALID_FIXTURES } from './k-tag-advertisement.fixtures.js';

describe('K-TAG advertisement v1 decoder', () => {
  it.each(VALID_FIXTURES)('decodes $name', ({ hex, value }) => {
    expect(decodeKTagAdvertisement(Buffer.from(hex, 'hex'))).toEqual({ ok: true, value });
  });

  it.each(INVALID_FIXTURES)('refuses $name as $reason, without throwing', ({ hex, reason }) => {
    const result = decodeKTagAdvertisement(Buffer.from(hex, 'hex'));
    expect(result).toMatchObject({ ok: false, reason });
    expect((result as { detail: string }).detail.length).toBeGreaterThan(0);
  });

  it('treats an advertisement without manufacturer data (undefined) as foreign', () => {
    expect(decodeKTagAdvertisement(undefined)).toMatchObject({ ok: false, reason: 'foreign' });
  });

  it('never throws on arbitrary bytes heard on air', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const r = decodeKTagAdvertisement(bytes);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('K-TAG advertisement v1 encoder', () => {
  it.each(VALID_FIXTURES.slice(0, 3))('encodes $name to the documented bytes', ({ hex, value }) => {
    expect(encodeKTagAdvertisement(value).toString('hex')).toBe(hex);
  });

  it('round-trips every encodable measurement at the format’s resolution', () => {
    const fields = fc.record({
      temperature: fc.option(fc.double({ min: -100, max: 100, noNaN: true }), { nil: undefined }),
      humidity: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
      co2: fc.option(fc.integer({ min: 0, max: 65_534 }), { nil: undefined }),
      battery: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      door: fc.option(fc.constantFrom('open' as const, 'closed' as const), { nil: undefined }),
      lowBattery: fc.boolean(),
      sensorFault: fc.boolean(),
      counter: fc.integer({ min: 0, max: 200_000 }),
    });
    fc.assert(
      fc.property(fields, (f) => {
        const bytes = encodeKTagAdvertisement(f);
        expect(bytes.length).toBe(KTAG_V1_LENGTH);
        const r = decodeKTagAdvertisement(bytes);
        if (!r.ok) throw new Error(r.detail);
        const v = r.value;
        if (f.temperature === undefined) expect(v.temperature).toBeUndefined();
        else expect(Math.abs(v.temperature! - f.temperature)).toBeLessThanOrEqual(0.005 + 1e-9);
        if (f.humidity === undefined) expect(v.humidity).toBeUndefined();
        else expect(Math.abs(v.humidity! - f.humidity)).toBeLessThanOrEqual(0.25 + 1e-9);
        expect(v.co2).toBe(f.co2);
        expect(v.battery).toBe(f.battery);
        expect(v.door).toBe(f.door);
        expect(v.lowBattery).toBe(f.lowBattery);
        expect(v.sensorFault).toBe(f.sensorFault);
        expect(v.counter).toBe(f.counter % 65536);
      }),
    );
  });

  it('wraps the rolling counter at 65536', () => {
    const r = decodeKTagAdvertisement(encodeKTagAdvertisement({ counter: 65_537 }));
    expect(r).toMatchObject({ ok: true, value: { counter: 1 } });
  });

  it('builds the whole advertising data a scanner records, within the 31-byte legacy limit', () => {
    const mfg = Buffer.from(VALID_FIXTURES[0].hex, 'hex');
    const adv = encodeKTagAdvertisingData(mfg, 'K-TAG');
    expect(adv.toString('hex')).toBe(RECORDED_ADV_DATA_HEX);
    expect(adv.length).toBeLessThanOrEqual(LEGACY_ADV_DATA_MAX_BYTES);
    // A long name is cut to what fits.
    expect(encodeKTagAdvertisingData(mfg, 'K-TAG with a very long name indeed').length).toBe(
      LEGACY_ADV_DATA_MAX_BYTES,
    );
  });
});
