import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { StoredReading } from '@coldchain/domain';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

function reading(tenantId: string, tag: string, minute: number, temperature: number): StoredReading {
  return {
    tenantId,
    tag,
    hub: '490154203237518',
    ts: T0 + minute * 60_000,
    seq: minute,
    temperature,
    humidity: 40,
    door: minute % 2 === 0 ? 'closed' : 'open',
    battery: 90,
    receivedAt: T0 + minute * 60_000 + 500,
  };
}

/** The behaviour every TelemetryStorePort adapter must show (SQLite in unit tests, InfluxDB in integration). */
export function telemetryStoreContract(adapter: string, makeStore: () => Promise<TelemetryStorePort>): void {
  describe(`TelemetryStorePort contract: ${adapter}`, () => {
    let store: TelemetryStorePort;
    const tenant = `t-${randomUUID()}`;
    const other = `t-${randomUUID()}`;
    const tag = 'AA:BB:CC:00:00:01';

    beforeAll(async () => {
      store = await makeStore();
      await store.start();
    });
    afterAll(async () => {
      await store.close();
    });

    it('reads back what it wrote, oldest first, with every field', async () => {
      const batch = [
        reading(tenant, tag, 2, 5.5),
        reading(tenant, tag, 0, 4.25),
        reading(tenant, tag, 1, -1),
      ];
      await store.write(batch, []);
      const got = await store.readings({ tenantId: tenant, tag, from: T0, to: T0 + 3 * 60_000, limit: 10 });
      expect(got.map((r) => r.temperature)).toEqual([4.25, -1, 5.5]);
      expect(got[0]).toMatchObject({
        tenantId: tenant,
        tag,
        hub: '490154203237518',
        ts: T0,
        seq: 0,
        humidity: 40,
        door: 'closed',
        battery: 90,
      });
      expect(got[1].door).toBe('open');
    });

    it('stores a reading written twice once (idempotent on tenant, tag, measured time)', async () => {
      const tag2 = 'AA:BB:CC:00:00:02';
      await store.write([reading(tenant, tag2, 5, 3)], []);
      await store.write([reading(tenant, tag2, 5, 3)], []);
      const got = await store.readings({
        tenantId: tenant,
        tag: tag2,
        from: T0,
        to: T0 + 3_600_000,
        limit: 10,
      });
      expect(got).toHaveLength(1);
    });

    it("never returns another tenant's readings", async () => {
      await store.write([reading(other, tag, 0, 99)], []);
      const mine = await store.readings({ tenantId: tenant, tag, from: T0, to: T0 + 60_000, limit: 10 });
      expect(mine.map((r) => r.temperature)).toEqual([4.25]);
      const latestMine = await store.latest(tenant);
      expect(latestMine.every((r) => r.tenantId === tenant)).toBe(true);
    });

    it('returns the newest reading per tag', async () => {
      const latest = await store.latest(tenant);
      const byTag = new Map(latest.map((r) => [r.tag, r]));
      expect(byTag.get(tag)?.ts).toBe(T0 + 2 * 60_000);
      expect(byTag.get('AA:BB:CC:00:00:02')?.ts).toBe(T0 + 5 * 60_000);
    });

    it('keeps the newest measured reading as latest when a backlog of older ones arrives after it', async () => {
      const tag4 = 'AA:BB:CC:00:00:04';
      await store.write([reading(tenant, tag4, 50, 7)], []);
      await store.write([reading(tenant, tag4, 10, 1), reading(tenant, tag4, 20, 2)], []); // a hub flushing its buffer
      const latest = (await store.latest(tenant)).find((r) => r.tag === tag4);
      expect(latest).toMatchObject({ ts: T0 + 50 * 60_000, temperature: 7 });
      await store.write([reading(tenant, tag4, 51, 8)], []);
      expect((await store.latest(tenant)).find((r) => r.tag === tag4)?.temperature).toBe(8);
    });

    it('pages the latest readings by tag MAC: `limit` per page, `after` the last MAC of the previous one', async () => {
      const paged = `t-${randomUUID()}`;
      const macs = ['AA:00:00:00:00:05', 'AA:00:00:00:00:01', 'AA:00:00:00:00:03', 'AA:00:00:00:00:02'];
      await store.write(
        [
          ...macs.map((mac, i) => reading(paged, mac, i, 10 + i)),
          reading(paged, 'AA:00:00:00:00:03', 9, 30), // a newer reading of one tag
          reading(other, 'AA:00:00:00:00:04', 0, 99), // another tenant's tag, between two of ours
        ],
        [],
      );
      const first = await store.latest(paged, { limit: 2 });
      expect(first.map((r) => r.tag)).toEqual(['AA:00:00:00:00:01', 'AA:00:00:00:00:02']);
      const second = await store.latest(paged, { after: first[1].tag, limit: 2 });
      expect(second.map((r) => [r.tag, r.temperature])).toEqual([
        ['AA:00:00:00:00:03', 30],
        ['AA:00:00:00:00:05', 10],
      ]);
      expect(await store.latest(paged, { after: second[1].tag, limit: 2 })).toEqual([]);
      // A cursor that is not one of the tags (here: between two) works the same way.
      expect(
        (await store.latest(paged, { after: 'AA:00:00:00:00:02:', limit: 5 })).map((r) => r.tag),
      ).toEqual(['AA:00:00:00:00:03', 'AA:00:00:00:00:05']);
      expect((await store.latest(paged)).map((r) => r.tag)).toEqual([...macs].sort());
      await expect(store.latest(paged, { limit: 0 })).rejects.toThrow(/limit must be an integer ≥ 1/);
    });

    it("purges one tenant's positions before its own bound, and nobody else's (a tenant's shorter retention)", async () => {
      // Relative to now: InfluxDB drops points older than the positions retention policy on write.
      const now = Date.now();
      const day = 86_400_000;
      // A tenant id with quotes and InfluxQL in it: it must be a value, never part of a statement.
      const strict = `t-${randomUUID()}' OR "tenant" =~ /.*/ --`;
      const relaxed = `t-${randomUUID()}`;
      const hub = '356938035643809';
      const fix = (tenantId: string, fixAt: number) => ({ tenantId, hub, lat: 45.1, lon: 4.8, fixAt });
      await store.write(
        [reading(strict, 'AA:BB:CC:00:00:0F', 0, 5)],
        [
          fix(strict, now - 10 * day),
          fix(strict, now - 9 * day),
          fix(strict, now - 3_600_000),
          fix(relaxed, now - 10 * day),
        ],
      );
      const gone = await store.purge({ tenantId: strict, positionsBefore: now - 7 * day });
      expect(gone).toEqual({ readings: 0, positions: 2 });
      expect((await store.positions(strict, hub, now - 30 * day, now, 10)).map((p) => p.fixAt)).toEqual([
        now - 3_600_000,
      ]);
      expect((await store.latestPositions(strict)).map((p) => p.fixAt)).toEqual([now - 3_600_000]);
      expect((await store.positions(relaxed, hub, now - 30 * day, now, 10)).map((p) => p.fixAt)).toEqual([
        now - 10 * day,
      ]);
      // Readings are not positions: the strict tenant's old reading stays.
      expect(await store.latest(strict)).toHaveLength(1);
      // Nothing left before the bound: a second pass deletes nothing.
      expect(await store.purge({ tenantId: strict, positionsBefore: now - 7 * day })).toEqual({
        readings: 0,
        positions: 0,
      });
    });

    it('honours the time window and the limit', async () => {
      const got = await store.readings({
        tenantId: tenant,
        tag,
        from: T0 + 60_000,
        to: T0 + 2 * 60_000,
        limit: 10,
      });
      expect(got.map((r) => r.ts)).toEqual([T0 + 60_000]);
      const limited = await store.readings({ tenantId: tenant, tag, from: T0, to: T0 + 3_600_000, limit: 2 });
      expect(limited).toHaveLength(2);
    });

    it('downsamples one tag into buckets aligned to the step: min, max, mean and count per metric', async () => {
      const tag3 = 'AA:BB:CC:00:00:03';
      // Minutes 0..5 at 2, 4, 6, 8, 10, 12 °C; minute 6 humidity only (a reading without temperature).
      const batch = [0, 1, 2, 3, 4, 5].map((m) => reading(tenant, tag3, m, 2 + 2 * m));
      const humidOnly: StoredReading = { ...reading(tenant, tag3, 6, 0), humidity: 70 };
      delete humidOnly.temperature;
      await store.write([...batch, humidOnly, reading(other, tag3, 1, 99)], []);
      const got = await store.series({
        tenantId: tenant,
        tag: tag3,
        from: T0,
        to: T0 + 7 * 60_000,
        stepMs: 180_000,
      });
      // T0 is a multiple of 3 min since the epoch, so the buckets start at T0, T0 + 3 min, T0 + 6 min.
      expect(got.map((b) => b.start)).toEqual([T0, T0 + 180_000, T0 + 360_000]);
      expect(got[0].temperature).toEqual({ min: 2, max: 6, mean: 4, count: 3 });
      expect(got[1].temperature).toEqual({ min: 8, max: 12, mean: 10, count: 3 });
      expect(got[0].humidity).toEqual({ min: 40, max: 40, mean: 40, count: 3 });
      expect(got[2].temperature).toBeUndefined(); // another tenant's 99 °C never counts, and minute 6 had none
      expect(got[2].humidity).toEqual({ min: 70, max: 70, mean: 70, count: 1 });
      // The window is [from, to): minute 5 is out of a window ending there.
      const cut = await store.series({
        tenantId: tenant,
        tag: tag3,
        from: T0,
        to: T0 + 5 * 60_000,
        stepMs: 180_000,
      });
      expect(cut[1].temperature).toEqual({ min: 8, max: 10, mean: 9, count: 2 });
    });

    it('refuses a series step below one second or asking for too many buckets, naming the problem', async () => {
      const base = { tenantId: tenant, tag, from: T0, to: T0 + 86_400_000 };
      await expect(store.series({ ...base, stepMs: 10 })).rejects.toThrow(/stepMs must be an integer ≥ 1000/);
      await expect(store.series({ ...base, stepMs: 1000 })).rejects.toThrow(
        /buckets requested, at most 10000/,
      );
      await expect(store.series({ ...base, to: T0, stepMs: 60_000 })).rejects.toThrow(/must be after from/);
    });

    it('keeps hub positions', async () => {
      const hub = '490154203237518';
      await store.write(
        [],
        [{ tenantId: tenant, hub, lat: 48.85, lon: 2.35, speed: 80, hdop: 0.9, fixAt: T0 }],
      );
      const got = await store.positions(tenant, hub, T0, T0 + 1, 10);
      expect(got).toEqual([
        { tenantId: tenant, hub, lat: 48.85, lon: 2.35, speed: 80, hdop: 0.9, fixAt: T0 },
      ]);
    });

    it("returns each hub's newest position, for the tenant only", async () => {
      const [hubA, hubB] = ['356938035643809', '490154203237518'];
      await store.write(
        [],
        [
          { tenantId: tenant, hub: hubA, lat: 38.7, lon: -9.1, fixAt: T0 + 60_000 },
          { tenantId: tenant, hub: hubA, lat: 39.0, lon: -8.0, fixAt: T0 + 120_000 },
          { tenantId: tenant, hub: hubB, lat: 48.9, lon: 2.4, fixAt: T0 + 30_000 },
          { tenantId: other, hub: hubA, lat: 0, lon: 0, fixAt: T0 + 999_000 },
        ],
      );
      const latest = await store.latestPositions(tenant);
      expect(latest.map((p) => [p.hub, p.fixAt, p.lat])).toEqual([
        [hubA, T0 + 120_000, 39.0],
        [hubB, T0 + 30_000, 48.9],
      ]);
      expect(latest.every((p) => p.tenantId === tenant)).toBe(true);
    });
  });
}
