import type { EpochMs, User, UserRole } from '@coldchain/domain';

export interface UserRecord extends User {
  passwordHash: string;
  mustChangePassword: boolean;
  /** A disabled user cannot log in (absent = false). */
  disabled?: boolean;
}

export interface UserPatch {
  role?: UserRole;
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

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
 * Accounts: tenants' users and the platform's admins (migration 8). Proven by
 * test/contracts/user-repository.contract.ts on both adapters.
 *
 * Tenant scoping is part of the contract: every method taking a `tenantId`
 * sees only that tenant's rows, and a user of another tenant behaves as
 * absent (undefined), never as an error that would reveal it. Emails are
 * kept lower-case and looked up case-insensitively.
 */
export interface UserRepository {
  createUser(user: UserRecord): Promise<void>;
  /** Any tenant's user with this email (emails are unique across tenants). */
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUser(tenantId: string, id: string): Promise<UserRecord | undefined>;
  listUsers(tenantId: string): Promise<UserRecord[]>;
  /** Applies `patch`; undefined when no such user in this tenant. */
  updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined>;

  /** Refuses (the engine's unique constraint) an email another platform admin has; emails are kept lower-case. */
  createPlatformAdmin(admin: PlatformAdminRecord): Promise<void>;
  findPlatformAdmin(id: string): Promise<PlatformAdminRecord | undefined>;
  /** Case-insensitive. */
  findPlatformAdminByEmail(email: string): Promise<PlatformAdminRecord | undefined>;
  updatePlatformAdmin(id: string, patch: PlatformAdminPatch): Promise<PlatformAdminRecord | undefined>;
}
