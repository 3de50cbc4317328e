import type { EpochMs, Trip } from '@coldchain/domain';
import { patched, toTrip, TRIP_COLUMNS, tripValues, type TripRow } from './trip-rows.js';
import { BUMP_VERSION, type PostgresDatabase } from '../../database/postgres-database.js';
import type { TripPatch, TripRepository } from './trip.repository.js';

/** {@link TripRepository} on the PostgreSQL metadata database; each edit and its version bump in one transaction. */
export class PostgresTripRepository implements TripRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async createTrip(trip: Trip): Promise<void> {
    await this.db.transaction(async (c) => {
      await c.query(
        `INSERT INTO trips (${TRIP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        tripValues(trip),
      );
      await c.query(BUMP_VERSION);
    });
  }

  async findTrip(tenantId: string, id: string): Promise<Trip | undefined> {
    const [r] = await this.db.query<TripRow>(
      `SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return r && toTrip(r);
  }

  async listTrips(tenantId: string, limit: number): Promise<Trip[]> {
    return (
      await this.db.query<TripRow>(
        `SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = $1 ORDER BY created_at DESC, id COLLATE "C" LIMIT $2`,
        [tenantId, limit],
      )
    ).map(toTrip);
  }

  async updateTrip(tenantId: string, id: string, patch: TripPatch): Promise<Trip | undefined> {
    return this.db.transaction(async (c) => {
      // FOR UPDATE: concurrent edits of one trip apply one after the other, each on the other's result.
      const {
        rows: [r],
      } = await c.query<TripRow>(
        `SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [tenantId, id],
      );
      if (!r) return undefined;
      const next = patched(toTrip(r), patch);
      const [, , ...values] = tripValues(next);
      await c.query(
        `UPDATE trips SET name = $3, origin = $4, destination = $5, tags = $6, hubs = $7, started_at = $8,
         ended_at = $9, created_at = $10 WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, ...values],
      );
      await c.query(BUMP_VERSION);
      return next;
    });
  }

  async activeTrips(endedSince: EpochMs): Promise<Trip[]> {
    return (
      await this.db.query<TripRow>(
        `SELECT ${TRIP_COLUMNS} FROM trips WHERE ended_at IS NULL OR ended_at >= $1 ORDER BY created_at`,
        [endedSince],
      )
    ).map(toTrip);
  }
}
