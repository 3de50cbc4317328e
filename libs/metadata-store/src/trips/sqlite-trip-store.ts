import type Database from 'better-sqlite3';
import type { EpochMs, Trip } from '@coldchain/domain';
import { patched, toTrip, TRIP_COLUMNS, tripValues, type TripRow } from './trip-rows.js';
import type { TripPatch, TripStore } from './trip-store.port.js';

/** The trips part of the SQLite metadata store; the adapter hands over its database and version bump. */
export class SqliteTripStore implements TripStore {
  constructor(
    private readonly db: () => Database.Database,
    private readonly bump: () => void,
  ) {}

  async createTrip(trip: Trip): Promise<void> {
    const db = this.db();
    db.transaction(() => {
      db.prepare(`INSERT INTO trips (${TRIP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        ...tripValues(trip),
      );
      this.bump();
    })();
  }

  async findTrip(tenantId: string, id: string): Promise<Trip | undefined> {
    const r = this.db()
      .prepare(`SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = ? AND id = ?`)
      .get(tenantId, id) as TripRow | undefined;
    return r && toTrip(r);
  }

  async listTrips(tenantId: string, limit: number): Promise<Trip[]> {
    return (
      this.db()
        .prepare(`SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = ? ORDER BY created_at DESC, id LIMIT ?`)
        .all(tenantId, limit) as TripRow[]
    ).map(toTrip);
  }

  async updateTrip(tenantId: string, id: string, patch: TripPatch): Promise<Trip | undefined> {
    const db = this.db();
    return db.transaction(() => {
      const r = db
        .prepare(`SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = ? AND id = ?`)
        .get(tenantId, id) as TripRow | undefined;
      if (!r) return undefined;
      const next = patched(toTrip(r), patch);
      const [, , ...values] = tripValues(next);
      db.prepare(
        `UPDATE trips SET name = ?, origin = ?, destination = ?, tags = ?, hubs = ?, started_at = ?, ended_at = ?,
         created_at = ? WHERE tenant_id = ? AND id = ?`,
      ).run(...values, tenantId, id);
      this.bump();
      return next;
    })();
  }

  async activeTrips(endedSince: EpochMs): Promise<Trip[]> {
    return (
      this.db()
        .prepare(
          `SELECT ${TRIP_COLUMNS} FROM trips WHERE ended_at IS NULL OR ended_at >= ? ORDER BY created_at`,
        )
        .all(endedSince) as TripRow[]
    ).map(toTrip);
  }
}
