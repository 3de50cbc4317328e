import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import type { DeadLetter } from '@coldchain/contract';
import { DeadLetterRecorder } from './side-recorders.js';

describe('DeadLetterRecorder', () => {
  it('stores a letter in the unbounded shape of an older gateway as prefix, size and hash', async () => {
    const stored: DeadLetter[] = [];
    const recorder = new DeadLetterRecorder({
      recordDeadLetters: (letters) => {
        stored.push(...letters);
        return Promise.resolve();
      },
    });
    const payload = randomBytes(1024 * 1024);
    const legacy = {
      v: 1,
      topic: 'khub/490154203237518/telemetry',
      hub: '490154203237518',
      receivedAt: 1,
      reason: 'payload_too_large',
      detail: 'too big',
      rejections: [],
      payloadBase64: payload.toString('base64'),
    } as unknown as DeadLetter;
    await recorder.handleBatch({ topic: 'dlq', partition: 0, keys: [legacy.hub], values: [legacy] });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      payloadBytes: payload.length,
      payloadSha256: createHash('sha256').update(payload).digest('hex'),
      suppressed: 0,
    });
    expect(Buffer.from(stored[0].payloadPrefixBase64, 'base64').equals(payload.subarray(0, 4096))).toBe(true);
    expect(JSON.stringify(stored[0]).length).toBeLessThan(8 * 1024);
  });
});
