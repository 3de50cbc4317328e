/** A tenant's own settings, as its owner sets them. */
export interface TenantSettings {
  id: string;
  name: string;
  /** IANA time zone reports and the dashboard print times in; absent = UTC. */
  timeZone?: string;
  /** Days this tenant's GPS positions are kept, when shorter than the platform's POSITIONS_RETENTION_DAYS. */
  positionsRetentionDays?: number;
}

/** What may change; `null` clears an optional setting. */
export interface TenantPatch {
  name?: string;
  timeZone?: string | null;
  positionsRetentionDays?: number | null;
}

/**
 * Tenants' settings (migration 7). Part of MetadataStorePort; proven by
 * test/contracts/tenant-store.contract.ts on both adapters. Validation of the
 * values (a real time zone, a sane number of days) belongs to the caller.
 */
export interface TenantStore {
  findTenant(id: string): Promise<TenantSettings | undefined>;
  updateTenant(id: string, patch: TenantPatch): Promise<TenantSettings | undefined>;
  /** Tenants whose positions expire sooner than the platform's default. */
  tenantsWithPositionsRetention(): Promise<TenantSettings[]>;
}
