import { describe, expect, it } from '@jest/globals';
import { jsonTopic, packedJsonTopic } from './json-topic.js';

interface Snap {
  tag: string;
  gps?: { lat: number; lon: number };
  slab: (number | string)[];
}

describe('packedJsonTopic', () => {
  const topic = packedJsonTopic<Snap>('t', 'slab');

  it('round-trips the header fields and the numbers exactly, non-finite ones included', () => {
    const value: Snap = {
      tag: 'AA:BB',
      gps: { lat: 48.1, lon: 11.5 },
      slab: [0, -1.5, 1e300, 5e-324, 'NaN', 'Infinity', '-Infinity'],
    };
    const back = topic.decode(topic.encode(value));
    expect(back.tag).toBe('AA:BB');
    expect(back.gps).toEqual({ lat: 48.1, lon: 11.5 });
    expect(back.slab).toEqual([0, -1.5, 1e300, 5e-324, NaN, Infinity, -Infinity]);
  });

  it('writes a Float64Array as it is', () => {
    const slab = new Float64Array([1.5, NaN, -Infinity, 42]);
    const back = packedJsonTopic<{ tag: string; slab: Float64Array | number[] }>('t', 'slab').decode(
      packedJsonTopic<{ tag: string; slab: Float64Array | number[] }>('t', 'slab').encode({ tag: 'x', slab }),
    );
    expect(back).toEqual({ tag: 'x', slab: [1.5, NaN, -Infinity, 42] });
  });

  it('is smaller than JSON for a typical snapshot and still reads plain JSON values', () => {
    const slab = Array.from({ length: 150 }, (_, i) => 1_767_600_000_000 + i * 60_000.5);
    const value: Snap = { tag: 'AA:BB', slab };
    expect(topic.encode(value).length).toBeLessThan(jsonTopic<Snap>('t').encode(value).length);
    expect(topic.decode(Buffer.from(JSON.stringify(value)))).toEqual(value);
  });
});
