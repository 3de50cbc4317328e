import { randomUUID } from 'node:crypto';
import { isValidImei, normalizeMac } from '@coldchain/contract';
import { tripStatus, type Clock, type Trip } from '@coldchain/domain';
import { ConflictError, InvalidInputError, NotFoundError } from '@coldchain/errors';
import type {
  AuditEntry,
  AuditRepository,
  HubRepository,
  TagRepository,
  TripRepository,
} from '@coldchain/metadata-store';
import type { Actor } from './fleet.service.js';

/** A trip as the operator describes it; tags in any MAC spelling. */
export interface TripInput {
  name: string;
  origin?: string;
  destination?: string;
  tags: string[];
  hubs?: string[];
}

export type TripUpdate = Partial<Omit<TripInput, 'origin' | 'destination'>> & {
  origin?: string | null;
  destination?: string | null;
};

/** The repositories the trips service works on. */
export interface TripsRepositories {
  trips: TripRepository;
  /** To check that a trip's tags and hubs are the tenant's. */
  tags: Pick<TagRepository, 'findTag'>;
  hubs: Pick<HubRepository, 'findHub'>;
  audit: AuditRepository;
}

/** Limits of trips, units in the names. */
export const TRIP_LIMITS = { maxTags: 1000, maxHubs: 100, listDefault: 100 };

/**
 * Trips (shipments) as operators run them: plan (name, origin, destination,
 * the tenant's tags and hubs), start, stop. Framework-free, the clock passed
 * in; tenant-scoped like the fleet (another tenant's trip is NotFoundError).
 *
 * Rules: tags and hubs must be the tenant's own (each unknown one named);
 * a completed trip is history and cannot change; a tag rides in at most one
 * trip in progress (starting a second is a ConflictError naming both), since
 * trip-scoped alarm rules and statistics need one trip per tag at a time.
 * Every change goes to the audit trail.
 */
export class TripsService {
  constructor(
    private readonly repos: TripsRepositories,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, limit = TRIP_LIMITS.listDefault): Promise<Trip[]> {
    return this.repos.trips.listTrips(actor.tenantId, limit);
  }

  async get(actor: Actor, id: string): Promise<Trip> {
    const trip = await this.repos.trips.findTrip(actor.tenantId, id);
    if (!trip) throw new NotFoundError(`trip ${id}`);
    return trip;
  }

  /** The trip's audit trail, newest first (NotFoundError for another tenant's trip). */
  async history(actor: Actor, id: string, limit: number): Promise<AuditEntry[]> {
    await this.get(actor, id);
    return this.repos.audit.listAudit(actor.tenantId, { objectType: 'trip', objectId: id, limit });
  }

  async create(actor: Actor, input: TripInput): Promise<Trip> {
    const { tags, hubs } = await this.devices(actor.tenantId, input.tags, input.hubs ?? []);
    const trip: Trip = {
      id: randomUUID(),
      tenantId: actor.tenantId,
      name: input.name,
      tags,
      hubs,
      createdAt: this.clock.now(),
    };
    if (input.origin !== undefined) trip.origin = input.origin;
    if (input.destination !== undefined) trip.destination = input.destination;
    await this.repos.trips.createTrip(trip);
    await this.audit(actor, trip.id, 'trip.create', trip);
    return trip;
  }

  async update(actor: Actor, id: string, patch: TripUpdate): Promise<Trip> {
    const trip = await this.get(actor, id);
    if (tripStatus(trip) === 'completed')
      throw new ConflictError(`trip ${id} is completed: its record cannot change`);
    const devices =
      patch.tags !== undefined || patch.hubs !== undefined
        ? await this.devices(actor.tenantId, patch.tags ?? trip.tags, patch.hubs ?? trip.hubs)
        : undefined;
    if (devices && tripStatus(trip) === 'in_progress')
      await this.assertTagsFree(actor.tenantId, devices.tags, id);
    const updated = await this.repos.trips.updateTrip(actor.tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.origin !== undefined ? { origin: patch.origin } : {}),
      ...(patch.destination !== undefined ? { destination: patch.destination } : {}),
      ...(devices ?? {}),
    });
    if (!updated) throw new NotFoundError(`trip ${id}`);
    await this.audit(actor, id, 'trip.update', patch);
    return updated;
  }

  async start(actor: Actor, id: string): Promise<Trip> {
    const trip = await this.get(actor, id);
    if (tripStatus(trip) !== 'planned') throw new ConflictError(`trip ${id} is already ${tripStatus(trip)}`);
    await this.assertTagsFree(actor.tenantId, trip.tags, id);
    const at = this.clock.now();
    const started = await this.repos.trips.updateTrip(actor.tenantId, id, { startedAt: at });
    if (!started) throw new NotFoundError(`trip ${id}`);
    await this.audit(actor, id, 'trip.start', { at });
    return started;
  }

  async stop(actor: Actor, id: string): Promise<Trip> {
    const trip = await this.get(actor, id);
    if (tripStatus(trip) !== 'in_progress')
      throw new ConflictError(`trip ${id} is ${tripStatus(trip)}: only a trip in progress can be stopped`);
    // A stop never precedes the start, even if clocks of two API instances disagree.
    const at = Math.max(this.clock.now(), trip.startedAt!);
    const stopped = await this.repos.trips.updateTrip(actor.tenantId, id, { endedAt: at });
    if (!stopped) throw new NotFoundError(`trip ${id}`);
    await this.audit(actor, id, 'trip.stop', { at });
    return stopped;
  }

  /** Normalised, de-duplicated tags and hubs, all the tenant's own; every problem named at once. */
  private async devices(
    tenantId: string,
    rawTags: readonly string[],
    rawHubs: readonly string[],
  ): Promise<{ tags: string[]; hubs: string[] }> {
    const problems: string[] = [];
    if (rawTags.length === 0) problems.push('tags: a trip carries at least one tag');
    if (rawTags.length > TRIP_LIMITS.maxTags) problems.push(`tags: at most ${TRIP_LIMITS.maxTags}`);
    if (rawHubs.length > TRIP_LIMITS.maxHubs) problems.push(`hubs: at most ${TRIP_LIMITS.maxHubs}`);
    const tags = new Set<string>();
    for (const raw of rawTags) {
      const mac = normalizeMac(raw);
      if (!mac) problems.push(`tags: "${raw}" is not a MAC address`);
      else if (!(await this.repos.tags.findTag(tenantId, mac)))
        problems.push(`tags: ${mac} is not a tag of this tenant`);
      else tags.add(mac);
    }
    const hubs = new Set<string>();
    for (const raw of rawHubs) {
      const imei = raw.trim();
      if (!isValidImei(imei)) problems.push(`hubs: "${raw}" is not an IMEI`);
      else if (!(await this.repos.hubs.findHub(tenantId, imei)))
        problems.push(`hubs: ${imei} is not a hub of this tenant`);
      else hubs.add(imei);
    }
    if (problems.length > 0) throw new InvalidInputError(`invalid trip: ${problems.join('; ')}`, problems);
    return { tags: [...tags], hubs: [...hubs] };
  }

  /** Refuses tags that ride in another trip in progress of the tenant. */
  private async assertTagsFree(tenantId: string, tags: readonly string[], self: string): Promise<void> {
    const running = (await this.repos.trips.activeTrips(Number.MAX_SAFE_INTEGER)).filter(
      (t) => t.tenantId === tenantId && t.id !== self && tripStatus(t) === 'in_progress',
    );
    const clashes = running.flatMap((t) =>
      t.tags.filter((m) => tags.includes(m)).map((m) => `${m} (trip ${t.name})`),
    );
    if (clashes.length > 0)
      throw new ConflictError(
        `tags already in a trip in progress: ${clashes.join(', ')}; stop that trip first`,
      );
  }

  private async audit(actor: Actor, objectId: string, action: string, detail: unknown): Promise<void> {
    await this.repos.audit.recordAudit({
      tenantId: actor.tenantId,
      actorId: actor.userId,
      actorEmail: actor.email,
      action,
      objectType: 'trip',
      objectId,
      at: this.clock.now(),
      detail,
    });
  }
}
