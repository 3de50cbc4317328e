import { describe, expect, it } from '@jest/globals';
import type { Profile, ProfileRules, TelemetryRecord } from '@coldchain/domain';
import { AlarmEngine } from './alarm.engine.js';
import type { AlarmEngineOptions } from '../alarm-engine.defaults.js';
import type { AlarmEvent, Trip } from './alarm-engine.types.js';
import {
  at,
  describeAll,
  everyMinute,
  HUB,
  HUB_B,
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

/**
 * Table-driven scenarios with a fixed clock: one per
 * complaint about the leading platform's alarms, then one per rule feature.
 * Each row feeds steps to a fresh engine and lists every event expected, in
 * order, as `rule transition/severity start=<min> [end=<min>] at=<min>`
 * (minutes after T0, a Monday 08:00 UTC; `at` is the transition time).
 */
type Step =
  | { send: TelemetryRecord[]; nowMin?: number }
  | { tickMin: number }
  | { clear: string; atMin: number }
  | { ack: string }
  | { hub: 'online' | 'offline'; atMin: number }
  | { profile: Profile | undefined };

interface Scenario {
  name: string;
  rules?: ProfileRules;
  options?: Partial<AlarmEngineOptions>;
  trip?: Trip;
  steps: Step[];
  expected: string[];
}

const n = (count: number, value: number): number[] => Array.from({ length: count }, () => value);

function run(sc: Scenario): AlarmEvent[] {
  const trips = new Trips();
  trips.set(sc.trip);
  const profiles = new Profiles(profile(sc.rules));
  // Reorder window off by default here: these rows are about the rules; ordering has its own tests.
  const engine = new AlarmEngine({ trips, options: { reorderToleranceMs: 0, ...sc.options } });
  const events: AlarmEvent[] = [];
  for (const step of sc.steps) {
    if ('send' in step) {
      const now =
        step.nowMin !== undefined ? at(step.nowMin) : Math.max(...step.send.map((r) => r.receivedAt));
      events.push(...engine.evaluate(step.send, profiles, now));
    } else if ('tickMin' in step) events.push(...engine.tick(profiles, at(step.tickMin)).events);
    else if ('clear' in step)
      events.push(...engine.clearManually(TENANT, TAG, step.clear, at(step.atMin), at(step.atMin)).events);
    else if ('ack' in step) engine.acknowledge(TENANT, TAG, step.ack);
    else if ('hub' in step)
      events.push(...engine.onHubStatus(HUB, step.hub, at(step.atMin), at(step.atMin)).events);
    else profiles.set(step.profile);
  }
  return events;
}

const HIGH_8: ProfileRules = { temperature: { high: { warning: { bound: 8 } } } };

const complaints: Scenario[] = [
  {
    name: 'duplicates ms apart: the same reading via two hubs, and a second one 5 ms later, raise once',
    rules: { temperature: { high: { critical: { bound: 8 } } } },
    steps: [
      {
        send: [
          record(temps([[1, 9]]), { hub: HUB, receivedAt: at(1) + 1000 }),
          record(temps([[1, 9]]), { hub: HUB_B, receivedAt: at(1) + 1003 }),
          record([{ ts: at(1) + 5, temperature: 9.4 }], { receivedAt: at(1) + 1005 }),
        ],
      },
      { send: live(temps([[2, 5]])) },
    ],
    expected: [
      'temperature.high raised/critical start=1 at=1',
      'temperature.high cleared/critical start=1 end=2 at=2 (returned)',
    ],
  },
  {
    name: 'duplicates ms apart with the reorder window on: the duplicate is caught in the buffer',
    rules: { temperature: { high: { critical: { bound: 8 } } } },
    options: { reorderToleranceMs: 2 * MIN },
    steps: [
      {
        send: [
          record(temps([[1, 9]]), { hub: HUB, receivedAt: at(1) + 1000 }),
          record(temps([[1, 9]]), { hub: HUB_B, receivedAt: at(1) + 1003 }),
          record([{ ts: at(1) + 5, temperature: 9.4 }], { receivedAt: at(1) + 1005 }),
        ],
      },
      { send: live(temps([[2, 5]])) },
      { tickMin: 10 },
    ],
    expected: [
      'temperature.high raised/critical start=1 at=1',
      'temperature.high cleared/critical start=1 end=2 at=2 (returned)',
    ],
  },
  {
    name: 'no re-trigger after a manual clear: it must re-trigger after the delay while the condition persists',
    rules: { temperature: { high: { warning: { bound: 8, delayMs: 10 * MIN } } } },
    steps: [
      { send: live(everyMinute(0, n(21, 9))) },
      { clear: 'temperature.high', atMin: 20.5 },
      { send: live(everyMinute(21, n(15, 9))) },
      { send: live(temps([[36, 5]])) },
    ],
    expected: [
      'temperature.high raised/warning start=0 at=10',
      'temperature.high cleared/warning start=0 end=20.5 at=20.5 (manual)',
      'temperature.high raised/warning start=21 at=31',
      'temperature.high cleared/warning start=21 end=36 at=36 (returned)',
    ],
  },
  {
    name: 'flapping around a bound: a 0.5 °C hysteresis gives one raise and one clear',
    rules: { temperature: { high: { warning: { bound: 8 }, hysteresis: 0.5 } } },
    steps: [
      {
        send: live(
          temps([
            [0, 8.1],
            [1, 7.9],
            [2, 8.2],
            [3, 7.8],
            [4, 8.1],
            [5, 7.6],
            [6, 8.3],
            [7, 7.4],
          ]),
        ),
      },
    ],
    expected: [
      'temperature.high raised/warning start=0 at=0',
      'temperature.high cleared/warning start=0 end=7 at=7 (returned)',
    ],
  },
  {
    name: 'flapping without hysteresis: every return after a clear raises again (one event per transition)',
    rules: HIGH_8,
    steps: [
      {
        send: live(
          temps([
            [0, 8.1],
            [1, 7.9],
            [2, 8.2],
            [3, 7.8],
          ]),
        ),
      },
    ],
    expected: [
      'temperature.high raised/warning start=0 at=0',
      'temperature.high cleared/warning start=0 end=1 at=1 (returned)',
      'temperature.high raised/warning start=2 at=2',
      'temperature.high cleared/warning start=2 end=3 at=3 (returned)',
    ],
  },
  {
    name: 'false alarms during data gaps: the delay restarts after a 3 h gap; the silence is reported as silence',
    rules: {
      temperature: { high: { warning: { bound: 8, delayMs: 20 * MIN } } },
      tag: { silent: { warning: { afterMs: 30 * MIN } } },
    },
    steps: [
      { send: live(everyMinute(0, n(11, 9))) },
      { tickMin: 35 },
      { tickMin: 45 },
      { send: live(everyMinute(180, n(11, 9))) },
      { send: live(everyMinute(191, n(10, 9))) },
    ],
    expected: [
      'tag.silent raised/warning start=10 at=40',
      'tag.silent cleared/warning start=10 end=180 at=180 (heard)',
      'temperature.high raised/warning start=180 at=200',
    ],
  },
  {
    name: 'measured time, not processing time: 40 min of excursion flushed 6 h later raises with the measured start',
    rules: { temperature: { high: { warning: { bound: 8, delayMs: 30 * MIN } } } },
    steps: [{ send: [record(everyMinute(0, [...n(41, 9), 5]), { receivedAt: at(360) })], nowMin: 360 }],
    expected: [
      'temperature.high raised/warning start=0 at=30',
      'temperature.high cleared/warning start=0 end=41 at=41 (returned)',
    ],
  },
  {
    name: 'measured time, not processing time: 10 min of excursion processed over an hour raises nothing',
    rules: { temperature: { high: { warning: { bound: 8, delayMs: 30 * MIN } } } },
    steps: everyMinute(0, n(11, 9)).map((r, i) => ({ send: [record([r])], nowMin: i * 6 })),
    expected: [],
  },
];

const features: Scenario[] = [
  {
    name: 'door open longer than N minutes: warning, escalation, reminders, clear on close',
    rules: {
      door: { open: { warning: { afterMs: 5 * MIN }, critical: { afterMs: 15 * MIN }, repeatMs: 10 * MIN } },
    },
    steps: [
      {
        send: live([
          ...[0, 3, 6, 10, 16, 20, 26].map((m) => ({ ts: at(m), door: 'open' as const })),
          { ts: at(30), door: 'closed' as const },
        ]),
      },
    ],
    expected: [
      'door.open raised/warning start=0 at=5',
      'door.open escalated/critical start=0 at=15',
      'door.open reminder/critical start=0 at=15',
      'door.open reminder/critical start=0 at=25',
      'door.open cleared/critical start=0 end=30 at=30 (closed)',
    ],
  },
  {
    name: 'door reported open once, then quiet: raised at tick on projected measured time',
    rules: { door: { open: { warning: { afterMs: 5 * MIN } } } },
    steps: [
      { send: live([{ ts: at(0), door: 'open' }]) },
      { tickMin: 4 },
      { tickMin: 6 },
      { send: live([{ ts: at(8), door: 'closed' }]) },
    ],
    expected: [
      'door.open raised/warning start=0 at=5',
      'door.open cleared/warning start=0 end=8 at=8 (closed)',
    ],
  },
  {
    name: 'tag silent: warning then critical at tick, cleared when heard again',
    rules: { tag: { silent: { warning: { afterMs: 30 * MIN }, critical: { afterMs: 60 * MIN } } } },
    steps: [
      { send: live(everyMinute(0, n(11, 5))) },
      { tickMin: 35 },
      { tickMin: 41 },
      { tickMin: 71 },
      { send: live(temps([[80, 5]])) },
    ],
    expected: [
      'tag.silent raised/warning start=10 at=40',
      'tag.silent escalated/critical start=10 at=70',
      'tag.silent cleared/critical start=10 end=80 at=80 (heard)',
    ],
  },
  {
    name: 'hub offline: raised after its delay, tag silence held back meanwhile, both resolved in order',
    rules: {
      tag: { silent: { warning: { afterMs: 30 * MIN } } },
      hub: { offline: { warning: { afterMs: 10 * MIN } } },
    },
    steps: [
      { send: live(everyMinute(0, n(11, 5))) },
      { hub: 'offline', atMin: 15 },
      { tickMin: 20 },
      { tickMin: 26 },
      { tickMin: 45 },
      { hub: 'online', atMin: 50 },
      { tickMin: 51 },
    ],
    expected: [
      'hub.offline raised/warning start=15 at=25',
      'hub.offline cleared/warning start=15 end=50 at=50 (hub_online)',
      'tag.silent raised/warning start=10 at=40',
    ],
  },
  {
    name: 'cumulative budget per trip: three short excursions add up; it never resets within the trip',
    rules: { temperature: { high: { warning: { bound: 8, delayMs: 30 * MIN }, budgetMs: 20 * MIN } } },
    trip: { id: 'trip-1', startedAt: at(10), endedAt: at(200) },
    steps: [
      {
        send: live(
          everyMinute(
            0,
            Array.from({ length: 101 }, (_, m) =>
              m < 10 || (m >= 20 && m <= 28) || (m >= 40 && m <= 48) || (m >= 60 && m <= 68) ? 9 : 5,
            ),
          ),
        ),
      },
      { tickMin: 203 },
    ],
    expected: [
      'temperature.high.budget raised/critical start=20 at=62',
      'temperature.high.budget cleared/critical start=20 end=200 at=200 (trip_ended)',
    ],
  },
  {
    name: 'trip scoping: nothing before the trip, raised during it, cleared when it ends',
    rules: { temperature: { high: { warning: { bound: 8 }, tripOnly: true } } },
    trip: { id: 'trip-1', startedAt: at(30), endedAt: at(60) },
    steps: [{ send: live(everyMinute(0, n(71, 9))) }],
    expected: [
      'temperature.high raised/warning start=30 at=30',
      'temperature.high cleared/warning start=30 end=60 at=60 (trip_ended)',
    ],
  },
  {
    name: 'schedule (Mon–Fri 08:00–18:00 Europe/Paris): cleared at 18:00 local, silent on Saturday, back on Monday 08:00',
    rules: {
      temperature: {
        high: {
          warning: { bound: 8 },
          schedule: {
            timeZone: 'Europe/Paris',
            windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }],
          },
        },
      },
    },
    steps: [
      { send: live(temps([500, 510, 520, 530, 540, 550, 560].map((m) => [m, 9]))) },
      { send: live(everyMinute(5 * 1440, n(31, 9))) }, // Saturday 08:00 UTC
      {
        send: live(
          temps([
            [7 * 1440 - 70, 9],
            [7 * 1440 - 60, 9],
          ]),
        ),
      }, // next Monday 07:50 and 08:00 Paris
    ],
    expected: [
      'temperature.high raised/warning start=500 at=500',
      'temperature.high cleared/warning start=500 end=540 at=540 (schedule)',
      'temperature.high raised/warning start=10020 at=10020',
    ],
  },
  {
    name: 'escalation and downgrade with a critical delay and hysteresis',
    rules: {
      temperature: {
        high: { warning: { bound: 8 }, critical: { bound: 12, delayMs: 5 * MIN }, hysteresis: 0.5 },
      },
    },
    steps: [
      {
        send: live(
          temps([
            [0, 9],
            ...[5, 6, 7, 8, 9, 10].map((m): [number, number] => [m, 13]),
            [11, 11.8],
            [12, 11.4],
            ...[13, 14, 15, 16, 17, 18].map((m): [number, number] => [m, 12.5]),
            [19, 7.6],
            [20, 7.4],
          ]),
        ),
      },
    ],
    expected: [
      'temperature.high raised/warning start=0 at=0',
      'temperature.high escalated/critical start=0 at=10',
      'temperature.high downgraded/warning start=0 at=12',
      'temperature.high escalated/critical start=0 at=18',
      'temperature.high downgraded/warning start=0 at=19',
      'temperature.high cleared/warning start=0 end=20 at=20 (returned)',
    ],
  },
  {
    name: 'reminders every 15 min while active; acknowledgement stops them but does not clear',
    rules: { temperature: { high: { warning: { bound: 8 }, repeatMs: 15 * MIN } } },
    steps: [
      { send: live(everyMinute(0, n(41, 9))) },
      { ack: 'temperature.high' },
      { send: live(everyMinute(41, n(10, 9))) },
      { send: live(temps([[51, 5]])) },
    ],
    expected: [
      'temperature.high raised/warning start=0 at=0',
      'temperature.high reminder/warning start=0 at=15',
      'temperature.high reminder/warning start=0 at=30',
      'temperature.high cleared/warning start=0 end=51 at=51 (returned)',
    ],
  },
  {
    name: 'critical-only low rule: raised below the bound, cleared above it plus hysteresis',
    rules: { temperature: { low: { critical: { bound: 2, delayMs: 2 * MIN }, hysteresis: 0.3 } } },
    steps: [
      {
        send: live(
          temps([
            [0, 1.5],
            [1, 1.2],
            [2, 1.9],
            [3, 2.2],
            [4, 2.4],
          ]),
        ),
      },
    ],
    expected: [
      'temperature.low raised/critical start=0 at=2',
      'temperature.low cleared/critical start=0 end=4 at=4 (returned)',
    ],
  },
  {
    name: 'a profile without rules: critical outside its temperature band, no delay',
    rules: undefined,
    steps: [
      {
        send: live(
          temps([
            [0, 5],
            [1, 8.5],
            [2, 7],
            [3, 1],
          ]),
        ),
      },
    ],
    expected: [
      'temperature.high raised/critical start=1 at=1',
      'temperature.high cleared/critical start=1 end=2 at=2 (returned)',
      'temperature.low raised/critical start=3 at=3',
    ],
  },
  {
    name: 'a profile without rules: its band is inclusive (8.0 and 2.0 °C are within 2–8 °C)',
    rules: undefined,
    steps: [
      {
        send: live(
          temps([
            [0, 8],
            [1, 2],
            [2, 8],
            [3, 8.01],
            [4, 2],
            [5, 1.99],
          ]),
        ),
      },
    ],
    expected: [
      'temperature.high raised/critical start=3 at=3',
      'temperature.high cleared/critical start=3 end=4 at=4 (returned)',
      'temperature.low raised/critical start=5 at=5',
    ],
  },
];

describe('AlarmEngine scenarios', () => {
  describe('complaints about the leading platform', () => {
    it.each(complaints)('$name', (sc) => {
      expect(describeAll(run(sc))).toEqual(sc.expected);
    });
  });
  describe('rule features', () => {
    it.each(features)('$name', (sc) => {
      expect(describeAll(run(sc))).toEqual(sc.expected);
    });
  });

  it('profile change mid-excursion: the next reading uses the new version and each event names the version that decided it', () => {
    const events = run({
      name: 'profile change',
      rules: HIGH_8,
      steps: [
        { send: live(temps([[0, 9]])) },
        { profile: profile({ temperature: { high: { warning: { bound: 10 } } } }, 2) },
        { send: live(temps([[1, 9]])) },
        { profile: profile(HIGH_8, 3) },
        { send: live(temps([[2, 9]])) },
        { profile: profile({ temperature: { low: { warning: { bound: 2 } } } }, 4) },
        { send: live(temps([[3, 9]])) },
      ],
      expected: [],
    });
    expect(describeAll(events)).toEqual([
      'temperature.high raised/warning start=0 at=0',
      'temperature.high cleared/warning start=0 end=1 at=1 (returned)',
      'temperature.high raised/warning start=2 at=2',
      'temperature.high cleared/warning start=2 end=2 at=2 (rule_removed)',
    ]);
    expect(events.map((e) => e.profileVersion)).toEqual([1, 2, 3, 4]);
  });
});
