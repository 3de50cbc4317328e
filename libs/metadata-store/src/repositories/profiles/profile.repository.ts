import type { Profile } from '@coldchain/domain';

/**
 * Alarm profiles (temperature bounds and rules). Proven by
 * test/contracts/profile-repository.contract.ts on both adapters.
 *
 * Stores what it is given: whether a profile makes sense is the domain's
 * question (`validateProfile`, asked by the fleet service before saving).
 * Tenant-scoped: a profile of another tenant behaves as absent.
 */
export interface ProfileRepository {
  /**
   * Inserts at version 1, or updates and bumps `version`, and bumps the
   * metadata version. A profile id owned by another tenant is refused
   * (InvalidInputError `profile id taken`). Concurrent saves of one profile
   * each get their own version.
   */
  saveProfile(profile: Omit<Profile, 'version'>): Promise<Profile>;
  findProfile(tenantId: string, id: string): Promise<Profile | undefined>;
  /** By name, then id. */
  listProfiles(tenantId: string): Promise<Profile[]>;
}
