import type { EpochMs, Trip } from '@coldchain/domain';

/** What may change on a trip; `null` clears an optional field. */
export interface TripPatch {
  name?: string;
  origin?: string | null;
  destination?: string | null;
  tags?: string[];
  hubs?: string[];
  startedAt?: EpochMs;
  endedAt?: EpochMs;
}

/**
 * Trips (shipments). Proven by test/contracts/trip-repository.contract.ts
 * on both adapters.
 *
 * Contract: tenant-scoped like hubs and tags (another tenant's trip is
 * absent: undefined); every create or update bumps the metadata version, so
 * ingest's trip lookup (trip-scoped rules) follows within METADATA_REFRESH_MS;
 * business rules (who may start what, one running trip per tag) belong to
 * the trips service, not here.
 */
export interface TripRepository {
  createTrip(trip: Trip): Promise<void>;
  findTrip(tenantId: string, id: string): Promise<Trip | undefined>;
  /** Newest first (by creation), at most `limit`. */
  listTrips(tenantId: string, limit: number): Promise<Trip[]>;
  updateTrip(tenantId: string, id: string, patch: TripPatch): Promise<Trip | undefined>;
  /**
   * Trips that matter to the hot path: running ones, and those ended at or
   * after `endedSince` (the engine closes trip statistics on them). All tenants.
   */
  activeTrips(endedSince: EpochMs): Promise<Trip[]>;
}
