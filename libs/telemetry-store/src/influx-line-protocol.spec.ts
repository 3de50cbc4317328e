import { describe, expect, it } from '@jest/globals';
import type { StoredReading } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import {
  chunkLines,
  escapeMeasurement,
  escapeTagValue,
  positionLine,
  quoteStringField,
  readingLine,
} from './influx-line-protocol.js';

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

const full: StoredReading = {
  tenantId: 't-1',
  tag: 'AC:23:3F:00:00:01',
  hub: '490154203237518',
  profileId: 'pharma-2-8',
  ts: T0,
  seq: 42,
  temperature: 4.25,
  humidity: 40,
  co2: 612.5,
  door: 'open',
  battery: 90,
  rssi: -71,
  receivedAt: T0 + 500,
};

describe('readingLine', () => {
  it('puts only tenant and tag MAC in the tag set (sorted), everything else in fields, time in ms', () => {
    expect(readingLine('readings', full)).toBe(
      'readings,tag=AC:23:3F:00:00:01,tenant=t-1 ' +
        'temperature=4.25,humidity=40,co2=612.5,door=1i,battery=90,rssi=-71,seq=42i,' +
        `received_at=${T0 + 500}i,hub="490154203237518",profile="pharma-2-8" ${T0}`,
    );
  });

  it('leaves out the fields a tag did not report, and writes a closed door as 0i', () => {
    const line = readingLine('readings', {
      tenantId: 't-1',
      tag: 'AC:23:3F:00:00:02',
      hub: '490154203237518',
      ts: T0,
      door: 'closed',
      receivedAt: T0,
    });
    expect(line).toBe(
      `readings,tag=AC:23:3F:00:00:02,tenant=t-1 door=0i,received_at=${T0}i,hub="490154203237518" ${T0}`,
    );
  });

  it('keeps an integral temperature a float (no i suffix), so the field never changes type', () => {
    expect(readingLine('readings', { ...full, temperature: 5 })).toContain('temperature=5,');
  });

  it('escapes commas, equals signs and spaces in tag values, and quotes in string fields', () => {
    const line = readingLine(escapeMeasurement('read ings'), {
      ...full,
      tenantId: 'acme, inc=1',
      tag: "x' OR 1=1 --",
      hub: 'hub "7" \\ east',
    });
    expect(line.startsWith("read\\ ings,tag=x'\\ OR\\ 1\\=1\\ --,tenant=acme\\,\\ inc\\=1 ")).toBe(true);
    expect(line).toContain('hub="hub \\"7\\" \\\\ east"');
  });

  it.each([
    ['a NaN temperature', { temperature: Number.NaN }],
    ['an infinite humidity', { humidity: Number.POSITIVE_INFINITY }],
    ['a fractional seq', { seq: 1.5 }],
    ['a fractional timestamp', { ts: T0 + 0.5 }],
    ['an empty tenant', { tenantId: '' }],
    ['a tag MAC with a line break', { tag: 'AA\nweather v=1' }],
    ['a tag MAC ending with a backslash', { tag: 'AA\\' }],
    ['a hub with a line break', { hub: '49\r\n' }],
  ])('refuses %s with InvalidInputError (retrying cannot help)', (_what, patch) => {
    expect(() => readingLine('readings', { ...full, ...patch })).toThrow(InvalidInputError);
  });
});

describe('positionLine', () => {
  it('tags tenant and hub, keeps optional fix fields only when present', () => {
    expect(
      positionLine('positions', {
        tenantId: 't-1',
        hub: '490154203237518',
        lat: 48.85,
        lon: 2.35,
        fixAt: T0,
      }),
    ).toBe(`positions,hub=490154203237518,tenant=t-1 lat=48.85,lon=2.35 ${T0}`);
    expect(
      positionLine('positions', {
        tenantId: 't-1',
        hub: '490154203237518',
        lat: 48.85,
        lon: 2.35,
        alt: 35,
        speed: 80,
        hdop: 0.9,
        fixAt: T0,
      }),
    ).toBe(`positions,hub=490154203237518,tenant=t-1 lat=48.85,lon=2.35,alt=35,speed=80,hdop=0.9 ${T0}`);
  });
});

describe('escaping helpers', () => {
  it('escapes a measurement name (comma, space) and refuses an empty one', () => {
    expect(escapeMeasurement('a,b c')).toBe('a\\,b\\ c');
    expect(() => escapeMeasurement('')).toThrow(InvalidInputError);
  });

  it('leaves a backslash inside a tag value alone (only a trailing one is ambiguous)', () => {
    expect(escapeTagValue('a\\b', 'tag')).toBe('a\\b');
  });

  it('quotes string fields with backslash first, then double quotes', () => {
    expect(quoteStringField('\\"', 'hub')).toBe('"\\\\\\""');
  });
});

describe('chunkLines', () => {
  const lines = Array.from({ length: 12 }, (_, i) => `m v=${i} ${i}`);

  it('cuts at maxLines, keeping order, losing and duplicating nothing', () => {
    const chunks = chunkLines(lines, 5, 1_000_000);
    expect(chunks.map((c) => c.length)).toEqual([5, 5, 2]);
    expect(chunks.flat()).toEqual(lines);
  });

  it('cuts so that the joined UTF-8 body stays within maxBytes', () => {
    const wide = ['m s="é" 1', 'm s="é" 2', 'm s="é" 3']; // 10 bytes each (é is 2 bytes)
    expect(chunkLines(wide, 100, 21).map((c) => c.length)).toEqual([2, 1]); // 10 + 1 + 10 = 21
    expect(chunkLines(wide, 100, 20).map((c) => c.length)).toEqual([1, 1, 1]);
    for (const chunk of chunkLines(lines, 100, 40)) {
      expect(Buffer.byteLength(chunk.join('\n'))).toBeLessThanOrEqual(40);
    }
  });

  it('gives an oversized line a chunk of its own instead of dropping it', () => {
    expect(chunkLines(['x'.repeat(50), 'y'], 10, 20)).toEqual([['x'.repeat(50)], ['y']]);
  });

  it('returns no chunk for no line', () => {
    expect(chunkLines([], 10, 100)).toEqual([]);
  });
});
