import type { Tag } from '@coldchain/domain';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import { tagAssignments, toTag, type TagRow } from './tag-rows.js';
import type { TagPatch, TagRepository } from './tag.repository.js';

/** {@link TagRepository} on the SQLite metadata database. */
export class SqliteTagRepository implements TagRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async createTag(tag: Tag): Promise<void> {
    this.db.sql
      .prepare('INSERT INTO tags (mac, tenant_id, name, profile_id, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(tag.mac, tag.tenantId, tag.name, tag.profileId ?? null, this.db.now());
    this.db.bump();
  }

  async isRegistered(mac: string): Promise<boolean> {
    return this.db.sql.prepare('SELECT 1 FROM tags WHERE mac = ?').get(mac) !== undefined;
  }

  async findTag(tenantId: string, mac: string): Promise<Tag | undefined> {
    const r = this.db.sql
      .prepare('SELECT mac, tenant_id, name, profile_id FROM tags WHERE tenant_id = ? AND mac = ?')
      .get(tenantId, mac) as TagRow | undefined;
    return r && toTag(r);
  }

  async listTags(tenantId: string): Promise<Tag[]> {
    return (
      this.db.sql
        .prepare('SELECT mac, tenant_id, name, profile_id FROM tags WHERE tenant_id = ? ORDER BY mac')
        .all(tenantId) as TagRow[]
    ).map(toTag);
  }

  async updateTag(tenantId: string, mac: string, patch: TagPatch): Promise<Tag | undefined> {
    const db = this.db.sql;
    db.transaction(() => {
      const { sets, values } = tagAssignments(patch, () => '?');
      if (sets.length === 0) return;
      const changes = db
        .prepare(`UPDATE tags SET ${sets.join(', ')} WHERE tenant_id = ? AND mac = ?`)
        .run(...values, tenantId, mac).changes;
      if (changes === 1) this.db.bump();
    })();
    return this.findTag(tenantId, mac);
  }
}
