import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import {
  DEAD_LETTER_LIMITS,
  boundDeadLetter,
  clipText,
  deadLetterPayload,
  type DeadLetter,
} from './dead-letter.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const letter = (overrides: Partial<DeadLetter> = {}): DeadLetter => ({
  v: 1,
  topic: 'khub/490154203237518/telemetry',
  hub: '490154203237518',
  receivedAt: 1000,
  reason: 'malformed_json',
  detail: 'Unexpected token',
  rejections: [],
  ...deadLetterPayload(Buffer.from('{"v":1,')),
  suppressed: 0,
  ...overrides,
});

describe('deadLetterPayload', () => {
  it('keeps the first 4 KiB of a big payload with the size and SHA-256 of all of it', () => {
    const payload = randomBytes(20 * 1024 * 1024);
    const fields = deadLetterPayload(payload);
    expect(Buffer.from(fields.payloadPrefixBase64, 'base64').equals(payload.subarray(0, 4096))).toBe(true);
    expect(fields.payloadBytes).toBe(20 * 1024 * 1024);
    expect(fields.payloadSha256).toBe(sha256(payload));
  });

  it('keeps a payload shorter than the prefix whole, and an empty one as empty', () => {
    const small = Buffer.from('{"v":1, nope');
    expect(deadLetterPayload(small)).toEqual({
      payloadPrefixBase64: small.toString('base64'),
      payloadBytes: small.length,
      payloadSha256: sha256(small),
    });
    expect(deadLetterPayload(Buffer.alloc(0))).toEqual({
      payloadPrefixBase64: '',
      payloadBytes: 0,
      payloadSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });

  it('takes the prefix length it is given, bytes', () => {
    const payload = Buffer.from('abcdefghij');
    expect(Buffer.from(deadLetterPayload(payload, 3).payloadPrefixBase64, 'base64').toString()).toBe('abc');
  });
});

describe('clipText', () => {
  it('cuts a long text to its bound, the last character an ellipsis, and leaves a short one', () => {
    expect(clipText('x'.repeat(1000), 10)).toBe('xxxxxxxxx…');
    expect(clipText('x'.repeat(1000), 10)).toHaveLength(10);
    expect(clipText('short', 10)).toBe('short');
  });

  it('replaces NUL, which PostgreSQL text refuses', () => {
    expect(clipText('a\u0000b', 10)).toBe('a\uFFFDb');
  });
});

describe('boundDeadLetter', () => {
  it('cuts the texts a hub controls and drops rejections past the limit', () => {
    const bounded = boundDeadLetter(
      letter({
        topic: `khub/${'t'.repeat(60_000)}/telemetry`,
        hub: 'h'.repeat(60_000),
        detail: `v must be 1, got "${'v'.repeat(250_000)}"`,
        rejections: Array.from({ length: 1000 }, (_, i) => ({
          index: i,
          reason: 'invalid_tag' as const,
          detail: `"${'m'.repeat(250)}" is not a MAC address`,
        })),
      }),
    );
    expect(bounded.topic).toHaveLength(DEAD_LETTER_LIMITS.topicChars);
    expect(bounded.hub).toHaveLength(DEAD_LETTER_LIMITS.hubChars);
    expect(bounded.detail).toHaveLength(DEAD_LETTER_LIMITS.detailChars);
    expect(bounded.rejections).toHaveLength(DEAD_LETTER_LIMITS.rejections);
    expect(bounded.rejections.every((r) => r.detail.length <= DEAD_LETTER_LIMITS.rejectionDetailChars)).toBe(
      true,
    );
    expect(bounded.rejections[49].index).toBe(49);
    // Everything together stays small, whatever the hub sent.
    expect(JSON.stringify(bounded).length).toBeLessThan(16 * 1024);
  });

  it('hashes and cuts the whole payload of a letter in the unbounded shape of older gateways', () => {
    const payload = randomBytes(300 * 1024);
    const {
      payloadPrefixBase64: _p,
      payloadBytes: _b,
      payloadSha256: _s,
      suppressed: _n,
      ...rest
    } = letter();
    const bounded = boundDeadLetter({ ...rest, payloadBase64: payload.toString('base64') });
    expect(bounded).toMatchObject({
      payloadBytes: payload.length,
      payloadSha256: sha256(payload),
      suppressed: 0,
    });
    expect(Buffer.from(bounded.payloadPrefixBase64, 'base64').equals(payload.subarray(0, 4096))).toBe(true);
    expect(bounded).not.toHaveProperty('payloadBase64');
  });

  it('cuts a prefix longer than the limit and keeps the size and hash it came with', () => {
    const payload = randomBytes(10_000);
    const bounded = boundDeadLetter(
      letter({ payloadPrefixBase64: payload.toString('base64'), payloadBytes: 10_000, payloadSha256: 'ab' }),
    );
    expect(Buffer.from(bounded.payloadPrefixBase64, 'base64').equals(payload.subarray(0, 4096))).toBe(true);
    expect(bounded).toMatchObject({ payloadBytes: 10_000, payloadSha256: 'ab' });
  });

  it('leaves a letter within the limits as it is', () => {
    const within = letter({ suppressed: 3, rejections: [{ index: 1, reason: 'unknown_tag', detail: 'x' }] });
    expect(boundDeadLetter(within)).toEqual(within);
  });
});
