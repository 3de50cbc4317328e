import { describe, expect, it } from '@jest/globals';
import { ManualClock, type Trip } from '@coldchain/domain';
import { TripDirectory } from './trip-directory.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);

function trip(id: string, tags: string[], startedAt?: number, endedAt?: number, tenantId = 'acme'): Trip {
  return { id, tenantId, name: id, tags, hubs: [], startedAt, endedAt, createdAt: T0 - 48 * HOUR };
}

class FakeStore {
  version_ = 1;
  trips: Trip[] = [];
  calls: number[] = [];
  version(): Promise<number> {
    return Promise.resolve(this.version_);
  }
  activeTrips(endedSince: number): Promise<Trip[]> {
    this.calls.push(endedSince);
    return Promise.resolve(this.trips.filter((t) => t.endedAt === undefined || t.endedAt >= endedSince));
  }
}

describe('TripDirectory (trip lookup of the alarm engine)', () => {
  it('gives each tag its running trip, else its latest ended one; ignores planned trips and other tenants', async () => {
    const store = new FakeStore();
    store.trips = [
      trip('old', ['T1', 'T2'], T0 - 10 * HOUR, T0 - 5 * HOUR),
      trip('older', ['T2'], T0 - 20 * HOUR, T0 - 15 * HOUR),
      trip('running', ['T1'], T0 - 2 * HOUR),
      trip('planned', ['T3']),
      trip('theirs', ['T4'], T0 - HOUR, undefined, 'other'),
    ];
    const dir = new TripDirectory({ database: store, trips: store }, new ManualClock(T0), 1000, {
      warn: () => undefined,
    });
    await dir.refresh();
    expect(dir.tripForTag('acme', 'T1')).toEqual({ id: 'running', startedAt: T0 - 2 * HOUR });
    expect(dir.tripForTag('acme', 'T2')).toEqual({
      id: 'old',
      startedAt: T0 - 10 * HOUR,
      endedAt: T0 - 5 * HOUR,
    });
    expect(dir.tripForTag('acme', 'T3')).toBeUndefined();
    expect(dir.tripForTag('acme', 'T4')).toBeUndefined();
    expect(dir.tripForTag('other', 'T4')).toEqual({ id: 'theirs', startedAt: T0 - HOUR });
    expect(store.calls).toEqual([T0 - 24 * HOUR]);
  });

  it('reloads only when the metadata version moved (a trip started or stopped anywhere)', async () => {
    const store = new FakeStore();
    const dir = new TripDirectory({ database: store, trips: store }, new ManualClock(T0), 1000, {
      warn: () => undefined,
    });
    expect(await dir.refresh()).toBe(true);
    expect(dir.tripForTag('acme', 'T1')).toBeUndefined();
    store.trips = [trip('t', ['T1'], T0)];
    expect(await dir.refresh()).toBe(false);
    expect(dir.tripForTag('acme', 'T1')).toBeUndefined();
    store.version_++;
    expect(await dir.refresh()).toBe(true);
    expect(dir.tripForTag('acme', 'T1')).toEqual({ id: 't', startedAt: T0 });
  });
});
