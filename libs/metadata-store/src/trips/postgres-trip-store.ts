import type { EpochMs, Trip } from '@coldchain/domain';
import type { PostgresAccess } from '../operator/postgres-operator-store.js';
import { patched, toTrip, TRIP_COLUMNS, tripValues, type TripRow } from './trip-rows.js';
import type { TripPatch, TripStore } from './trip-store.port.js';

const BUMP = 'UPDATE metadata_version SET version = version + 1 WHERE id = 1';

/** The trips part of the PostgreSQL metadata store; each edit and its version bump in one transaction. */
export class PostgresTripStore implements TripStore {
  constructor(private readonly pg: PostgresAccess) {}

  async createTrip(trip: Trip): Promise<void> {
    await this.pg.transaction(async (c) => {
      await c.query(
        `INSERT INTO trips (${TRIP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        tripValues(trip),
      );
      await c.query(BUMP);
    });
  }

  async findTrip(tenantId: string, id: string): Promise<Trip | undefined> {
    const [r] = await this.pg.query<TripRow>(
      `SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return r && toTrip(r);
  }

  async listTrips(tenantId: string, limit: number): Promise<Trip[]> {
    return (
      await this.pg.query<TripRow>(
        `SELECT ${TRIP_COLUMNS} FROM trips WHERE tenant_id = $1 ORDER BY created_at DESC, id COLLATE "C" LIMIT $2`,
        [tenantId, limit],
      )
    ).map(toTrip);
  }

  async updateTrip(tenantId: string, id: string, patch: TripPatch): Promise<Trip | undefined> {
    return this.pg.transaction(async (c) => {
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
      await c.query(BUMP);
      return next;
    });
  }

  async activeTrips(endedSince: EpochMs): Promise<Trip[]> {
    return (
      await this.pg.query<TripRow>(
        `SELECT ${TRIP_COLUMNS} FROM trips WHERE ended_at IS NULL OR ended_at >= $1 ORDER BY created_at`,
        [endedSince],
      )
    ).map(toTrip);
  }
}
