import type { Tag } from '@coldchain/domain';
import { BUMP_AFTER, BUMP_VERSION, type PostgresDatabase } from '../../database/postgres-database.js';
import { tagAssignments, toTag, type TagRow } from './tag-rows.js';
import type { TagPatch, TagRepository } from './tag.repository.js';

/** {@link TagRepository} on the PostgreSQL metadata database; each change and its version bump commit together. */
export class PostgresTagRepository implements TagRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async createTag(tag: Tag): Promise<void> {
    await this.db.query(
      BUMP_AFTER(
        'INSERT INTO tags (mac, tenant_id, name, profile_id, updated_at) VALUES ($1, $2, $3, $4, $5)',
      ),
      [tag.mac, tag.tenantId, tag.name, tag.profileId ?? null, this.db.now()],
    );
  }

  async isRegistered(mac: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM tags WHERE mac = $1', [mac])).length > 0;
  }

  async findTag(tenantId: string, mac: string): Promise<Tag | undefined> {
    const [r] = await this.db.query<TagRow>(
      'SELECT mac, tenant_id, name, profile_id FROM tags WHERE tenant_id = $1 AND mac = $2',
      [tenantId, mac],
    );
    return r && toTag(r);
  }

  async listTags(tenantId: string): Promise<Tag[]> {
    return (
      await this.db.query<TagRow>(
        'SELECT mac, tenant_id, name, profile_id FROM tags WHERE tenant_id = $1 ORDER BY mac COLLATE "C"',
        [tenantId],
      )
    ).map(toTag);
  }

  async updateTag(tenantId: string, mac: string, patch: TagPatch): Promise<Tag | undefined> {
    const { sets, values } = tagAssignments(patch, (n) => `$${n + 2}`);
    if (sets.length === 0) return this.findTag(tenantId, mac);
    return this.db.transaction(async (c) => {
      const {
        rows: [r],
      } = await c.query<TagRow>(
        `UPDATE tags SET ${sets.join(', ')} WHERE tenant_id = $1 AND mac = $2
         RETURNING mac, tenant_id, name, profile_id`,
        [tenantId, mac, ...values],
      );
      if (!r) return undefined;
      await c.query(BUMP_VERSION);
      return toTag(r);
    });
  }
}
