import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { deadLetterPayload, imeiFromBody, type DeadLetter } from '@coldchain/contract';
import { openFixture, type MetadataFixture, type OpenDatabase } from './metadata-fixture.js';

/**
 * Refused telemetry kept for inspection, and its purge.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function deadLetterRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`DeadLetterRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const tenantId = `t-${randomUUID()}`;
    const otherTenant = `t-${randomUUID()}`;
    const imei = imeiFromBody('35' + String(Date.now()).slice(-12));

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
      await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
    });
    afterAll(async () => {
      await store.database.close();
    });

    const deadLetter = (
      receivedAt: number,
      payload: Buffer,
      overrides: Partial<DeadLetter> = {},
    ): DeadLetter => ({
      v: 1,
      topic: `khub/${imei}/telemetry`,
      hub: imei,
      receivedAt,
      reason: 'malformed_json',
      detail: 'Unexpected token',
      rejections: [],
      ...deadLetterPayload(payload),
      suppressed: 0,
      ...overrides,
    });

    it('keeps dead letters with their reason, payload prefix, size, SHA-256 and suppressed count', async () => {
      const payload = Buffer.concat([Buffer.from('{"v":1, not json '), randomBytes(6000)]);
      await store.deadLetters.recordDeadLetters([
        deadLetter(5, payload, {
          reason: 'invalid_reading',
          rejections: [{ index: 2, reason: 'invalid_tag', detail: '"x" is not a MAC address' }],
          suppressed: 7,
        }),
      ]);
      const [last] = await store.deadLetters.listDeadLetters(1);
      expect(last).toMatchObject({
        hub: imei,
        receivedAt: 5,
        reason: 'invalid_reading',
        rejections: [{ index: 2, reason: 'invalid_tag', detail: '"x" is not a MAC address' }],
        payloadBytes: payload.length,
        payloadSha256: createHash('sha256').update(payload).digest('hex'),
        suppressed: 7,
      });
      expect(typeof last.id).toBe('number');
      expect(Buffer.from(last.payloadPrefixBase64, 'base64').equals(payload.subarray(0, 4096))).toBe(true);
    });

    it('purges the dead letters received before a time, and says how many', async () => {
      await store.deadLetters.purgeDeadLetters(Number.MAX_SAFE_INTEGER); // what earlier tests left
      await store.deadLetters.recordDeadLetters(
        [1000, 2000, 3000].map((at) => deadLetter(at, Buffer.from(`{${at}`))),
      );
      expect(await store.deadLetters.purgeDeadLetters(2500)).toBe(2);
      expect((await store.deadLetters.listDeadLetters(10)).map((d) => d.receivedAt)).toEqual([3000]);
      expect(await store.deadLetters.purgeDeadLetters(2500)).toBe(0);
    });
  });
}
