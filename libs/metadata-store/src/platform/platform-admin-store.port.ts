import type { EpochMs } from '@coldchain/domain';

/**
 * An operator of the platform itself: creates, lists and closes tenants. A
 * member of no tenant, so it can read no tenant's data, and its sessions
 * carry no tenant (`SessionRecord.tenantId` absent). Its email shares the
 * one login form with tenants' users, so it is unique across both.
 */
export interface PlatformAdminRecord {
  id: string;
  email: string;
  passwordHash: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: EpochMs;
}

export interface PlatformAdminPatch {
  passwordHash?: string;
  mustChangePassword?: boolean;
  disabled?: boolean;
}

/**
 * The platform admins (migration 8). Part of MetadataStorePort; proven by
 * test/contracts/tenant-store.contract.ts on both adapters.
 */
export interface PlatformAdminStore {
  /** Refuses (the engine's unique constraint) an email another platform admin has; emails are kept lower-case. */
  createPlatformAdmin(admin: PlatformAdminRecord): Promise<void>;
  findPlatformAdmin(id: string): Promise<PlatformAdminRecord | undefined>;
  /** Case-insensitive. */
  findPlatformAdminByEmail(email: string): Promise<PlatformAdminRecord | undefined>;
  updatePlatformAdmin(id: string, patch: PlatformAdminPatch): Promise<PlatformAdminRecord | undefined>;
}
