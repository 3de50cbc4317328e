import { describe, expect, it } from '@jest/globals';
import { MqttFrameGuard } from './mqtt-frame.guard.js';

const LIMITS = { maxConnectBytes: 100, maxPacketBytes: 300 };

/** The remaining length as an MQTT variable byte integer (MQTT 3.1.1 §2.2.3). */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** A packet of `type` whose body is `length` bytes of 0x41. */
const packet = (type: number, length: number): Buffer =>
  Buffer.concat([Buffer.from([type << 4, ...varint(length)]), Buffer.alloc(length, 0x41)]);
const CONNECT = 1;
const PUBLISH = 3;

/** Feeds `bytes` one chunk per element; returns the first violation. */
function feed(guard: MqttFrameGuard, chunks: Buffer[]) {
  for (const c of chunks) {
    const v = guard.feed(c);
    if (v) return v;
  }
  return undefined;
}

/** Splits a buffer into chunks of `size` bytes. */
const chop = (buf: Buffer, size: number): Buffer[] =>
  Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size));

describe('MqttFrameGuard', () => {
  it('lets a CONNECT then packets up to the limits through, in one chunk or byte by byte', () => {
    const stream = Buffer.concat([
      packet(CONNECT, 100),
      packet(PUBLISH, 300),
      packet(PUBLISH, 0),
      packet(12, 0),
    ]);
    expect(feed(new MqttFrameGuard(LIMITS), [stream])).toBeUndefined();
    expect(feed(new MqttFrameGuard(LIMITS), chop(stream, 1))).toBeUndefined();
    expect(feed(new MqttFrameGuard(LIMITS), chop(stream, 7))).toBeUndefined();
  });

  it('refuses a packet one byte over the limit as soon as its header arrives', () => {
    const header = packet(PUBLISH, 301).subarray(0, 3);
    const guard = new MqttFrameGuard(LIMITS);
    expect(guard.feed(packet(CONNECT, 10))).toBeUndefined();
    expect(guard.feed(header)).toEqual({ kind: 'packet_too_large', remainingLength: 301, limit: 300 });
  });

  it('holds the first packet, the CONNECT, to its own smaller limit', () => {
    expect(feed(new MqttFrameGuard(LIMITS), [packet(CONNECT, 101)])).toMatchObject({
      kind: 'packet_too_large',
      limit: 100,
    });
    expect(feed(new MqttFrameGuard(LIMITS), [packet(CONNECT, 100), packet(CONNECT, 101)])).toBeUndefined();
  });

  it('refuses a first packet that is not CONNECT (§3.1), whatever its size', () => {
    expect(new MqttFrameGuard(LIMITS).feed(Buffer.from([PUBLISH << 4, 0]))).toEqual({
      kind: 'first_packet_not_connect',
      packetType: PUBLISH,
    });
  });

  it('reads a remaining length whose bytes arrive in separate chunks', () => {
    const limits = { maxConnectBytes: 10, maxPacketBytes: 200_000_000 };
    const big = 2_097_152; // needs the 4-byte form: 0x80 0x80 0x80 0x01
    expect(varint(big)).toHaveLength(4);
    const guard = new MqttFrameGuard(limits);
    expect(guard.feed(packet(CONNECT, 10))).toBeUndefined();
    const header = Buffer.from([PUBLISH << 4, ...varint(big)]);
    for (const byte of header) expect(guard.feed(Buffer.from([byte]))).toBeUndefined();
    // The body is skipped across chunks, and the next header is read after it.
    expect(guard.feed(Buffer.alloc(big - 1))).toBeUndefined();
    expect(guard.feed(Buffer.concat([Buffer.alloc(1), Buffer.from([12 << 4, 0])]))).toBeUndefined();
  });

  it('refuses the largest 4-byte remaining length (268,435,455) split in chunks, before its last byte', () => {
    const guard = new MqttFrameGuard(LIMITS);
    guard.feed(packet(CONNECT, 0));
    expect(guard.feed(Buffer.from([PUBLISH << 4, 0xff]))).toBeUndefined(); // 127 so far
    expect(guard.feed(Buffer.from([0xff]))).toMatchObject({ kind: 'packet_too_large', limit: 300 });
  });

  it('refuses a fifth remaining-length byte as malformed', () => {
    const limits = { maxConnectBytes: 10, maxPacketBytes: 268_435_455 };
    const guard = new MqttFrameGuard(limits);
    guard.feed(packet(CONNECT, 0));
    // 0x80 continuation bytes add nothing, so only the byte count can catch it.
    expect(guard.feed(Buffer.from([PUBLISH << 4, 0x80, 0x80, 0x80]))).toBeUndefined();
    expect(guard.feed(Buffer.from([0x80]))).toEqual({ kind: 'malformed_remaining_length' });
  });

  it('stays refused once it has refused', () => {
    const guard = new MqttFrameGuard(LIMITS);
    const v = guard.feed(Buffer.from([PUBLISH << 4, 0]));
    expect(guard.feed(packet(CONNECT, 1))).toBe(v);
  });
});
