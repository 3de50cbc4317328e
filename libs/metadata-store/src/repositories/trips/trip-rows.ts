import type { Trip } from '@coldchain/domain';
import type { TripPatch } from './trip.repository.js';

/** A trips row as both engines return it (PostgreSQL BIGINT arrives as string). */
export interface TripRow {
  id: string;
  tenant_id: string;
  name: string;
  origin: string | null;
  destination: string | null;
  tags: string;
  hubs: string;
  started_at: number | string | null;
  ended_at: number | string | null;
  created_at: number | string;
}

export const TRIP_COLUMNS =
  'id, tenant_id, name, origin, destination, tags, hubs, started_at, ended_at, created_at';

export function toTrip(r: TripRow): Trip {
  const trip: Trip = {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    tags: JSON.parse(r.tags) as string[],
    hubs: JSON.parse(r.hubs) as string[],
    createdAt: Number(r.created_at),
  };
  if (r.origin !== null) trip.origin = r.origin;
  if (r.destination !== null) trip.destination = r.destination;
  if (r.started_at !== null) trip.startedAt = Number(r.started_at);
  if (r.ended_at !== null) trip.endedAt = Number(r.ended_at);
  return trip;
}

/** The row values of a trip, in TRIP_COLUMNS order. */
export function tripValues(t: Trip): unknown[] {
  return [
    t.id,
    t.tenantId,
    t.name,
    t.origin ?? null,
    t.destination ?? null,
    JSON.stringify(t.tags),
    JSON.stringify(t.hubs),
    t.startedAt ?? null,
    t.endedAt ?? null,
    t.createdAt,
  ];
}

/** A trip with a patch applied (the adapters read, patch and write back in one transaction). */
export function patched(t: Trip, p: TripPatch): Trip {
  const out: Trip = { ...t, tags: p.tags ?? t.tags, hubs: p.hubs ?? t.hubs };
  if (p.name !== undefined) out.name = p.name;
  if (p.origin === null) delete out.origin;
  else if (p.origin !== undefined) out.origin = p.origin;
  if (p.destination === null) delete out.destination;
  else if (p.destination !== undefined) out.destination = p.destination;
  if (p.startedAt !== undefined) out.startedAt = p.startedAt;
  if (p.endedAt !== undefined) out.endedAt = p.endedAt;
  return out;
}
