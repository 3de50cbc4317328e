import type { Tag } from '@coldchain/domain';

export interface TagPatch {
  name?: string;
  /** null unassigns the profile. */
  profileId?: string | null;
}

/**
 * Tags (sensors) and the profile each follows. Proven by
 * test/contracts/tag-repository.contract.ts on both adapters.
 *
 * Tenant-scoped: a tag of another tenant behaves as absent (undefined).
 * Every change bumps the metadata version.
 */
export interface TagRepository {
  createTag(tag: Tag): Promise<void>;
  /**
   * Whether a tag with this MAC is registered to any tenant: the identifier
   * is physical and unique, so registering a taken one is a conflict.
   */
  isRegistered(mac: string): Promise<boolean>;
  findTag(tenantId: string, mac: string): Promise<Tag | undefined>;
  listTags(tenantId: string): Promise<Tag[]>;
  /** Applies `patch` and bumps the version; undefined when no such tag in this tenant. */
  updateTag(tenantId: string, mac: string, patch: TagPatch): Promise<Tag | undefined>;
}
