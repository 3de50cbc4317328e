import type { Trip as EngineTrip, TripLookup } from '@coldchain/alarm-engine';
import type { Clock, EpochMs, Trip } from '@coldchain/domain';
import type { MetadataDatabase, TripRepository } from '@coldchain/metadata-store';

/** Tunables of the trip directory, units in the names. */
export const TRIP_DIRECTORY_DEFAULTS = {
  /** Ended trips are kept this long, so the engine can close their statistics and budgets. */
  endedWindowMs: 24 * 60 * 60_000, // 1 day
};

/**
 * The alarm engine's {@link TripLookup} for ingest: the running trips (and
 * those ended within `endedWindowMs`) of every tenant, from the metadata
 * store, reloaded when the store's version moves (checked every `refreshMs`,
 * like the metadata cache), so a trip started or stopped on any instance
 * applies within seconds. Lookups are one Map read per record.
 *
 * Per tag: the running trip if there is one (the latest started), else the
 * latest ended. Planned trips (not started) are not trips yet.
 */
export class TripDirectory implements TripLookup {
  private byTag = new Map<string, EngineTrip>();
  private version = -1;
  private timer?: NodeJS.Timeout;

  constructor(
    /** The metadata version (what tells a reload is due) and the trips. */
    private readonly source: {
      database: Pick<MetadataDatabase, 'version'>;
      trips: Pick<TripRepository, 'activeTrips'>;
    },
    private readonly clock: Clock,
    private readonly refreshMs: number,
    private readonly log: { warn(message: string): void },
    private readonly endedWindowMs = TRIP_DIRECTORY_DEFAULTS.endedWindowMs,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) =>
        this.log.warn(`trip directory: refresh failed, keeping the last trips: ${String(err)}`),
      );
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reloads when the store's version moved. Resolves true when it reloaded. */
  async refresh(): Promise<boolean> {
    const version = await this.source.database.version();
    if (version === this.version) return false;
    this.apply(await this.source.trips.activeTrips(this.clock.now() - this.endedWindowMs));
    this.version = version;
    return true;
  }

  tripForTag(tenantId: string, tag: string): EngineTrip | undefined {
    return this.byTag.get(keyOf(tenantId, tag));
  }

  private apply(trips: readonly Trip[]): void {
    const byTag = new Map<string, EngineTrip>();
    for (const t of trips) {
      if (t.startedAt === undefined) continue;
      const trip: EngineTrip =
        t.endedAt === undefined
          ? { id: t.id, startedAt: t.startedAt }
          : { id: t.id, startedAt: t.startedAt, endedAt: t.endedAt };
      for (const tag of t.tags) {
        const key = keyOf(t.tenantId, tag);
        const known = byTag.get(key);
        if (known === undefined || precedes(known, trip)) byTag.set(key, trip);
      }
    }
    this.byTag = byTag;
  }
}

const keyOf = (tenantId: string, tag: string): string => `${tenantId}\u0000${tag}`;

/** True when `b` should replace `a` as a tag's trip: running beats ended; then the later one. */
function precedes(a: EngineTrip, b: EngineTrip): boolean {
  const aRunning = a.endedAt === undefined;
  const bRunning = b.endedAt === undefined;
  if (aRunning !== bRunning) return bRunning;
  return aRunning ? b.startedAt > a.startedAt : (b.endedAt as EpochMs) > (a.endedAt as EpochMs);
}
