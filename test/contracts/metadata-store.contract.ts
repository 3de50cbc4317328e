import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { deadLetterPayload, imeiFromBody, type DeadLetter } from '@coldchain/contract';
import { InvalidInputError } from '@coldchain/errors';
import type { AlertEvent } from '@coldchain/domain';
import {
  MetadataCache,
  hashHubSecret,
  hashPassword,
  verifyPassword,
  type MetadataStorePort,
} from '@coldchain/metadata-store';

/** An alert event for store tests; `tag` may be overridden. */
export function alert(
  tenantId: string,
  key: string,
  emittedAt: number,
  tag = 'AA:BB:CC:DD:EE:01',
): AlertEvent {
  return {
    v: 1,
    key,
    tenantId,
    tag,
    hub: '490154203237518',
    profileId: 'p1',
    profileVersion: 1,
    rule: 'temperature.high',
    severity: 'critical',
    transition: 'raised',
    startedAt: emittedAt - 1000,
    value: 9.5,
    bound: 8,
    unit: '°C',
    late: false,
    emittedAt,
  };
}

/** The behaviour every MetadataStorePort adapter must show (SQLite in unit tests, PostgreSQL in integration). */
export function metadataStoreContract(adapter: string, makeStore: () => Promise<MetadataStorePort>): void {
  describe(`MetadataStorePort contract: ${adapter}`, () => {
    let store: MetadataStorePort;
    const tenantId = `t-${randomUUID()}`;
    const otherTenant = `t-${randomUUID()}`;
    const imei = imeiFromBody('35' + String(Date.now()).slice(-12));
    const profileId = `p-${randomUUID()}`;

    beforeAll(async () => {
      store = await makeStore();
      await store.start();
      await store.createTenant({ id: tenantId, name: 'Acme' });
      await store.createTenant({ id: otherTenant, name: 'Other' });
    });
    afterAll(async () => {
      await store.close();
    });

    it('applies migrations idempotently (a second start changes nothing)', async () => {
      await store.close();
      store = await makeStore();
      await store.start();
      expect(await store.isEmpty()).toBe(false);
    });

    it('saves a profile at version 1, and bumps the version on each edit', async () => {
      const v1 = await store.saveProfile({
        id: profileId,
        tenantId,
        name: 'Vaccines',
        temperature: { min: 2, max: 8 },
      });
      expect(v1.version).toBe(1);
      const v2 = await store.saveProfile({
        id: profileId,
        tenantId,
        name: 'Vaccines',
        temperature: { min: 2, max: 7 },
      });
      expect(v2.version).toBe(2);
      const snap = await store.snapshot();
      expect(snap.profiles.find((p) => p.id === profileId)).toMatchObject({
        version: 2,
        temperature: { min: 2, max: 7 },
      });
    });

    it('refuses a profile with contradictory bounds when saved, naming the problem', async () => {
      await expect(
        store.saveProfile({
          id: `p-${randomUUID()}`,
          tenantId,
          name: 'Broken',
          temperature: { min: 9, max: 2 },
        }),
      ).rejects.toMatchObject({
        code: 'invalid_input',
        retriable: false,
        message: expect.stringContaining('temperature.min (9)'),
      });
    });

    it('persists the alarm rules of a profile and returns them with each new version', async () => {
      const id = `p-${randomUUID()}`;
      const rules = {
        temperature: {
          high: {
            warning: { bound: 8, delayMs: 900_000 },
            critical: { bound: 12, delayMs: 300_000 },
            hysteresis: 0.5,
          },
        },
        tag: { silent: { warning: { afterMs: 1_800_000 } } },
      };
      const v1 = await store.saveProfile({
        id,
        tenantId,
        name: 'Vaccines',
        temperature: { min: 2, max: 8 },
        rules,
      });
      expect(v1).toMatchObject({ version: 1, rules });
      const v2 = await store.saveProfile({ id, tenantId, name: 'Vaccines', temperature: { min: 2, max: 8 } });
      expect(v2.version).toBe(2);
      const snap = await store.snapshot();
      const saved = snap.profiles.find((p) => p.id === id);
      expect(saved).toMatchObject({ version: 2 });
      expect(saved?.rules).toBeUndefined();
      await store.saveProfile({ id, tenantId, name: 'Vaccines', temperature: { min: 2, max: 8 }, rules });
      expect((await store.snapshot()).profiles.find((p) => p.id === id)).toEqual({
        id,
        tenantId,
        name: 'Vaccines',
        version: 3,
        temperature: { min: 2, max: 8 },
        rules,
      });
    });

    it('refuses a profile whose rules contradict themselves with InvalidInputError listing every problem, saving nothing', async () => {
      const id = `p-${randomUUID()}`;
      const save = store.saveProfile({
        id,
        tenantId,
        name: 'Broken rules',
        temperature: { min: 2, max: 8 },
        rules: {
          temperature: {
            // Warning outside critical, and the low bound above the high one.
            high: { warning: { bound: 12 }, critical: { bound: 8 } },
            low: { warning: { bound: 15 } },
          },
          humdity: {},
        } as never,
      });
      await expect(save).rejects.toBeInstanceOf(InvalidInputError);
      const err = (await save.catch((e: unknown) => e)) as InvalidInputError;
      expect(err).toMatchObject({ code: 'invalid_input', retriable: false });
      expect(err.problems.length).toBeGreaterThanOrEqual(3);
      expect(err.problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('rules.humdity'),
          expect.stringContaining('rules.temperature.high'),
          expect.stringContaining('low bound (15) is above the high bound'),
        ]),
      );
      for (const p of err.problems) expect(err.message).toContain(p);
      expect((await store.snapshot()).profiles.some((p) => p.id === id)).toBe(false);
    });

    it('keeps hubs and tags in the snapshot, and moves the version on every change', async () => {
      const before = await store.version();
      await store.createHub({ imei, tenantId, name: 'Truck 1', secretHash: hashHubSecret('s3cret') });
      await store.createTag({ mac: 'AA:BB:CC:DD:EE:01', tenantId, name: 'Pallet 1', profileId });
      expect(await store.version()).toBeGreaterThan(before);
      const snap = await store.snapshot();
      expect(snap.hubs.find((h) => h.imei === imei)).toMatchObject({ tenantId, name: 'Truck 1' });
      expect(snap.tags.find((t) => t.mac === 'AA:BB:CC:DD:EE:01')).toMatchObject({ tenantId, profileId });
    });

    it('lets a cache authenticate hubs and resolve profiles, scoped by tenant', async () => {
      const cache = new MetadataCache(store, 60_000);
      await cache.start();
      try {
        expect(cache.authenticateHub(imei, 's3cret')?.tenantId).toBe(tenantId);
        expect(cache.authenticateHub(imei, 'wrong')).toBeUndefined();
        expect(cache.profileForTag(tenantId, 'AA:BB:CC:DD:EE:01')?.id).toBe(profileId);
        expect(cache.profileForTag(otherTenant, 'AA:BB:CC:DD:EE:01')).toBeUndefined();
        await store.saveProfile({
          id: profileId,
          tenantId,
          name: 'Vaccines',
          temperature: { min: 2, max: 6 },
        });
        expect(await cache.refresh()).toBe(true);
        expect(cache.profileForTag(tenantId, 'AA:BB:CC:DD:EE:01')?.temperature.max).toBe(6);
        expect(await cache.refresh()).toBe(false);
      } finally {
        cache.stop();
      }
    });

    it('stores users with a verifiable scrypt hash, found by email whatever its case', async () => {
      const email = `Op-${randomUUID()}@Example.com`;
      await store.createUser({
        id: randomUUID(),
        tenantId,
        email,
        role: 'operator',
        passwordHash: await hashPassword('correct horse'),
        mustChangePassword: true,
      });
      const user = await store.findUserByEmail(email.toUpperCase());
      expect(user).toMatchObject({ tenantId, role: 'operator', mustChangePassword: true });
      expect(await verifyPassword('correct horse', user!.passwordHash)).toBe(true);
      expect(await verifyPassword('wrong', user!.passwordHash)).toBe(false);
    });

    it('records each alert once, whatever the redelivery, scoped by tenant', async () => {
      const a = alert(tenantId, `k-${randomUUID()}`, 1000);
      const b = alert(tenantId, `k-${randomUUID()}`, 2000);
      expect(await store.recordAlerts([a, b])).toHaveLength(2);
      expect(await store.recordAlerts([a, b])).toHaveLength(0);
      const listed = await store.listAlerts(tenantId, 10);
      expect(listed.map((e) => e.key)).toEqual([b.key, a.key]);
      expect(await store.listAlerts(otherTenant, 10)).toEqual([]);
    });

    it("narrows alert listings by tag, rule, transition, episode and emitted time, all bound, tenant's own only", async () => {
      const t = `t-filter-${randomUUID()}`;
      await store.createTenant({ id: t, name: 'Filters' });
      const tagA = 'AA:BB:CC:DD:EE:0A';
      const raised = { ...alert(t, `f-${randomUUID()}`, 10_000, tagA) };
      const cleared = {
        ...alert(t, `f-${randomUUID()}`, 20_000, tagA),
        transition: 'cleared' as const,
        startedAt: raised.startedAt,
      };
      const humid = { ...alert(t, `f-${randomUUID()}`, 30_000, tagA), rule: 'humidity.high' };
      const other = alert(t, `f-${randomUUID()}`, 40_000, 'AA:BB:CC:DD:EE:0B');
      await store.recordAlerts([raised, cleared, humid, other]);
      const keys = async (filter: Parameters<MetadataStorePort['listAlerts']>[2]) =>
        (await store.listAlerts(t, 100, filter)).map((e) => e.key);
      expect(await keys({ tag: tagA })).toEqual([humid.key, cleared.key, raised.key]);
      expect(await keys({ tag: tagA, rule: 'temperature.high', startedAt: raised.startedAt })).toEqual([
        cleared.key,
        raised.key,
      ]);
      expect(await keys({ transition: 'cleared' })).toEqual([cleared.key]);
      expect(await keys({ key: humid.key })).toEqual([humid.key]);
      expect(await keys({ since: 20_000, until: 40_000 })).toEqual([humid.key, cleared.key]);
      expect(await keys({ tag: "x' OR '1'='1" })).toEqual([]);
      expect(await store.listAlerts(otherTenant, 100, { tag: tagA })).toEqual([]);
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
      await store.recordDeadLetters([
        deadLetter(5, payload, {
          reason: 'invalid_reading',
          rejections: [{ index: 2, reason: 'invalid_tag', detail: '"x" is not a MAC address' }],
          suppressed: 7,
        }),
      ]);
      const [last] = await store.listDeadLetters(1);
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
      await store.purgeDeadLetters(Number.MAX_SAFE_INTEGER); // what earlier tests left
      await store.recordDeadLetters([1000, 2000, 3000].map((at) => deadLetter(at, Buffer.from(`{${at}`))));
      expect(await store.purgeDeadLetters(2500)).toBe(2);
      expect((await store.listDeadLetters(10)).map((d) => d.receivedAt)).toEqual([3000]);
      expect(await store.purgeDeadLetters(2500)).toBe(0);
    });

    it('never runs two withLock callbacks of one name at once, and returns their results', async () => {
      let inside = 0;
      let overlapped = false;
      const critical = (n: number) => async () => {
        inside++;
        if (inside > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 20));
        inside--;
        return n;
      };
      const results = await Promise.all([1, 2, 3].map((n) => store.withLock('contract-lock', critical(n))));
      expect(results).toEqual([1, 2, 3]);
      expect(overlapped).toBe(false);
    });

    it('keeps the newest hub status, ignoring an older one that arrives late', async () => {
      await store.setHubStatus(imei, 'online', 2000);
      await store.setHubStatus(imei, 'offline', 1000);
      expect(await store.hubStatuses(tenantId)).toEqual([{ imei, status: 'online', at: 2000 }]);
      expect(await store.hubStatuses(otherTenant)).toEqual([]);
    });
  });
}
