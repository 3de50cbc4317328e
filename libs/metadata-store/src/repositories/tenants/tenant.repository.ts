import type { EpochMs, Tenant } from '@coldchain/domain';
import type { UserRecord } from '../users/user.repository.js';

/** A tenant (customer account): its own settings, as its owner sets them, and its lifecycle. */
export interface TenantSettings {
  id: string;
  name: string;
  /** IANA time zone reports and the dashboard print times in; absent = UTC. */
  timeZone?: string;
  /** Days this tenant's GPS positions are kept, when shorter than the platform's POSITIONS_RETENTION_DAYS. */
  positionsRetentionDays?: number;
  /** When the tenant was created, epoch ms. */
  createdAt: EpochMs;
  /** When it was closed (contract terminated), epoch ms; absent while it is open. */
  closedAt?: EpochMs;
  /** Who closed it (a platform admin's email). */
  closedBy?: string;
  /** A closed tenant's users may log in, read only (to export), until then, epoch ms. */
  readOnlyUntil?: EpochMs;
}

/** What may change; `null` clears an optional setting. */
export interface TenantPatch {
  name?: string;
  timeZone?: string | null;
  positionsRetentionDays?: number | null;
}

/** A tenant to open, with its first owner. */
export interface NewTenant {
  id: string;
  name: string;
  timeZone?: string;
}

/** The closing of a tenant: when, by whom, until when its users may still read. Epoch ms. */
export interface TenantClosing {
  at: EpochMs;
  by: string;
  readOnlyUntil: EpochMs;
}

/**
 * Tenants: their settings (migration 7) and lifecycle (migration 8). Proven
 * by test/contracts/tenant-repository.contract.ts on both adapters. Validation of the values (a real time zone, a sane number
 * of days) belongs to the caller.
 *
 * A closed tenant stays in the store with everything it owns (its users
 * still log in read-only for a while, to export), but leaves the snapshot
 * the hot path works from: its hubs no longer authenticate and its tags are
 * unknown, so nothing more is stored for it.
 */
export interface TenantRepository {
  /** Bumps the metadata version; a taken id is refused (PostgreSQL: InvalidInputError `tenant "<id>" already exists`). */
  createTenant(tenant: Tenant): Promise<void>;
  /** True while no tenant exists (a fresh install, before the demo seed). */
  isEmpty(): Promise<boolean>;
  findTenant(id: string): Promise<TenantSettings | undefined>;
  updateTenant(id: string, patch: TenantPatch): Promise<TenantSettings | undefined>;
  /** Tenants whose positions expire sooner than the platform's default. */
  tenantsWithPositionsRetention(): Promise<TenantSettings[]>;
  /** Every tenant, open and closed, by id. */
  listTenants(): Promise<TenantSettings[]>;
  /**
   * Creates the tenant and its first user in one transaction (both or
   * neither) and bumps the metadata version. A taken tenant id or email
   * rejects with the engine's constraint error, nothing written.
   */
  openTenant(tenant: NewTenant, owner: UserRecord): Promise<TenantSettings>;
  /**
   * Closes an open tenant and bumps the metadata version (its hubs, tags and
   * profiles leave the snapshot). False when no open tenant has this id
   * (unknown, or closed already: the first closing stands).
   */
  closeTenant(id: string, closing: TenantClosing): Promise<boolean>;
}
