import type {
  Measurement,
  Position,
  Profile,
  ProfileLookup,
  ProfileRules,
  TelemetryRecord,
} from '@coldchain/domain';
import type { AlarmEvent, Trip, TripLookup } from '../engine/alarm-engine.types.js';

/** Test fixtures (not exported by the lib). Times are relative to T0, a Monday, 08:00 UTC. */
export const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const TENANT = 'tenant-a';
export const TAG = 'AA:BB:CC:00:00:01';
export const HUB = '356938035643809';
export const HUB_B = '356938035643817';

/** Minutes after T0 → epoch ms. */
export const at = (minutes: number): number => T0 + minutes * MIN;

export function profile(rules: ProfileRules | undefined, version = 1, id = 'vaccines'): Profile {
  return { id, tenantId: TENANT, name: 'Vaccines 2–8 °C', version, temperature: { min: 2, max: 8 }, rules };
}

/** A profile lookup tests can change at run time (a profile edit). */
export class Profiles implements ProfileLookup {
  private readonly byTag = new Map<string, Profile>();
  constructor(p?: Profile, tags: string[] = [TAG]) {
    if (p) for (const t of tags) this.byTag.set(t, p);
  }
  set(p: Profile | undefined, tag = TAG): void {
    if (p) this.byTag.set(tag, p);
    else this.byTag.delete(tag);
  }
  profileForTag(_tenantId: string, mac: string): Profile | undefined {
    return this.byTag.get(mac);
  }
}

export class Trips implements TripLookup {
  private readonly byTag = new Map<string, Trip>();
  set(trip: Trip | undefined, tag = TAG): void {
    if (trip) this.byTag.set(tag, trip);
    else this.byTag.delete(tag);
  }
  tripForTag(_tenantId: string, tag: string): Trip | undefined {
    return this.byTag.get(tag);
  }
}

export interface RecordOptions {
  tag?: string;
  hub?: string;
  /** Gateway receive time; default: the newest reading's ts (a live hub). */
  receivedAt?: number;
  /** Hub send time; default: receivedAt. */
  sentAt?: number;
  hubSeq?: number;
  gps?: Position;
}

let seq = 0;

export function record(readings: Measurement[], opts: RecordOptions = {}): TelemetryRecord {
  const newest = readings.reduce((m, r) => Math.max(m, r.ts), -Infinity);
  const receivedAt = opts.receivedAt ?? newest;
  return {
    v: 1,
    tenantId: TENANT,
    hub: opts.hub ?? HUB,
    tag: opts.tag ?? TAG,
    hubSeq: opts.hubSeq ?? ++seq,
    sentAt: opts.sentAt ?? receivedAt,
    receivedAt,
    ...(opts.gps ? { gps: opts.gps } : {}),
    readings,
  };
}

/** Temperature readings at the given minutes after T0. */
export function temps(points: [minute: number, celsius: number][]): Measurement[] {
  return points.map(([m, c]) => ({ ts: at(m), temperature: c }));
}

/** One temperature reading per minute from `fromMin`, one value per entry. */
export function everyMinute(fromMin: number, values: number[]): Measurement[] {
  return values.map((c, i) => ({ ts: at(fromMin + i), temperature: c }));
}

/** One live record per reading (what a hub sends in steady state). */
export function live(readings: Measurement[], opts: RecordOptions = {}): TelemetryRecord[] {
  return readings.map((r) => record([r], opts));
}

/** Minutes after T0, for readable expectations. */
const m = (ts: number): string => String(Math.round(((ts - T0) / MIN) * 1000) / 1000);

/**
 * `rule transition/severity start=<min> [end=<min>] at=<min>`: an event in
 * minutes after T0; `at` is the transition time, read from the idempotency key.
 */
export function describe1(e: AlarmEvent): string {
  const atTs = Number(e.key.split('/').pop());
  return (
    `${e.rule} ${e.transition}/${e.severity} start=${m(e.startedAt)}` +
    (e.endedAt !== undefined ? ` end=${m(e.endedAt)}` : '') +
    ` at=${m(atTs)}` +
    (e.reason ? ` (${e.reason})` : '')
  );
}

export const describeAll = (events: readonly AlarmEvent[]): string[] => events.map(describe1);
