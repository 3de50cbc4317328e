import { describe, expect, it } from '@jest/globals';
import type { ProfileRules, TelemetryRecord } from '@coldchain/domain';
import { AlarmEngine } from './alarm.engine.js';
import type { AlarmEvent } from './alarm-engine.types.js';
import type { TagSnapshot } from '../state/tag-state.js';
import {
  at,
  describeAll,
  everyMinute,
  HOUR,
  HUB,
  live,
  MIN,
  profile,
  Profiles,
  record,
  TAG,
  temps,
  TENANT,
  Trips,
} from '../testing/alarm-engine.fixtures.js';

const HIGH: ProfileRules = {
  temperature: { high: { warning: { bound: 8, delayMs: 10 * MIN }, critical: { bound: 12 } } },
};
const GPS = { lat: 48.85, lon: 2.35, fixAt: at(0) };

function excursionStream(): TelemetryRecord[] {
  // 2–8 °C product: 30 min at 9 °C, 5 min at 13 °C, back to 5 °C.
  return live(
    everyMinute(0, [
      ...Array<number>(30).fill(9),
      ...Array<number>(5).fill(13),
      ...Array<number>(10).fill(5),
    ]),
    { gps: GPS },
  );
}

describe('AlarmEngine', () => {
  describe('event time', () => {
    it('a hub flushing 6 hours of buffer gets real start/end times, late = true, emittedAt = processing time', () => {
      const engine = new AlarmEngine();
      const now = at(6 * 60);
      const profiles = new Profiles(profile(HIGH));
      const events = engine.evaluate(
        [record(everyMinute(0, [...Array<number>(20).fill(9), 5]), { receivedAt: now })],
        profiles,
        now,
      );
      // The newest 2 minutes wait in the reorder window until the tag has been quiet that long.
      events.push(...engine.tick(profiles, now + 2 * MIN).events);
      expect(events.map((e) => [e.transition, e.startedAt, e.endedAt, e.late, e.emittedAt])).toEqual([
        ['raised', at(0), undefined, true, now],
        ['cleared', at(0), at(20), true, now + 2 * MIN],
      ]);
    });

    it('a live hub: late = false', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const events = engine.evaluate(
        live(everyMinute(0, Array<number>(11).fill(9))),
        new Profiles(profile(HIGH)),
        at(11),
      );
      expect(events).toHaveLength(1);
      expect(events[0].late).toBe(false);
    });

    it('events carry tenant, tag, hub, profile and version, value versus bound with unit, and the last position', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const [raised] = engine.evaluate(excursionStream(), new Profiles(profile(HIGH, 7)), at(60));
      expect(raised).toMatchObject({
        v: 1,
        tenantId: TENANT,
        tag: TAG,
        hub: HUB,
        profileId: 'vaccines',
        profileVersion: 7,
        rule: 'temperature.high',
        severity: 'warning',
        transition: 'raised',
        startedAt: at(0),
        value: 9,
        bound: 8,
        unit: '°C',
        position: GPS,
        late: false,
      });
      expect(raised.key).toBe(`${TENANT}/${TAG}/temperature.high/${at(0)}/raised/warning/${at(10)}`);
    });
  });

  describe('exactly one event per transition', () => {
    it('a redelivered batch is a no-op: no event, counted as redelivered', () => {
      const engine = new AlarmEngine();
      const profiles = new Profiles(profile(HIGH));
      const batch = excursionStream();
      const first = engine.evaluate(batch, profiles, at(60));
      const again = engine.evaluate(batch, profiles, at(61));
      expect(first.length).toBeGreaterThan(0);
      expect(again).toEqual([]);
      expect(engine.counters().redelivered).toBe(45);
      expect(engine.counters().duplicates).toBe(0);
    });

    it('two instances computing the same stream give the same keys; keys are unique', () => {
      const keys = (): string[] =>
        new AlarmEngine()
          .process(excursionStream(), new Profiles(profile(HIGH)), at(60))
          .events.map((e) => e.key);
      const a = keys();
      expect(a).toEqual(keys());
      expect(new Set(a).size).toBe(a.length);
      expect(a).toHaveLength(3); // raised warning, escalated to critical, cleared (13 °C → 5 °C skips warning)
    });
  });

  describe('ordering', () => {
    it('readings out of order within the reorder window give the same events as in order', () => {
      const profiles = new Profiles(profile(HIGH));
      const inOrder = excursionStream();
      // Swap neighbours pairwise: each arrives up to 1 min out of order (window: 2 min).
      const shuffled = inOrder.map(
        (_, i) => inOrder[i % 2 === 0 ? Math.min(i + 1, inOrder.length - 1) : i - 1],
      );
      shuffled[shuffled.length - 1] = inOrder[inOrder.length - 1];
      const a = new AlarmEngine();
      const b = new AlarmEngine();
      const ea = [...a.evaluate(inOrder, profiles, at(60)), ...a.tick(profiles, at(120)).events];
      const eb = [...b.evaluate(shuffled, profiles, at(60)), ...b.tick(profiles, at(120)).events];
      expect(describeAll(eb)).toEqual(describeAll(ea));
      expect(b.counters().tooLate).toBe(0);
    });

    it('a reading older than the window is reported as too_late, not evaluated, raises nothing', () => {
      const engine = new AlarmEngine();
      const profiles = new Profiles(profile({ temperature: { high: { critical: { bound: 8 } } } }));
      engine.evaluate(live(everyMinute(0, Array<number>(11).fill(5))), profiles, at(10));
      const out = engine.process([record(temps([[3, 20]]), { receivedAt: at(10) + 500 })], profiles, at(11));
      expect(out.events).toEqual([]);
      expect(out.diagnostics).toEqual([
        expect.objectContaining({
          kind: 'too_late',
          tag: TAG,
          hub: HUB,
          count: 1,
          firstTs: at(3),
          lastTs: at(3),
        }),
      ]);
      expect(engine.counters().tooLate).toBe(1);
    });

    it('a record whose readings are not in measured order is sorted, evaluated in order, and reported', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const out = engine.process(
        [
          record(
            temps([
              [2, 5],
              [0, 9],
              [1, 9],
            ]),
          ),
        ],
        new Profiles(profile({ temperature: { high: { warning: { bound: 8 } } } })),
        at(3),
      );
      expect(describeAll(out.events)).toEqual([
        'temperature.high raised/warning start=0 at=0',
        'temperature.high cleared/warning start=0 end=2 at=2 (returned)',
      ]);
      expect(out.diagnostics.map((d) => d.kind)).toEqual(['unsorted_record']);
    });
  });

  describe('clock skew and bad input', () => {
    it('a reading measured in the future (hub clock ahead) is not evaluated and is reported', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const out = engine.process(
        [
          record(
            temps([
              [0, 5],
              [30, 20],
            ]),
            { receivedAt: at(1), sentAt: at(1) },
          ),
        ],
        new Profiles(profile({ temperature: { high: { critical: { bound: 8 } } } })),
        at(1),
      );
      expect(out.events).toEqual([]);
      expect(out.diagnostics).toEqual([
        expect.objectContaining({ kind: 'future_timestamp', count: 1, firstTs: at(30) }),
      ]);
      expect(engine.counters().futureTimestamps).toBe(1);
    });

    it('a hub whose send time is far from the receive time is counted and reported once per batch', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const profiles = new Profiles(profile(HIGH), [TAG, 'AA:BB:CC:00:00:02']);
      const out = engine.process(
        [
          record(temps([[0, 5]]), { receivedAt: at(1), sentAt: at(1) - HOUR }),
          record(temps([[0, 5]]), { tag: 'AA:BB:CC:00:00:02', receivedAt: at(1), sentAt: at(1) - HOUR }),
        ],
        profiles,
        at(1),
      );
      expect(out.diagnostics).toEqual([
        expect.objectContaining({ kind: 'hub_clock_skew', hub: HUB, count: 2, detailMs: HOUR }),
      ]);
      expect(engine.counters().hubClockSkews).toBe(2);
    });

    it('a reading measured far behind the send time (clock reset) is not evaluated', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const out = engine.process(
        [
          record(
            temps([
              [-30 * 24 * 60, 20],
              [0, 5],
            ]),
            { receivedAt: at(0) },
          ),
        ],
        new Profiles(profile({ temperature: { high: { critical: { bound: 8 } } } })),
        at(0),
      );
      expect(out.events).toEqual([]);
      expect(out.diagnostics.map((d) => d.kind)).toEqual(['stale_timestamp']);
    });

    it('readings missing a metric leave that rule untouched and are counted; other rules still run', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const rules: ProfileRules = {
        temperature: { high: { warning: { bound: 8, delayMs: 5 * MIN } } },
        humidity: { high: { warning: { bound: 80 } } },
      };
      const events = engine.evaluate(
        live([
          { ts: at(0), temperature: 9 },
          { ts: at(2), humidity: 90 },
          { ts: at(4), humidity: 85 },
          { ts: at(5), temperature: 9, humidity: 70 },
        ]),
        new Profiles(profile(rules)),
        at(6),
      );
      expect(describeAll(events)).toEqual([
        'humidity.high raised/warning start=2 at=2',
        'temperature.high raised/warning start=0 at=5',
        'humidity.high cleared/warning start=2 end=5 at=5 (returned)',
      ]);
      expect(engine.counters().missingMetrics).toBe(3);
    });

    it('a profile that fails validation on the hot path is reported once; the last valid version stays in use', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const profiles = new Profiles(profile({ temperature: { high: { warning: { bound: 8 } } } }, 1));
      engine.evaluate(live(temps([[0, 5]])), profiles, at(0));
      profiles.set(profile({ temperature: { high: { warning: { bound: 8 }, critical: { bound: 6 } } } }, 2));
      const out = engine.process(
        live(
          temps([
            [1, 9],
            [2, 9],
          ]),
        ),
        profiles,
        at(2),
      );
      expect(out.diagnostics).toEqual([
        expect.objectContaining({ kind: 'invalid_profile', profileId: 'vaccines', profileVersion: 2 }),
      ]);
      expect(out.events.map((e) => [e.transition, e.profileVersion])).toEqual([['raised', 1]]);
    });
  });

  describe('statistics', () => {
    it('per tag and per trip: min, max, mean, MKT, time beyond each bound, excursions; a trip summary when the trip ends', () => {
      const trips = new Trips();
      trips.set({ id: 'trip-1', startedAt: at(10), endedAt: at(40) });
      const engine = new AlarmEngine({ trips, options: { reorderToleranceMs: 0 } });
      const rules: ProfileRules = {
        temperature: {
          low: { warning: { bound: 2 } },
          high: { warning: { bound: 8 }, critical: { bound: 12 }, budgetMs: HOUR },
        },
      };
      const values = [
        ...Array<number>(10).fill(5), // 0–9 before the trip
        ...Array<number>(5).fill(9), // 10–14 above warning
        ...Array<number>(5).fill(13), // 15–19 above critical
        ...Array<number>(10).fill(5), // 20–29
        ...Array<number>(3).fill(1), // 30–32 below
        ...Array<number>(7).fill(5), // 33–39
        5, // 40: after the trip
      ];
      const out = engine.process(live(everyMinute(0, values)), new Profiles(profile(rules)), at(41));
      expect(out.tripSummaries).toHaveLength(1);
      const trip = out.tripSummaries[0];
      expect(trip).toMatchObject({ tripId: 'trip-1', startedAt: at(10), endedAt: at(40) });
      const tripStats = trip.statistics;
      expect(tripStats.readings).toBe(30);
      expect(tripStats.temperature).toMatchObject({ samples: 30, minC: 1, maxC: 13 });
      expect(tripStats.temperature!.meanC).toBeCloseTo((5 * 9 + 5 * 13 + 17 * 5 + 3 * 1) / 30, 10);
      const high = tripStats.rules.find((r) => r.rule === 'temperature.high');
      expect(high).toEqual({
        rule: 'temperature.high',
        kind: 'threshold',
        unit: '°C',
        side: 'above',
        warningBound: 8,
        timeBeyondWarningMs: 10 * MIN,
        criticalBound: 12,
        timeBeyondCriticalMs: 5 * MIN,
        excursions: { count: 1, totalMs: 10 * MIN, longestMs: 10 * MIN },
        budgetUsedMs: 10 * MIN,
      });
      const low = tripStats.rules.find((r) => r.rule === 'temperature.low');
      expect(low).toMatchObject({
        side: 'below',
        timeBeyondWarningMs: 3 * MIN,
        excursions: { count: 1, totalMs: 3 * MIN },
      });

      const overall = engine.statistics(TENANT, TAG)!;
      expect(overall.trip).toBeUndefined();
      expect(overall.overall.readings).toBe(41);
      expect(overall.overall.temperature).toMatchObject({ samples: 41, minC: 1, maxC: 13 });
      // MKT lies between the mean and the maximum, weighted towards the warm samples.
      const mkt = overall.overall.temperature!.mktC;
      expect(mkt).toBeGreaterThan(overall.overall.temperature!.meanC);
      expect(mkt).toBeLessThan(13);
    });
  });

  describe('snapshot and restore (rebalance)', () => {
    const rules: ProfileRules = {
      temperature: {
        high: {
          warning: { bound: 8, delayMs: 10 * MIN },
          critical: { bound: 12, delayMs: 2 * MIN },
          repeatMs: 10 * MIN,
          hysteresis: 0.5,
        },
      },
      door: { open: { warning: { afterMs: 5 * MIN } } },
    };

    function stream(): TelemetryRecord[] {
      const readings = everyMinute(0, [
        ...Array<number>(25).fill(9),
        ...Array<number>(8).fill(13),
        ...Array<number>(12).fill(5),
      ]).map((r, i) => ({
        ...r,
        door: i >= 5 && i < 15 ? ('open' as const) : ('closed' as const),
      }));
      return live(readings);
    }

    it('an instance taking over mid-excursion from the changelog emits exactly what an uninterrupted one does', () => {
      const profiles = new Profiles(profile(rules));
      const all = stream();
      const uninterrupted = new AlarmEngine();
      const expected = [
        ...uninterrupted.evaluate(all, profiles, at(100)),
        ...uninterrupted.tick(profiles, at(100)).events,
      ];

      for (const cut of [3, 12, 27, 30, 40]) {
        const first = new AlarmEngine();
        const before = first.evaluate(all.slice(0, cut), profiles, at(100));
        // The changelog: last write per key wins; values go through JSON.
        const changelog = new Map<string, string>();
        for (const ch of first.takeChanges()) changelog.set(ch.tag, JSON.stringify(ch.snapshot));
        const second = new AlarmEngine();
        const restored = second.restore([...changelog.values()].map((v) => JSON.parse(v) as TagSnapshot));
        expect(restored).toEqual({ restored: 1, refused: [] });
        const after = [
          ...second.evaluate(all.slice(cut), profiles, at(100)),
          ...second.tick(profiles, at(100)).events,
        ];
        expect(describeAll([...before, ...after])).toEqual(describeAll(expected));
        expect([...before, ...after].map((e) => e.key)).toEqual(expected.map((e) => e.key));
      }
    });

    it('a redelivery after restoring an older snapshot re-emits the same keys (consumers de-duplicate)', () => {
      const profiles = new Profiles(profile(rules));
      const all = stream();
      const engine = new AlarmEngine();
      engine.evaluate(all.slice(0, 10), profiles, at(100));
      const snap = engine.takeChanges().map((c) => c.snapshot!);
      const published = engine.evaluate(all.slice(10, 30), profiles, at(100));
      // Crash before the changelog write and the offset commit: the batch comes again to a restored engine.
      const replacement = new AlarmEngine();
      replacement.restore(snap);
      const replayed = replacement.evaluate(all.slice(10, 30), profiles, at(200));
      expect(replayed.map((e) => e.key)).toEqual(published.map((e) => e.key));
    });

    it('changes list only tags touched since the last call, and a tombstone when a tag loses its profile', () => {
      const profiles = new Profiles(profile(rules), [TAG, 'AA:BB:CC:00:00:02']);
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      engine.evaluate(
        [...live(temps([[0, 9]])), ...live(temps([[0, 5]]), { tag: 'AA:BB:CC:00:00:02' })],
        profiles,
        at(1),
      );
      expect(
        engine
          .takeChanges()
          .map((c) => c.tag)
          .sort(),
      ).toEqual([TAG, 'AA:BB:CC:00:00:02']);
      expect(engine.takeChanges()).toEqual([]);
      profiles.set(undefined);
      const out: AlarmEvent[] = engine.evaluate(live(temps([[1, 9]])), profiles, at(2));
      expect(out).toEqual([]); // nothing was active
      expect(engine.takeChanges()).toEqual([{ tag: TAG, snapshot: null }]);
    });

    it('a snapshot of another layout version is refused; the tag starts afresh', () => {
      const engine = new AlarmEngine();
      engine.evaluate(stream().slice(0, 3), new Profiles(profile(rules)), at(3));
      const snap = { ...engine.snapshot(TAG)!, layoutVersion: 999 };
      const other = new AlarmEngine();
      expect(other.restore([snap]).refused).toEqual([{ tag: TAG, problem: 'slab layout 999, expected 1' }]);
      expect(other.tagCount).toBe(0);
    });
  });

  describe('less common paths', () => {
    it('a profile edit that adds rules while readings wait in the reorder buffer keeps them and evaluates them with the new rules', () => {
      const engine = new AlarmEngine(); // reorder window on: the newest 2 minutes stay buffered
      const profiles = new Profiles(profile({ humidity: { high: { warning: { bound: 80 } } } }, 1));
      engine.evaluate(live(everyMinute(0, [5, 5, 5, 9, 9])), profiles, at(5));
      profiles.set(
        profile(
          {
            humidity: { high: { warning: { bound: 80 } } },
            temperature: { high: { warning: { bound: 8 } } },
          },
          2,
        ),
      );
      const events = [
        ...engine.evaluate(live(temps([[5, 9]])), profiles, at(6)),
        ...engine.tick(profiles, at(10)).events,
      ];
      // Readings at 3 and 4 were buffered under version 1; they are evaluated under version 2.
      expect(describeAll(events)).toEqual(['temperature.high raised/warning start=3 at=3']);
      expect(events[0].profileVersion).toBe(2);
    });

    it('a manually cleared budget alarm raises again at the next reading while the budget is still exceeded', () => {
      const trips = new Trips();
      trips.set({ id: 'trip-1', startedAt: at(0) });
      const engine = new AlarmEngine({ trips, options: { reorderToleranceMs: 0 } });
      const profiles = new Profiles(
        profile({ temperature: { high: { warning: { bound: 8, delayMs: HOUR }, budgetMs: 5 * MIN } } }),
      );
      const events = engine.evaluate(live(everyMinute(0, Array<number>(7).fill(9))), profiles, at(7));
      events.push(...engine.clearManually(TENANT, TAG, 'temperature.high.budget', at(7), at(7)).events);
      events.push(...engine.evaluate(live(temps([[7, 5]])), profiles, at(8)));
      expect(describeAll(events)).toEqual([
        'temperature.high.budget raised/critical start=0 at=5',
        'temperature.high.budget cleared/critical start=0 end=7 at=7 (manual)',
        'temperature.high.budget raised/critical start=0 at=7',
      ]);
    });

    it('hub.offline is cleared by the next record of the tag, whichever hub relays it', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const profiles = new Profiles(profile({ hub: { offline: { warning: { afterMs: 10 * MIN } } } }));
      engine.evaluate(live(temps([[0, 5]])), profiles, at(0));
      engine.onHubStatus(HUB, 'offline', at(1), at(1));
      const events = [...engine.tick(profiles, at(12)).events];
      events.push(...engine.evaluate(live(temps([[20, 5]]), { hub: 'OTHER-HUB' }), profiles, at(20)));
      expect(describeAll(events)).toEqual([
        'hub.offline raised/warning start=1 at=11',
        'hub.offline cleared/warning start=1 end=20 at=20 (heard)',
      ]);
    });

    it('a tag that moves to another tenant starts afresh; its old alarms are closed', () => {
      const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
      const p = profile({ temperature: { high: { critical: { bound: 8 } } } });
      const lookup = { profileForTag: () => p };
      const events = engine.evaluate(live(temps([[0, 9]])), lookup, at(0));
      events.push(...engine.evaluate([{ ...record(temps([[1, 9]])), tenantId: 'tenant-b' }], lookup, at(1)));
      expect(events.map((e) => `${e.tenantId} ${e.transition} ${e.reason ?? ''}`.trim())).toEqual([
        'tenant-a raised',
        'tenant-a cleared profile_removed',
        'tenant-b raised',
      ]);
    });
  });

  it('activeAlarms lists active alarms with their acknowledgement', () => {
    const engine = new AlarmEngine({ options: { reorderToleranceMs: 0 } });
    engine.evaluate(live(everyMinute(0, Array<number>(11).fill(9))), new Profiles(profile(HIGH)), at(11));
    expect(engine.acknowledge(TENANT, TAG, 'temperature.high')).toBe(true);
    expect(engine.activeAlarms(TENANT, TAG)).toEqual([
      { rule: 'temperature.high', severity: 'warning', startedAt: at(0), acknowledged: true },
    ]);
    expect(engine.acknowledge(TENANT, TAG, 'temperature.low')).toBe(false);
  });
});
