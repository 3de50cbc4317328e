import type { Profile } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import { PROFILE_COLUMNS, toProfile, type ProfileRow } from './profile-rows.js';
import type { ProfileRepository } from './profile.repository.js';

/** {@link ProfileRepository} on the SQLite metadata database. */
export class SqliteProfileRepository implements ProfileRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async saveProfile(profile: Omit<Profile, 'version'>): Promise<Profile> {
    const db = this.db.sql;
    const saved = db.transaction(() => {
      const existing = db.prepare('SELECT * FROM profiles WHERE id = ?').get(profile.id) as
        ProfileRow | undefined;
      if (existing && existing.tenant_id !== profile.tenantId)
        throw new InvalidInputError('profile id taken');
      const version = existing ? existing.version + 1 : 1;
      db.prepare(
        `INSERT INTO profiles (id, tenant_id, name, version, temperature_min, temperature_max, rules, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
           temperature_min = excluded.temperature_min, temperature_max = excluded.temperature_max,
           rules = excluded.rules, updated_at = excluded.updated_at`,
      ).run(
        profile.id,
        profile.tenantId,
        profile.name,
        version,
        profile.temperature.min,
        profile.temperature.max,
        profile.rules === undefined ? null : JSON.stringify(profile.rules),
        this.db.now(),
      );
      this.db.bump();
      return { ...profile, version };
    })();
    return saved;
  }

  async findProfile(tenantId: string, id: string): Promise<Profile | undefined> {
    const r = this.db.sql
      .prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE tenant_id = ? AND id = ?`)
      .get(tenantId, id) as ProfileRow | undefined;
    return r && toProfile(r);
  }

  async listProfiles(tenantId: string): Promise<Profile[]> {
    return (
      this.db.sql
        .prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE tenant_id = ? ORDER BY name, id`)
        .all(tenantId) as ProfileRow[]
    ).map(toProfile);
  }
}
