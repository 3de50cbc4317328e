import type { Profile } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import { BUMP_VERSION, type PostgresDatabase } from '../../database/postgres-database.js';
import { PROFILE_COLUMNS, toProfile, type ProfileRow } from './profile-rows.js';
import type { ProfileRepository } from './profile.repository.js';

/** {@link ProfileRepository} on the PostgreSQL metadata database. */
export class PostgresProfileRepository implements ProfileRepository {
  constructor(private readonly db: PostgresDatabase) {}

  /**
   * Inserts at version 1 or bumps the version, in one upsert: the row lock
   * ON CONFLICT takes serialises concurrent edits of one profile (each gets
   * its own version), and two concurrent first saves cannot both insert.
   */
  async saveProfile(profile: Omit<Profile, 'version'>): Promise<Profile> {
    return this.db.transaction(async (c) => {
      const saved = await c.query<{ version: number }>(
        `INSERT INTO profiles (id, tenant_id, name, version, temperature_min, temperature_max, rules, updated_at)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = profiles.version + 1,
           temperature_min = excluded.temperature_min, temperature_max = excluded.temperature_max,
           rules = excluded.rules, updated_at = excluded.updated_at
         WHERE profiles.tenant_id = excluded.tenant_id
         RETURNING version`,
        [
          profile.id,
          profile.tenantId,
          profile.name,
          profile.temperature.min,
          profile.temperature.max,
          profile.rules === undefined ? null : JSON.stringify(profile.rules),
          this.db.now(),
        ],
      );
      if (saved.rowCount === 0) throw new InvalidInputError('profile id taken');
      await c.query(BUMP_VERSION);
      return { ...profile, version: saved.rows[0].version };
    });
  }

  async findProfile(tenantId: string, id: string): Promise<Profile | undefined> {
    const [r] = await this.db.query<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return r && toProfile(r);
  }

  async listProfiles(tenantId: string): Promise<Profile[]> {
    return (
      await this.db.query<ProfileRow>(
        `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE tenant_id = $1 ORDER BY name COLLATE "C", id COLLATE "C"`,
        [tenantId],
      )
    ).map(toProfile);
  }
}
