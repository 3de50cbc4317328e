import type { EpochMs, Trip } from '@coldchain/domain';
import { patched, toTrip, TRIP_COLUMNS, tripValues, type TripRow } from './trip-rows.js';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import type { TripPatch, TripRepository } from './trip.repository.js';

/** {@link TripRepository} on the SQLite metadata database. */
export class SqliteTripRepository implements TripRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async createTrip(trip: Trip): Promise<void> {
    const db = this.db.sql;
    db.transaction(() => {
      db.prepare(`INSERT INTO trips (${TRIP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        ...tripValues(trip),
      );
      this.db.bump();
    })();
  }

  async findTrip(tenantId: string, id: string): Promise<Trip | undefined> {
    const r = this.db.sql
      .prepare(`SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = ? AND id = ?`)
      .get(tenantId, id) as TripRow | undefined;
    return r && toTrip(r);
  }

  async listTrips(tenantId: string, limit: number): Promise<Trip[]> {
    return (
      this.db.sql
        .prepare(`SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = ? ORDER BY created_at DESC, id LIMIT ?`)
        .all(tenantId, limit) as TripRow[]
    ).map(toTrip);
  }

  async updateTrip(tenantId: string, id: string, patch: TripPatch): Promise<Trip | undefined> {
    const db = this.db.sql;
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
      this.db.bump();
      return next;
    })();
  }

  async activeTrips(endedSince: EpochMs): Promise<Trip[]> {
    return (
      this.db.sql
        .prepare(
          `SELECT ${TRIP_COLUMNS} FROM trips WHERE ended_at IS NULL OR ended_at >= ? ORDER BY created_at`,
        )
        .all(endedSince) as TripRow[]
    ).map(toTrip);
  }
}
