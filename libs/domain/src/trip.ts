import type { EpochMs } from './time.js';

/** Where a shipment stands: planned (not started), in progress, completed (stopped). */
export type TripStatus = 'planned' | 'in_progress' | 'completed';

/**
 * A shipment: the tags riding with the goods and the hubs relaying them,
 * between a start and a stop (processing times of the operator's actions,
 * epoch ms). Trip-scoped alarm rules, statistics and reports use
 * [startedAt, endedAt).
 */
export interface Trip {
  id: string;
  tenantId: string;
  /** The operator's reference, e.g. "LIS-MAD 2026-11-23". */
  name: string;
  origin?: string;
  destination?: string;
  /** K-TAG MACs (normalised). */
  tags: string[];
  /** K-HUB IMEIs. */
  hubs: string[];
  startedAt?: EpochMs;
  endedAt?: EpochMs;
  createdAt: EpochMs;
}

export function tripStatus(trip: Pick<Trip, 'startedAt' | 'endedAt'>): TripStatus {
  if (trip.startedAt === undefined) return 'planned';
  return trip.endedAt === undefined ? 'in_progress' : 'completed';
}
