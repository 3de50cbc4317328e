import type { Profile, ProfileLookup, Tag } from '@coldchain/domain';
import { verifyHubSecret } from './credentials.js';
import type { HubRecord, MetadataDatabase, MetadataSnapshot } from './database/metadata-database.js';

/** Tunables of the metadata cache, units in the names. */
export const METADATA_CACHE_DEFAULTS = {
  refreshMs: 2000,
};

/**
 * What the hot path knows of hubs, tags and profiles: an in-memory snapshot of
 * the metadata store, reloaded whenever the store's version moves (checked
 * every `refreshMs`), so an edit made on any instance applies everywhere
 * within seconds, without a restart. Lookups are plain Map reads.
 */
export class MetadataCache implements ProfileLookup {
  private hubs = new Map<string, HubRecord>();
  private tags = new Map<string, Tag>();
  private profiles = new Map<string, Profile>();
  private version = -1;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: Pick<MetadataDatabase, 'version' | 'snapshot'>,
    private readonly refreshMs = METADATA_CACHE_DEFAULTS.refreshMs,
    private readonly log: { warn(message: string): void } = console,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) =>
        this.log.warn(`metadata cache: refresh failed, keeping last snapshot: ${String(err)}`),
      );
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reloads when the store's version moved. Resolves true when it reloaded. */
  async refresh(): Promise<boolean> {
    const version = await this.store.version();
    if (version === this.version) return false;
    this.apply(await this.store.snapshot());
    return true;
  }

  private apply(s: MetadataSnapshot): void {
    this.hubs = new Map(s.hubs.map((h) => [h.imei, h]));
    this.tags = new Map(s.tags.map((t) => [t.mac, t]));
    this.profiles = new Map(s.profiles.map((p) => [p.id, p]));
    this.version = s.version;
  }

  hub(imei: string): HubRecord | undefined {
    return this.hubs.get(imei);
  }

  /** The hub when `secret` is its MQTT password; undefined otherwise (unknown hub or wrong secret alike). */
  authenticateHub(imei: string, secret: string): HubRecord | undefined {
    const hub = this.hubs.get(imei);
    return hub && verifyHubSecret(secret, hub.secretHash) ? hub : undefined;
  }

  /** The tag when it is registered to `tenantId`; a tag of another tenant is unknown here. */
  tag(tenantId: string, mac: string): Tag | undefined {
    const tag = this.tags.get(mac);
    return tag && tag.tenantId === tenantId ? tag : undefined;
  }

  profile(id: string): Profile | undefined {
    return this.profiles.get(id);
  }

  profileForTag(tenantId: string, mac: string): Profile | undefined {
    const tag = this.tag(tenantId, mac);
    return tag?.profileId ? this.profiles.get(tag.profileId) : undefined;
  }
}
