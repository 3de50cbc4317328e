import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DoorState, Measurement, ProfileRules, TelemetryRecord } from '@coldchain/domain';
import { AlarmEngine } from './alarm.engine.js';
import type { AlarmEvent } from './alarm-engine.types.js';
import type { TagSnapshot } from '../state/tag-state.js';
import {
  describeAll,
  HOUR,
  HUB,
  HUB_B,
  MIN,
  profile,
  Profiles,
  T0,
  TAG,
  TENANT,
  Trips,
} from '../testing/alarm-engine.fixtures.js';

/**
 * Property-based invariants over random streams of
 * two tags: readings ms to minutes apart, data gaps of hours, missing metrics,
 * values around every bound, door changes, records relayed twice by two hubs,
 * neighbouring records swapped (within the reorder window), hubs flushing late.
 */
const TAG2 = 'AA:BB:CC:00:00:02';
const TAGS = [TAG, TAG2];

const RULES: ProfileRules = {
  temperature: {
    low: { warning: { bound: 2, delayMs: 2 * MIN }, critical: { bound: 1 }, hysteresis: 0.3 },
    high: {
      warning: { bound: 8, delayMs: 3 * MIN },
      critical: { bound: 12, delayMs: 1 * MIN },
      hysteresis: 0.5,
      repeatMs: 5 * MIN,
      budgetMs: 10 * MIN,
    },
  },
  humidity: { high: { warning: { bound: 85 }, tripOnly: true } },
  door: {
    open: {
      warning: { afterMs: 2 * MIN },
      critical: { afterMs: 6 * MIN },
      repeatMs: 3 * MIN,
      budgetMs: 5 * MIN,
    },
  },
};
const TRIP = { id: 'trip-1', startedAt: T0 + 20 * MIN, endedAt: T0 + 6 * HOUR };
const TOLERANCE_MS = 2 * MIN;

interface Step {
  tag: number;
  dtMs: number;
  temperature: number | undefined;
  humidity: number | undefined;
  door: DoorState | undefined;
  joinPrevious: boolean;
  swapWithPrevious: boolean;
  relayedTwice: boolean;
  /** Another hub delivers, late, a reading 10 min older than the tag's newest (usually too late to evaluate). */
  echoOld: boolean;
  deliveryDelayMs: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  tag: fc.integer({ min: 0, max: 1 }),
  dtMs: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1000, max: 5 * MIN }) },
    { weight: 1, arbitrary: fc.integer({ min: 31 * MIN, max: 4 * HOUR }) }, // data gap
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }) }, // ms apart
  ),
  temperature: fc.option(
    fc.constantFrom(0.5, 0.9, 1.9, 2.1, 2.2, 5, 7.4, 7.6, 7.9, 8.1, 8.4, 11.4, 11.9, 12.1, 13),
    {
      nil: undefined,
      freq: 8,
    },
  ),
  humidity: fc.option(fc.constantFrom(60, 84, 86, 95), { nil: undefined }),
  door: fc.option(fc.constantFrom<DoorState>('open', 'closed'), { nil: undefined }),
  joinPrevious: fc.boolean(),
  swapWithPrevious: fc.boolean(),
  relayedTwice: fc.boolean(),
  echoOld: fc.oneof(
    { weight: 9, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  deliveryDelayMs: fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 0, max: 5000 }) },
    { weight: 1, arbitrary: fc.constant(2 * HOUR) },
  ),
});

/** Builds the records a partition would carry, in arrival order. */
function buildRecords(steps: Step[]): TelemetryRecord[] {
  const clock = [T0, T0];
  const records: TelemetryRecord[] = [];
  let receivedAt = T0;
  let hubSeq = 0;
  for (const s of steps) {
    clock[s.tag] += s.dtMs;
    const m: Measurement = { ts: clock[s.tag] };
    if (s.temperature !== undefined) m.temperature = s.temperature;
    if (s.humidity !== undefined) m.humidity = s.humidity;
    if (s.door !== undefined) m.door = s.door;
    const prev = records[records.length - 1];
    if (s.joinPrevious && prev !== undefined && prev.tag === TAGS[s.tag] && prev.hub === HUB) {
      prev.readings.push(m);
      prev.receivedAt = Math.max(prev.receivedAt, m.ts);
      prev.sentAt = prev.receivedAt;
      receivedAt = Math.max(receivedAt, prev.receivedAt);
      continue;
    }
    receivedAt = Math.max(receivedAt + 1, m.ts + s.deliveryDelayMs);
    const rec: TelemetryRecord = {
      v: 1,
      tenantId: TENANT,
      hub: HUB,
      tag: TAGS[s.tag],
      hubSeq: ++hubSeq,
      sentAt: receivedAt,
      receivedAt,
      readings: [m],
    };
    const swappable =
      s.swapWithPrevious &&
      prev !== undefined &&
      prev.tag === rec.tag &&
      Math.abs(prev.readings[0].ts - m.ts) < TOLERANCE_MS / 2 &&
      s.deliveryDelayMs < 10_000;
    if (swappable) {
      // Arrives before its predecessor; receive times swap with it.
      [rec.receivedAt, prev.receivedAt] = [prev.receivedAt, rec.receivedAt];
      rec.sentAt = rec.receivedAt;
      prev.sentAt = prev.receivedAt;
      records.splice(records.length - 1, 0, rec);
    } else records.push(rec);
    if (s.relayedTwice) {
      receivedAt += 3;
      records.push({
        ...rec,
        hub: HUB_B,
        hubSeq: ++hubSeq,
        receivedAt,
        sentAt: receivedAt,
        readings: rec.readings.map((r) => ({ ...r })),
      });
    }
    if (s.echoOld) {
      receivedAt += 5;
      const old: Measurement = { ts: clock[s.tag] - 10 * MIN - 7, temperature: 13, door: 'open' };
      records.push({
        v: 1,
        tenantId: TENANT,
        hub: HUB_B,
        tag: TAGS[s.tag],
        hubSeq: ++hubSeq,
        sentAt: receivedAt,
        receivedAt,
        readings: [old],
      });
    }
  }
  return records;
}

const streamArb = fc.array(stepArb, { minLength: 1, maxLength: 120 }).map(buildRecords);

function newEngine(): { engine: AlarmEngine; profiles: Profiles } {
  const trips = new Trips();
  for (const t of TAGS) trips.set(TRIP, t);
  return {
    engine: new AlarmEngine({ trips, options: { reorderToleranceMs: TOLERANCE_MS } }),
    profiles: new Profiles(profile(RULES), TAGS),
  };
}

const finalNow = (records: TelemetryRecord[]): number =>
  Math.max(T0, ...records.map((r) => r.receivedAt)) + 10 * HOUR;

/** Checks that the events of each (tag, rule) follow the lifecycle; returns a message for the first violation. */
function lifecycleViolation(events: readonly AlarmEvent[]): string | undefined {
  const severity = new Map<string, number>();
  const rank = { warning: 1, critical: 2 };
  for (const e of events) {
    const k = `${e.tag} ${e.rule}`;
    const current = severity.get(k) ?? 0;
    const next = rank[e.severity];
    const bad =
      (e.transition === 'raised' && current !== 0) ||
      (e.transition === 'escalated' && !(current > 0 && next > current)) ||
      (e.transition === 'downgraded' && !(current > 0 && next < current)) ||
      (e.transition === 'reminder' && next !== current) ||
      (e.transition === 'cleared' && current === 0);
    if (bad) return `${e.transition}/${e.severity} after severity ${current} on ${k}`;
    severity.set(k, e.transition === 'cleared' ? 0 : next);
  }
  return undefined;
}

describe('AlarmEngine properties', () => {
  it('transitions follow the lifecycle per (tag, rule): no two identical consecutive transitions, unique keys', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 6 }),
        (records, tickAfter) => {
          const { engine, profiles } = newEngine();
          const events: AlarmEvent[] = [];
          const ticks = new Set(tickAfter);
          records.forEach((rec, i) => {
            events.push(...engine.evaluate([rec], profiles, rec.receivedAt));
            if (ticks.has(i)) events.push(...engine.tick(profiles, rec.receivedAt + 30_000).events);
          });
          events.push(...engine.tick(profiles, finalNow(records)).events);
          expect(lifecycleViolation(events)).toBeUndefined();
          const nonReminders = events.filter((e) => e.transition !== 'reminder');
          for (const rule of new Set(nonReminders.map((e) => `${e.tag} ${e.rule}`))) {
            const seq = nonReminders
              .filter((e) => `${e.tag} ${e.rule}` === rule)
              .map((e) => `${e.transition}/${e.severity}`);
            for (let i = 1; i < seq.length; i++) expect(seq[i]).not.toBe(seq[i - 1]);
          }
          expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('every raise is matched by a clear once values return inside the band past the hysteresis', () => {
    fc.assert(
      fc.property(streamArb, (records) => {
        const { engine, profiles } = newEngine();
        const events = engine.evaluate(records, profiles, finalNow(records));
        // 40 minutes of readings well inside every band, door closed, every minute.
        const tail: TelemetryRecord[] = [];
        const lastTs = Math.max(
          ...records.flatMap((r) => r.readings.map((m) => m.ts)),
          ...records.map((r) => r.receivedAt),
        );
        for (const tag of TAGS)
          for (let i = 1; i <= 40; i++) {
            const ts = lastTs + i * MIN;
            tail.push({
              v: 1,
              tenantId: TENANT,
              hub: HUB,
              tag,
              hubSeq: 0,
              sentAt: ts,
              receivedAt: ts,
              readings: [{ ts, temperature: 5, humidity: 60, door: 'closed' }],
            });
          }
        events.push(...engine.evaluate(tail, profiles, finalNow(records)));
        events.push(...engine.tick(profiles, lastTs + 50 * MIN).events);
        const last = new Map<string, AlarmEvent>();
        for (const e of events) if (!e.rule.endsWith('.budget')) last.set(`${e.tag} ${e.rule}`, e);
        for (const [rule, e] of last) expect(`${rule} ${e.transition}`).toBe(`${rule} cleared`);
        for (const tag of TAGS)
          expect(engine.activeAlarms(TENANT, tag).filter((a) => !a.rule.endsWith('.budget'))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('the cumulative budget never decreases within a trip', () => {
    fc.assert(
      fc.property(streamArb, (records) => {
        const { engine, profiles } = newEngine();
        const seen = new Map<string, number>();
        for (const rec of records) {
          engine.evaluate([rec], profiles, rec.receivedAt);
          for (const tag of TAGS) {
            const trip = engine.statistics(TENANT, tag)?.trip;
            if (!trip) continue;
            for (const r of trip.statistics.rules) {
              if (r.budgetUsedMs === undefined) continue;
              const k = `${tag} ${trip.tripId} ${r.rule}`;
              expect(r.budgetUsedMs).toBeGreaterThanOrEqual(seen.get(k) ?? 0);
              seen.set(k, r.budgetUsedMs);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same events whatever the batch boundaries, and across a snapshot/restore at each boundary', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 40 }),
        (records, sizes) => {
          const now = finalNow(records);
          const whole = newEngine();
          const expected = [
            ...whole.engine.evaluate(records, whole.profiles, now),
            ...whole.engine.tick(whole.profiles, now).events,
          ];

          const batches: TelemetryRecord[][] = [];
          for (let i = 0, k = 0; i < records.length; k++) {
            const size = sizes[k % sizes.length];
            batches.push(records.slice(i, i + size));
            i += size;
          }

          const split = newEngine();
          const splitEvents = batches.flatMap((b) => split.engine.evaluate(b, split.profiles, now));
          splitEvents.push(...split.engine.tick(split.profiles, now).events);
          expect(describeAll(splitEvents)).toEqual(describeAll(expected));
          expect(splitEvents).toEqual(expected);

          // A new instance per batch, restored from the changelog written by the previous one.
          const changelog = new Map<string, string | null>();
          let current = newEngine();
          const moved: AlarmEvent[] = [];
          for (const b of batches) {
            const next = newEngine();
            next.engine.restore(
              [...changelog.values()]
                .filter((v): v is string => v !== null)
                .map((v) => JSON.parse(v) as TagSnapshot),
            );
            current = next;
            moved.push(...current.engine.evaluate(b, current.profiles, now));
            for (const ch of current.engine.takeChanges())
              changelog.set(ch.tag, ch.snapshot && JSON.stringify(ch.snapshot));
          }
          moved.push(...current.engine.tick(current.profiles, now).events);
          expect(moved).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
