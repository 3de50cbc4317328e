import { beforeEach, describe, expect, it } from '@jest/globals';
import { imeiFromBody } from '@coldchain/contract';
import { ManualClock } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import { MetadataCache, SqliteDatabase } from '@coldchain/metadata-store';
import { FleetService, type Actor } from './fleet.service.js';
import { startMetadata, type MetadataHarness } from '../../../test/support/metadata.js';

/** FleetService on a real SQLite store (in memory) with a fixed clock. */
describe('FleetService', () => {
  let store: MetadataHarness;
  let fleet: FleetService;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const alice: Actor = { userId: 'u-a', tenantId: 'a', email: 'alice@a.test' };
  const bob: Actor = { userId: 'u-b', tenantId: 'b', email: 'bob@b.test' };
  const imei = imeiFromBody('35693803000001');

  beforeEach(async () => {
    store = await startMetadata(new SqliteDatabase(':memory:'));
    await store.tenants.createTenant({ id: 'a', name: 'A' });
    await store.tenants.createTenant({ id: 'b', name: 'B' });
    fleet = new FleetService(store, clock);
  });

  it('registers a hub only with a Luhn-valid IMEI, once across tenants, and hides it from other tenants', async () => {
    await expect(fleet.registerHub(alice, { imei: '35693803000002', name: 'x' })).rejects.toMatchObject({
      code: 'invalid_input',
      problems: ['imei: expected 15 digits whose last is the Luhn check digit'],
    });
    const { hub, secret } = await fleet.registerHub(alice, { imei, name: 'Truck' });
    expect(hub).toEqual({ imei, tenantId: 'a', name: 'Truck' });
    expect(secret.length).toBeGreaterThanOrEqual(20);
    await expect(fleet.registerHub(bob, { imei, name: 'Mine' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(fleet.getHub(bob, imei)).rejects.toMatchObject({ code: 'not_found' });
    await expect(fleet.rotateHubSecret(bob, imei)).rejects.toMatchObject({ code: 'not_found' });
    await expect(fleet.history(bob, 'hub', imei, 10)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('answers 409 to concurrent registrations of one IMEI or MAC, whichever wins', async () => {
    const hubs = await Promise.allSettled([
      fleet.registerHub(alice, { imei, name: 'One' }),
      fleet.registerHub(bob, { imei, name: 'Two' }),
    ]);
    expect(hubs.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(hubs.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
    const tags = await Promise.allSettled([
      fleet.registerTag(alice, { mac: 'AA:BB:CC:00:00:01', name: 'One' }),
      fleet.registerTag(bob, { mac: 'aabbcc000001', name: 'Two' }),
    ]);
    expect(tags.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
  });

  it('rotates a hub secret: the cache accepts the new one and refuses the old; the trail never holds a secret', async () => {
    const { secret: old } = await fleet.registerHub(alice, { imei, name: 'Truck' });
    const cache = new MetadataCache(store.database, 60_000);
    await cache.start();
    try {
      const { secret } = await fleet.rotateHubSecret(alice, imei);
      await cache.refresh();
      expect(cache.authenticateHub(imei, secret)?.tenantId).toBe('a');
      expect(cache.authenticateHub(imei, old)).toBeUndefined();
      const trail = await fleet.history(alice, 'hub', imei, 10);
      expect(trail.map((e) => [e.action, e.actorEmail, e.at])).toEqual([
        ['hub.rotate_secret', 'alice@a.test', clock.now()],
        ['hub.create', 'alice@a.test', clock.now()],
      ]);
      expect(JSON.stringify(trail)).not.toContain(secret);
    } finally {
      cache.stop();
    }
  });

  it('registers tags in any MAC spelling under the canonical form, and assigns only own profiles', async () => {
    const own = await fleet.createProfile(alice, { name: 'Vaccines', temperature: { min: 2, max: 8 } });
    const foreign = await fleet.createProfile(bob, { name: 'Theirs', temperature: { min: 0, max: 4 } });
    const tag = await fleet.registerTag(alice, { mac: 'aabb.ccdd.ee01', name: 'Pallet' });
    expect(tag.mac).toBe('AA:BB:CC:DD:EE:01');
    await expect(fleet.registerTag(alice, { mac: 'aa-bb-cc-dd-ee-01', name: 'Again' })).rejects.toMatchObject(
      {
        code: 'conflict',
      },
    );
    await expect(fleet.registerTag(alice, { mac: 'zz', name: 'Bad' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(fleet.updateTag(alice, 'aabbccddee01', { profileId: foreign.id })).rejects.toMatchObject({
      code: 'invalid_input',
      problems: [`profileId: no profile "${foreign.id}"`],
    });
    expect((await fleet.updateTag(alice, 'aabbccddee01', { profileId: own.id })).profileId).toBe(own.id);
    await expect(fleet.getTag(bob, tag.mac)).rejects.toMatchObject({ code: 'not_found' });
    await expect(fleet.updateTag(bob, tag.mac, { name: 'stolen' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('versions profiles, keeps each version in the trail, and refuses a bad one with every problem', async () => {
    const v1 = await fleet.createProfile(alice, { name: 'Fresh', temperature: { min: 0, max: 4 } });
    clock.advance(60_000);
    const v2 = await fleet.updateProfile(alice, v1.id, { name: 'Fresh', temperature: { min: 0, max: 5 } });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const trail = await fleet.history(alice, 'profile', v1.id, 10);
    expect(trail.map((e) => e.detail)).toEqual([
      { version: 2, name: 'Fresh', temperature: { min: 0, max: 5 }, rules: null },
      { version: 1, name: 'Fresh', temperature: { min: 0, max: 4 }, rules: null },
    ]);
    await expect(
      fleet.updateProfile(alice, v1.id, { name: '', temperature: { min: 9, max: 1 } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      problems: expect.arrayContaining([
        'name must not be empty',
        'temperature.min (9) must not be above temperature.max (1)',
      ]),
    });
    await expect(
      fleet.updateProfile(bob, v1.id, { name: 'x', temperature: { min: 0, max: 1 } }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect((await fleet.getProfile(alice, v1.id)).version).toBe(2);
    const rules = {
      temperature: { high: { warning: { bound: 4 }, critical: { bound: 5, delayMs: 600_000 } } },
    };
    const v3 = await fleet.updateProfile(alice, v1.id, {
      name: 'Fresh',
      temperature: { min: 0, max: 5 },
      rules,
    });
    expect(await fleet.getProfile(alice, v1.id)).toEqual({ ...v3, rules });
    expect(v3.version).toBe(3);
  });

  it('refuses a profile with contradictory bounds when saved, naming the problem', async () => {
    await expect(
      fleet.createProfile(alice, { name: 'Broken', temperature: { min: 9, max: 2 } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      retriable: false,
      message: expect.stringContaining('temperature.min (9)'),
    });
  });

  it('refuses a profile whose rules contradict themselves with InvalidInputError listing every problem, saving nothing', async () => {
    const before = await store.database.version();
    const save = fleet.createProfile(alice, {
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
    expect((await store.database.snapshot()).profiles.some((p) => p.name === 'Broken rules')).toBe(false);
    expect(await store.database.version()).toBe(before);
  });
});
