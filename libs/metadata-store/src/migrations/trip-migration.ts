import type { Migration } from '../migrations.js';

/**
 * Migration 6, trips (shipments): the tags and hubs of a trip are
 * JSON arrays of MACs / IMEIs in TEXT (read whole with the trip, never
 * queried by element: the hot path looks trips up in memory). Times epoch ms.
 */
export const TRIPS_MIGRATION: Migration = {
  id: 6,
  name: 'trips (shipments)',
  sql: `
      CREATE TABLE trips (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        origin TEXT,
        destination TEXT,
        tags TEXT NOT NULL,
        hubs TEXT NOT NULL,
        started_at BIGINT,
        ended_at BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX trips_tenant ON trips (tenant_id, created_at);
      CREATE INDEX trips_running ON trips (ended_at);
  `,
};
