import type { EpochMs } from '@coldchain/domain';
import type { PositionSource } from '../hub/simulated-hub.js';
import type { WireGps } from '../queue/sample-queue.js';
import type { SeededRandom } from '../random/seeded-random.js';

export interface RouteWaypoint {
  lat: number; // degrees
  lon: number; // degrees
  alt?: number; // metres
  /** Time parked here before leaving (loading dock, border, rest stop), seconds. */
  dwellS?: number;
}

export interface RouteSpec {
  waypoints: RouteWaypoint[];
  /** Cruising speed between waypoints, km/h. */
  speedKmh: number;
  /** After the last waypoint, drive the route back and start again (ping-pong); otherwise stay parked there. */
  loop?: boolean;
}

/** Typical horizontal dilution of precision under open sky, and in an urban canyon or under a loading roof. */
const HDOP_GOOD = { min: 0.7, max: 1.6 };
const HDOP_POOR = { min: 3, max: 9 };
const POOR_FIX_PROBABILITY = 0.03;
/** Horizontal error per unit of HDOP (user equivalent range error), metres. */
const UERE_M = 2.5;
const METRES_PER_DEGREE_LAT = 111_320;
const EARTH_RADIUS_M = 6_371_000;

/** Great-circle distance, metres (haversine). */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

interface Phase {
  /** Seconds since the route start when this phase begins. */
  startS: number;
  durationS: number;
  from: RouteWaypoint;
  to: RouteWaypoint; // same as `from` for a dwell
  moving: boolean;
}

/**
 * Plays a truck's route back in (world) time: dwell at each waypoint, drive
 * each leg at the cruising speed along the straight great-circle chord
 * (linear interpolation of lat/lon: fine for legs of tens of km). Each fix
 * carries speed (km/h, 0 while parked), HDOP (seeded: mostly good, now and then
 * poor) and a position error scaled by HDOP, stamped with the hub clock.
 */
export class RoutePlayback implements PositionSource {
  private readonly phases: Phase[] = [];
  private readonly totalS: number;

  constructor(
    private readonly spec: RouteSpec,
    private readonly startAt: EpochMs,
    private readonly random: SeededRandom,
    /** Where on the route the hub is at `startAt`, seconds of travel (spreads a fleet along it). */
    private readonly startOffsetS = 0,
  ) {
    if (spec.waypoints.length === 0) throw new RangeError('a route needs at least one waypoint');
    if (!(spec.speedKmh > 0)) throw new RangeError('route speedKmh must be > 0');
    const points = spec.loop ? [...spec.waypoints, ...spec.waypoints.slice(0, -1).reverse()] : spec.waypoints;
    let t = 0;
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      const isLoopEnd = spec.loop && i === points.length - 1;
      if (p.dwellS && !isLoopEnd) {
        this.phases.push({ startS: t, durationS: p.dwellS, from: p, to: p, moving: false });
        t += p.dwellS;
      }
      const next = points[i + 1];
      if (next) {
        const durationS = distanceM(p, next) / (spec.speedKmh / 3.6);
        this.phases.push({ startS: t, durationS, from: p, to: next, moving: true });
        t += durationS;
      }
    }
    this.totalS = t;
  }

  /** Length of one pass of the route (a round trip when looping), seconds. */
  get durationS(): number {
    return this.totalS;
  }

  fixAt(worldAt: EpochMs, hubAt: EpochMs): WireGps {
    let s = (worldAt - this.startAt) / 1000 + this.startOffsetS;
    if (this.spec.loop && this.totalS > 0) s = ((s % this.totalS) + this.totalS) % this.totalS;
    const { lat, lon, alt, moving } = this.positionAt(s);
    const r = this.random;
    const hdop = r.chance(POOR_FIX_PROBABILITY)
      ? r.uniform(HDOP_POOR.min, HDOP_POOR.max)
      : r.uniform(HDOP_GOOD.min, HDOP_GOOD.max);
    const errM = hdop * UERE_M;
    const dLat = r.normal(0, errM) / METRES_PER_DEGREE_LAT;
    const dLon =
      r.normal(0, errM) / (METRES_PER_DEGREE_LAT * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
    const fix: WireGps = {
      lat: round(clamp(lat + dLat, -90, 90), 6),
      lon: round(clamp(lon + dLon, -180, 180), 6),
      speed: moving ? round(Math.max(0, this.spec.speedKmh + r.normal(0, 2)), 1) : 0,
      hdop: round(hdop, 1),
      fixAt: hubAt,
    };
    if (alt !== undefined) fix.alt = round(alt, 1);
    return fix;
  }

  private positionAt(s: number): { lat: number; lon: number; alt?: number; moving: boolean } {
    if (s <= 0 || this.phases.length === 0) return { ...this.spec.waypoints[0], moving: false };
    // Binary search for the phase containing s.
    let lo = 0;
    let hi = this.phases.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.phases[mid].startS <= s) lo = mid;
      else hi = mid - 1;
    }
    const ph = this.phases[lo];
    if (s >= ph.startS + ph.durationS) {
      const last = this.phases[this.phases.length - 1].to;
      return { lat: last.lat, lon: last.lon, alt: last.alt, moving: false };
    }
    if (!ph.moving) return { lat: ph.from.lat, lon: ph.from.lon, alt: ph.from.alt, moving: false };
    const f = ph.durationS > 0 ? (s - ph.startS) / ph.durationS : 1;
    const alt =
      ph.from.alt !== undefined && ph.to.alt !== undefined
        ? ph.from.alt + (ph.to.alt - ph.from.alt) * f
        : ph.from.alt;
    return {
      lat: ph.from.lat + (ph.to.lat - ph.from.lat) * f,
      lon: ph.from.lon + (ph.to.lon - ph.from.lon) * f,
      alt,
      moving: true,
    };
  }
}

/** A built-in route for demos and fleets: Rotterdam port → Antwerp → Brussels → Lille distribution centre, and back. */
export const DEMO_ROUTE: RouteSpec = {
  speedKmh: 80,
  loop: true,
  waypoints: [
    { lat: 51.9496, lon: 4.1453, alt: 2, dwellS: 1800 }, // Rotterdam Maasvlakte reefer terminal
    { lat: 51.5906, lon: 4.7776, alt: 5 }, // Breda
    { lat: 51.2637, lon: 4.3963, alt: 8, dwellS: 900 }, // Antwerp
    { lat: 50.8466, lon: 4.3528, alt: 60, dwellS: 1200 }, // Brussels
    { lat: 50.6292, lon: 3.0573, alt: 25, dwellS: 2400 }, // Lille
  ],
};

const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));
const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
