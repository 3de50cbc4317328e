import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Trip } from '@coldchain/domain';
import { openFixture, type MetadataFixture, type OpenDatabase } from './metadata-fixture.js';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);

/**
 * Trips (shipments), tenant-scoped, each change moving the metadata version.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function tripRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`TripRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const tenantId = `t-${randomUUID()}`;
    const otherTenant = `t-${randomUUID()}`;
    const trip = (over: Partial<Trip> = {}): Trip => ({
      id: randomUUID(),
      tenantId,
      name: 'LIS-MAD',
      origin: 'Lisbon DC',
      destination: 'Madrid hospital',
      tags: ['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02'],
      hubs: ['356938035643809'],
      createdAt: T0,
      ...over,
    });

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
      await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
    });
    afterAll(async () => {
      await store.database.close();
    });

    it('creates a trip and reads it back whole, within its tenant only, bumping the version', async () => {
      const t = trip();
      const before = await store.database.version();
      await store.trips.createTrip(t);
      expect(await store.database.version()).toBeGreaterThan(before);
      expect(await store.trips.findTrip(tenantId, t.id)).toEqual(t);
      expect(await store.trips.findTrip(otherTenant, t.id)).toBeUndefined();
    });

    it('lists trips newest first, limited, per tenant', async () => {
      const older = trip({ name: 'older', createdAt: T0 - 3_600_000 });
      const newer = trip({ name: 'newer', createdAt: T0 + 3_600_000 });
      await store.trips.createTrip(older);
      await store.trips.createTrip(newer);
      const listed = await store.trips.listTrips(tenantId, 2);
      expect(listed.map((t) => t.name)).toEqual(['newer', 'LIS-MAD']);
      expect(await store.trips.listTrips(otherTenant, 10)).toEqual([]);
    });

    it('applies a patch (start, stop, devices, cleared fields) and refuses another tenant silently', async () => {
      const t = trip({ name: 'patch me' });
      await store.trips.createTrip(t);
      expect(await store.trips.updateTrip(otherTenant, t.id, { name: 'hijacked' })).toBeUndefined();
      const before = await store.database.version();
      const started = await store.trips.updateTrip(tenantId, t.id, {
        startedAt: T0 + 60_000,
        tags: ['AA:BB:CC:00:00:03'],
        origin: null,
      });
      expect(await store.database.version()).toBeGreaterThan(before);
      expect(started).toMatchObject({
        name: 'patch me',
        startedAt: T0 + 60_000,
        tags: ['AA:BB:CC:00:00:03'],
      });
      expect(started).not.toHaveProperty('origin');
      const stopped = await store.trips.updateTrip(tenantId, t.id, { endedAt: T0 + 120_000 });
      expect(await store.trips.findTrip(tenantId, t.id)).toEqual(stopped);
      expect(stopped).toMatchObject({
        startedAt: T0 + 60_000,
        endedAt: T0 + 120_000,
        destination: 'Madrid hospital',
      });
      expect(await store.trips.updateTrip(tenantId, randomUUID(), { name: 'x' })).toBeUndefined();
    });

    it('lists the trips the hot path needs: running ones and those ended recently, all tenants', async () => {
      const running = trip({ name: 'running', startedAt: T0 });
      const recent = trip({ tenantId: otherTenant, name: 'recent', startedAt: T0, endedAt: T0 + 10_000 });
      const long = trip({ name: 'long ago', startedAt: T0 - 9e8, endedAt: T0 - 8e8 });
      for (const t of [running, recent, long]) await store.trips.createTrip(t);
      const ids = (await store.trips.activeTrips(T0)).map((t) => t.id);
      expect(ids).toEqual(expect.arrayContaining([running.id, recent.id]));
      expect(ids).not.toContain(long.id);
    });
  });
}
