import type { TopicSpec } from './topic-spec.js';

/** A topic whose values travel as UTF-8 JSON. */
export function jsonTopic<T>(name: string): TopicSpec<T> {
  return {
    name,
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (bytes) => JSON.parse(bytes.toString('utf8')) as T,
  };
}

const OPEN_BRACKET = 0x5b; // '['

/**
 * A high-volume topic of JSON objects whose Kafka records are bundles (see
 * {@link TopicSpec.bundle}): `[[key, …], [value, …]]`, one `JSON.stringify`
 * per value (at publish) and one `JSON.parse` per bundle. A single value is a JSON object, so its
 * first byte (`{`) tells it from a bundle (`[`): records written before
 * bundling, or by another producer, still read.
 */
export function bundledJsonTopic<T extends object>(
  name: string,
  /** One value's JSON; a topic may bring a faster encoder of its own (same JSON up to property order). */
  encodeValue: (value: T) => string = (value) => JSON.stringify(value),
): TopicSpec<T> {
  return {
    ...jsonTopic<T>(name),
    bundle: {
      encodeValue,
      join: (keys, encodedValues) => Buffer.from(`[${JSON.stringify(keys)},[${encodedValues.join(',')}]]`),
      decode: (bytes) => {
        if (bytes[0] !== OPEN_BRACKET) return undefined;
        const [keys, values] = JSON.parse(bytes.toString('utf8')) as [string[], T[]];
        if (!Array.isArray(keys) || !Array.isArray(values) || keys.length !== values.length)
          throw new Error('malformed bundle: keys and values differ in length');
        return { keys, values };
      },
    },
  };
}

const PACKED_FORMAT = 1;
/** Float64Array uses the platform's byte order; the layout is little-endian, so other platforms take the slow path. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * A topic whose values are JSON objects carrying one long array of numbers
 * (`field`, a plain array or a Float64Array), such as the alarm engine's state snapshots: the array travels as
 * little-endian float64 after a JSON header holding the other fields. Exact
 * (NaN and ±Infinity included; strings in the array are read with `Number`)
 * and cheaper to encode than JSON.
 *
 * Layout: byte 0 = format (1), bytes 1–4 = header length h (u32 LE), the
 * header JSON, zero padding up to the next multiple of 8, then the numbers.
 * A value starting with `{` is read as plain JSON.
 */
export function packedJsonTopic<T extends object>(name: string, field: keyof T & string): TopicSpec<T> {
  return {
    name,
    encode: (value) => {
      const numbers = (value as Record<string, unknown>)[field] as
        readonly (number | string)[] | Float64Array;
      const header: Record<string, unknown> = {};
      for (const k in value) if (k !== field) header[k] = (value as Record<string, unknown>)[k];
      const head = JSON.stringify(header);
      const headBytes = Buffer.byteLength(head);
      const start = (5 + headBytes + 7) & ~7;
      // Pooled allocation; Node aligns pool slices to 8 bytes, checked below anyway.
      const out = Buffer.allocUnsafe(start + numbers.length * 8);
      out[0] = PACKED_FORMAT;
      out.writeUInt32LE(headBytes, 1);
      out.write(head, 5, 'utf8');
      out.fill(0, 5 + headBytes, start);
      if (LITTLE_ENDIAN && (out.byteOffset + start) % 8 === 0) {
        const f64 = new Float64Array(out.buffer, out.byteOffset + start, numbers.length);
        if (numbers instanceof Float64Array) f64.set(numbers);
        else
          for (let i = 0; i < numbers.length; i++) {
            const x = numbers[i];
            f64[i] = typeof x === 'number' ? x : Number(x);
          }
      } else {
        for (let i = 0; i < numbers.length; i++) {
          const x = numbers[i];
          out.writeDoubleLE(typeof x === 'number' ? x : Number(x), start + i * 8);
        }
      }
      return out;
    },
    decode: (bytes) => {
      if (bytes[0] !== PACKED_FORMAT) return JSON.parse(bytes.toString('utf8')) as T;
      const headBytes = bytes.readUInt32LE(1);
      const value = JSON.parse(bytes.toString('utf8', 5, 5 + headBytes)) as Record<string, unknown>;
      const start = (5 + headBytes + 7) & ~7;
      const n = (bytes.length - start) / 8;
      const numbers = new Array<number>(n);
      for (let i = 0; i < n; i++) numbers[i] = bytes.readDoubleLE(start + i * 8);
      value[field] = numbers;
      return value as T;
    },
  };
}
